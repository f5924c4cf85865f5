import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs, sleep } from '../../src/worker/backoff.js';
import { findingId, messageVersionOf } from '../../src/worker/finding-id.js';
import { parseEventBody } from '../../src/worker/notification.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/worker/${name}`, import.meta.url));

describe('event body classification', () => {
  it('recognises the Event Hubs validation message', () => {
    const r = parseEventBody(new Uint8Array(fixture('eventhub_body_validation_message.json')));
    expect(r).toEqual({ kind: 'collection', items: [{ kind: 'validation', index: 0 }] });
  });
  it('recognises lifecycle, rich and basic notifications', () => {
    const life = parseEventBody(new Uint8Array(fixture('lifecycle_missed.json')));
    expect(life.kind === 'collection' && life.items[0]).toMatchObject({
      kind: 'lifecycle',
      lifecycleEvent: 'missed',
    });
    const rich = parseEventBody(new Uint8Array(fixture('eventhub_body_rich_chatmessage.json')));
    expect(rich.kind === 'collection' && rich.items[0]?.kind).toBe('rich');
    const basic = parseEventBody(
      fixture('eventhub_body_basic_chatmessage_no_resource_data.json').toString('utf8'),
    );
    expect(basic.kind === 'collection' && basic.items[0]?.kind).toBe('basic');
  });
  it('calls garbage garbage, with a reason code', () => {
    expect(parseEventBody(new Uint8Array([0xff, 0xfe, 0x00]))).toMatchObject({
      kind: 'garbage',
      code: 'GDLP_EVENT_NOT_UTF8',
    });
    expect(parseEventBody(new TextEncoder().encode('not json'))).toMatchObject({
      kind: 'garbage',
      code: 'GDLP_EVENT_NOT_JSON',
    });
    expect(parseEventBody(new TextEncoder().encode('[1,2]'))).toMatchObject({
      kind: 'garbage',
      code: 'GDLP_EVENT_NOT_COLLECTION',
    });
    expect(parseEventBody(new TextEncoder().encode('{"value":[]}'))).toMatchObject({
      kind: 'garbage',
      code: 'GDLP_EVENT_EMPTY',
    });
  });
  it('marks malformed items invalid without failing the rest of the event', () => {
    const r = parseEventBody({
      value: [
        42,
        { subscriptionId: 's', changeType: 'created', encryptedContent: { data: 'x' } },
        { subscriptionId: 's', changeType: 'created' },
      ],
    });
    expect(r.kind === 'collection' && r.items.map((i) => i.kind)).toEqual(['invalid', 'invalid', 'basic']);
  });
});

describe('finding id', () => {
  const msg = { id: '1', etag: '1700', chatId: '19:abc', lastModifiedDateTime: '2026-01-01T00:00:00Z' };
  it('is deterministic for the same message version, change and rule', () => {
    const a = findingId(messageVersionOf(msg, 'T', 'created'), 'r1');
    expect(findingId(messageVersionOf({ ...msg }, 'T', 'created'), 'r1')).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });
  it('differs when any component differs', () => {
    const base = findingId(messageVersionOf(msg, 'T', 'created'), 'r1');
    expect(findingId(messageVersionOf({ ...msg, etag: '1701' }, 'T', 'created'), 'r1')).not.toBe(base);
    expect(findingId(messageVersionOf(msg, 'T', 'updated'), 'r1')).not.toBe(base);
    expect(findingId(messageVersionOf(msg, 'T', 'created'), 'r2')).not.toBe(base);
    expect(findingId(messageVersionOf({ ...msg, chatId: '19:other' }, 'T', 'created'), 'r1')).not.toBe(base);
    expect(findingId(messageVersionOf(msg, 'U', 'created'), 'r1')).not.toBe(base);
  });
  it('falls back to lastModifiedDateTime when there is no etag', () => {
    expect(messageVersionOf({ id: '1', lastModifiedDateTime: 'X' }, 'T', 'created').version).toBe('X');
  });
});

describe('backoff', () => {
  const policy = { baseMs: 100, maxMs: 1000, maxAttempts: 5 };
  it('grows exponentially with jitter and stays under the cap', () => {
    expect(backoffDelayMs(policy, 1, () => 0)).toBe(50);
    expect(backoffDelayMs(policy, 1, () => 1)).toBe(100);
    expect(backoffDelayMs(policy, 3, () => 1)).toBe(400);
    expect(backoffDelayMs(policy, 20, () => 1)).toBe(1000);
  });
  it('honours a longer Retry-After', () => {
    expect(backoffDelayMs(policy, 1, () => 0, 5000)).toBe(5000);
    expect(parseRetryAfterMs('3')).toBe(3000);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfterMs('nonsense')).toBeUndefined();
  });
  it('sleep resolves false when aborted', async () => {
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    ac.abort();
    expect(await p).toBe(false);
  });
});
