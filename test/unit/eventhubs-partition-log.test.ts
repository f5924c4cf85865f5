import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rhea from 'rhea';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildStoredWire,
  encodeRuntimeInfo,
  splitBatchEnvelope,
} from '../../src/local/eventhubs/amqpBytes.js';
import { PartitionLog } from '../../src/local/eventhubs/partitionLog.js';

type Decoded = {
  message_annotations?: Record<string, unknown>;
  delivery_annotations?: Record<string, unknown>;
  application_properties?: Record<string, unknown>;
  body?: unknown;
  message_id?: unknown;
  header?: unknown;
};
const encode = (m: Record<string, unknown>) => rhea.message.encode(m) as Buffer;
const decode = (b: Buffer) => rhea.message.decode(b) as Decoded;
const event = (i: number) =>
  encode({
    message_annotations: {},
    application_properties: { i },
    body: rhea.message.data_section(Buffer.from(`event-${i}`)),
  });
const open: PartitionLog[] = [];
afterEach(async () => {
  for (const log of open.splice(0)) await log.close();
});

describe('stored wire form (no decode/re-encode at delivery)', () => {
  it('keeps header, properties and body verbatim and adds the service annotations', () => {
    const raw = encode({
      durable: true,
      message_id: 'm-1',
      message_annotations: { 'x-opt-partition-key': 'k', custom: 'c' },
      application_properties: { a: 1 },
      body: rhea.message.data_section(Buffer.from('{"x":1}')),
    });
    const { wire, headerEnd } = buildStoredWire(raw, 42, 1234, 1700000000000);
    const m = decode(wire);
    expect(m.message_annotations).toEqual({
      'x-opt-partition-key': 'k',
      custom: 'c',
      'x-opt-sequence-number': 42,
      'x-opt-offset': '1234',
      'x-opt-enqueued-time': new Date(1700000000000),
    });
    expect(m.message_id).toBe('m-1');
    expect(m.application_properties).toEqual({ a: 1 });
    const withMetrics = Buffer.concat([
      wire.subarray(0, headerEnd),
      encodeRuntimeInfo({ lastSequenceNumber: 9, lastOffset: 99, lastEnqueuedMs: 5, retrievedMs: 6 }),
      wire.subarray(headerEnd),
    ]);
    expect(decode(withMetrics).delivery_annotations).toEqual({
      last_enqueued_sequence_number: 9,
      last_enqueued_offset: '99',
      last_enqueued_time_utc: new Date(5),
      runtime_info_retrieval_time_utc: new Date(6),
    });
  });

  it('replaces service annotations a producer tried to set itself', () => {
    const raw = encode({ message_annotations: { 'x-opt-sequence-number': 7, keep: true }, body: 'v' });
    expect(decode(buildStoredWire(raw, 1, 2, 3).wire).message_annotations).toEqual({
      keep: true,
      'x-opt-sequence-number': 1,
      'x-opt-offset': '2',
      'x-opt-enqueued-time': new Date(3),
    });
  });

  it('splits a batch envelope into its inner messages, one or many', () => {
    const one = encode({ message_annotations: {}, body: rhea.message.data_section(event(1)) });
    expect(splitBatchEnvelope(one).events.map((b) => decode(b).application_properties)).toEqual([{ i: 1 }]);
    const many = encode({
      message_annotations: { 'x-opt-partition-key': 'p' },
      body: rhea.message.data_sections([event(1), event(2), event(3)]),
    });
    const split = splitBatchEnvelope(many);
    expect(split.events.map((b) => decode(b).application_properties)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    expect(split.annotations && decode(split.annotations).message_annotations).toEqual({
      'x-opt-partition-key': 'p',
    });
  });
});

describe('partition log', () => {
  it('numbers events from 0 with byte offsets and resolves every start position', async () => {
    const log = new PartitionLog('hub', '0');
    open.push(log);
    await log.append([event(0), event(1)], 1000);
    await log.append([event(2)], 2000);
    const offsets = [0, 1, 2].map((s) => log.at(s)?.offset);
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBe(event(0).length);
    expect(log.resolveStart({ kind: 'earliest' })).toBe(0);
    expect(log.resolveStart({ kind: 'latest' })).toBe(3);
    expect(log.resolveStart({ kind: 'sequence', sequenceNumber: 1, inclusive: false })).toBe(2);
    expect(log.resolveStart({ kind: 'sequence', sequenceNumber: 1, inclusive: true })).toBe(1);
    expect(log.resolveStart({ kind: 'offset', offset: offsets[1] as number, inclusive: false })).toBe(2);
    expect(log.resolveStart({ kind: 'offset', offset: offsets[1] as number, inclusive: true })).toBe(1);
    expect(log.resolveStart({ kind: 'enqueuedTime', timeMs: 1000, inclusive: false })).toBe(2);
    expect(log.resolveStart({ kind: 'enqueuedTime', timeMs: 5000, inclusive: false })).toBe(3);
  });

  it('retention drops old events but keeps numbering and last-enqueued information', async () => {
    const log = new PartitionLog('hub', '0');
    open.push(log);
    await log.append([event(0), event(1)], 1000);
    await log.append([event(2)], 5000);
    expect(log.trimBefore(2000)).toBe(2);
    expect(log.beginSequenceNumber).toBe(2);
    expect(log.resolveStart({ kind: 'earliest' })).toBe(2);
    expect(log.resolveStart({ kind: 'sequence', sequenceNumber: 0, inclusive: true })).toBe(2);
    expect(log.trimBefore(10_000)).toBe(1);
    expect(log.isEmpty).toBe(true);
    expect(log.beginSequenceNumber).toBe(3);
    expect(log.lastEnqueued().sequenceNumber).toBe(2);
  });

  it('persists to an append-only file: same sequence numbers and offsets after a restart, torn tails cut', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eh-log-'));
    const file = join(dir, '0.log');
    const first = new PartitionLog('hub', '0', { filePath: file });
    await first.append([event(0), event(1)], 1000);
    await first.append([event(2)], 2000);
    const before = [0, 1, 2].map((s) => first.at(s)?.wire.toString('hex'));
    await first.close();
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from([0x45, 0x48, 0x52, 0x31, 0, 0])])); // crash mid-record
    const second = new PartitionLog('hub', '0', { filePath: file });
    open.push(second);
    expect([0, 1, 2].map((s) => second.at(s)?.wire.toString('hex'))).toEqual(before);
    await second.append([event(3)], 3000);
    expect(second.at(3)?.offset).toBe(second.nextOffset - event(3).length);
    expect(second.at(3)?.sequenceNumber).toBe(3);
  });

  it('skips and compacts expired records on load while keeping numbering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eh-log-'));
    const file = join(dir, '0.log');
    const first = new PartitionLog('hub', '0', { filePath: file });
    await first.append([event(0)], 1000);
    await first.append([event(1)], 9000);
    await first.close();
    const size = statSync(file).size;
    const second = new PartitionLog('hub', '0', { filePath: file, retentionMs: 5000, nowMs: 10_000 });
    open.push(second);
    expect(second.beginSequenceNumber).toBe(1);
    expect(second.nextSequenceNumber).toBe(2);
    expect(statSync(file).size).toBeLessThan(size);
  });
});
