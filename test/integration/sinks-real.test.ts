import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobDeadLetterStore } from '../../src/deadletter/store.js';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { createSilentLogger } from '../../src/log.js';
import { BlobSink } from '../../src/sinks/blob-sink.js';
import { EventHubsSink } from '../../src/sinks/eventhubs-sink.js';
import { FileSink } from '../../src/sinks/file-sink.js';
import { GraphWriteBackSink, writeBackPath } from '../../src/sinks/graph-writeback-sink.js';
import { HttpWebhookSink, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../src/sinks/http-sink.js';
import type { Finding } from '../../src/worker/ports.js';
import { readFindings, sampleFinding, tempDir } from '../e2e/worker-helpers.js';

const finding = sampleFinding;

describe('sinks against real servers', () => {
  let stack: LocalStack;
  const dir = tempDir('gdlp-sinks-');
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
    dir.remove();
  });

  it('blob sink writes JSONL by date and hour and is idempotent by finding id', async () => {
    const container = BlobServiceClient.fromConnectionString(
      stack.storageConnectionString,
    ).getContainerClient('findings');
    const sink = new BlobSink(container);
    await sink.write([finding('a'), finding('b')]);
    await sink.write([finding('a'), finding('c')]);
    const names: string[] = [];
    for await (const b of container.listBlobsFlat()) names.push(b.name);
    expect(names.sort()).toEqual([
      'findings/dt=2026-11-23/hh=05/a.jsonl',
      'findings/dt=2026-11-23/hh=05/b.jsonl',
      'findings/dt=2026-11-23/hh=05/c.jsonl',
    ]);
    expect(sink.duplicatesSkipped).toBe(1);
    const text = (await container.getBlockBlobClient(names[0]!).downloadToBuffer()).toString('utf8');
    expect(JSON.parse(text.trim()).id).toBe('a');
  });

  it('event hubs sink sends findings with messageId = finding id, partitioned by message id so a message stays ordered on one partition', async () => {
    const sink = new EventHubsSink(new EventHubProducerClient(stack.eventHubsConnectionString, 'findings'));
    const byMessage: Record<string, string[]> = {
      'msg-A': ['x1', 'x3', 'x5'],
      'msg-B': ['x2', 'x4'],
      'msg-C': ['x6'],
    };
    const all = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
    const messageOf = (id: string) => Object.keys(byMessage).find((m) => byMessage[m]!.includes(id))!;
    await sink.write(all.map((id) => finding(id, { messageId: messageOf(id) })));
    await sink.close();
    const consumer = new EventHubConsumerClient('$default', stack.eventHubsConnectionString, 'findings');
    const received: Array<{ id: string; messageId: unknown; partitionKey: unknown; partition: string }> = [];
    const sub = consumer.subscribe(
      {
        processEvents: async (events, ctx) => {
          for (const e of events)
            received.push({
              id: (e.body as Finding).id,
              messageId: e.messageId,
              partitionKey: e.partitionKey,
              partition: ctx.partitionId,
            });
        },
        processError: async () => {},
      },
      { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 1 },
    );
    const deadline = Date.now() + 30_000;
    while (received.length < all.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await sub.close();
    await consumer.close();
    expect(received.map((r) => r.id).sort()).toEqual(all);
    expect(received.every((r) => r.id === r.messageId)).toBe(true);
    for (const [messageId, ids] of Object.entries(byMessage)) {
      const mine = received.filter((r) => ids.includes(r.id));
      expect(mine.every((r) => r.partitionKey === messageId)).toBe(true);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      expect(mine.map((r) => r.id)).toEqual(ids);
    }
  });

  it('http sink signs the body with HMAC-SHA256 and classifies 429/5xx as retryable, 4xx as rejected', async () => {
    const statuses = [429, 500, 400, 200];
    const seen: Array<{ sig?: string; ts?: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        seen.push({
          sig: req.headers[SIGNATURE_HEADER] as string,
          ts: req.headers[TIMESTAMP_HEADER] as string,
          body,
        });
        res.writeHead(statuses.shift() ?? 200, { 'retry-after': '2' }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const sink = new HttpWebhookSink({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        secret: 'k3y',
      });
      await expect(sink.write([finding('h')])).rejects.toMatchObject({
        code: 'GDLP_SINK_HTTP_RETRYABLE',
        kind: 'transient',
        retryAfterMs: 2000,
      });
      await expect(sink.write([finding('h')])).rejects.toMatchObject({ code: 'GDLP_SINK_HTTP_RETRYABLE' });
      await expect(sink.write([finding('h')])).rejects.toMatchObject({
        code: 'GDLP_SINK_HTTP_REJECTED',
        kind: 'poison',
      });
      await sink.write([finding('h')]);
      const last = seen.at(-1)!;
      expect(last.sig).toBe(
        `sha256=${createHmac('sha256', 'k3y').update(`${last.ts}.${last.body}`).digest('hex')}`,
      );
      expect(JSON.parse(last.body).findings[0].id).toBe('h');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('file sink dedupes across two writers of the same file', async () => {
    const path = `${dir.path}/shared.jsonl`;
    const a = new FileSink({ path });
    const b = new FileSink({ path });
    await Promise.all([a.write([finding('1'), finding('2')]), b.write([finding('2'), finding('3')])]);
    await b.write([finding('1')]);
    expect(
      readFindings(path)
        .map((f) => f.id)
        .sort(),
    ).toEqual(['1', '2', '3']);
  });

  it('graph write-back PATCHes policyViolation only when the policy asks, and skips 402/403/404 without failing', async () => {
    const calls: Array<{ path: string; body: unknown }> = [];
    const answers: Record<string, unknown> = {};
    const graph = {
      async patch<T>(path: string, body: unknown): Promise<T> {
        calls.push({ path, body });
        const err = answers[path];
        if (err) throw err;
        return {} as T;
      },
    };
    const sink = new GraphWriteBackSink(graph, createSilentLogger());
    const blocked = finding('g1', { actions: ['blockAccess'] });
    const gone = finding('g2', { actions: ['notifySender'], chatId: '19:gone' });
    answers[writeBackPath(gone)!] = Object.assign(new Error('404'), {
      code: 'GDLP_GRAPH_NOT_FOUND',
      kind: 'poison',
    });
    await sink.write([blocked, gone, finding('g3', { actions: ['report'] })]);
    expect(calls.map((c) => c.path)).toEqual([
      '/chats/19%3Achat/messages/m-g1?model=A',
      '/chats/19%3Agone/messages/m-g2?model=A',
    ]);
    expect((calls[0]!.body as { policyViolation: { dlpAction: string } }).policyViolation.dlpAction).toBe(
      'blockAccess',
    );
    expect(sink.skipped.get('GDLP_GRAPH_NOT_FOUND')).toBe(1);
    answers[writeBackPath(blocked)!] = Object.assign(new Error('429'), {
      code: 'GDLP_GRAPH_THROTTLED',
      kind: 'transient',
    });
    await expect(sink.write([blocked])).rejects.toMatchObject({ kind: 'transient' });
  });

  it('dead-letter store keeps raw bytes and position, lists without bodies, and overwrites on replay', async () => {
    const store = new BlobDeadLetterStore(
      BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient('dl-test'),
    );
    const record = {
      partitionId: '2',
      sequenceNumber: 42,
      offset: '4200',
      errorCode: 'GDLP_EVENT_NOT_JSON',
      errorKind: 'poison' as const,
      message: 'event body is not JSON',
      attemptCount: 1,
      consumerGroup: 'graph-dlp',
      eventHubName: 'notifications',
      rawBody: new Uint8Array([1, 2, 3]),
      deadLetteredAt: new Date().toISOString(),
    };
    await store.write(record);
    await store.write({ ...record, attemptCount: 2 });
    const list = await store.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ partitionId: '2', sequenceNumber: 42, errorCode: 'GDLP_EVENT_NOT_JSON' });
    const got = await store.get(list[0]!.name);
    expect([...got.rawBody]).toEqual([1, 2, 3]);
    expect(got.attemptCount).toBe(2);
    expect(got.offset).toBe('4200');
  });
});
