import { EventHubConsumerClient, earliestEventPosition } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobDeadLetterStore } from '../../src/deadletter/store.js';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { runCli } from '../e2e/worker-helpers.js';

const cli = runCli;

describe('graph-dlp deadletter list|show|redrive', () => {
  let stack: LocalStack;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    stack = await startLocalStack();
    for (const [k, v] of Object.entries({
      EVENTHUB_CONNECTION_STRING: stack.eventHubsConnectionString,
      STORAGE_CONNECTION_STRING: stack.storageConnectionString,
    })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await stack?.stop();
  });

  it('lists and shows records without raw bytes by default, and redrives raw bytes back to the hub', async () => {
    const store = new BlobDeadLetterStore(
      BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient('deadletters'),
    );
    const base = {
      offset: '100',
      errorKind: 'poison' as const,
      message: 'event body is not JSON',
      attemptCount: 1,
      consumerGroup: 'graph-dlp',
      eventHubName: 'notifications',
      deadLetteredAt: new Date().toISOString(),
    };
    await store.write({
      ...base,
      partitionId: '1',
      sequenceNumber: 7,
      errorCode: 'GDLP_EVENT_NOT_JSON',
      rawBody: new TextEncoder().encode('raw-secret-bytes-1'),
    });
    await store.write({
      ...base,
      partitionId: '2',
      sequenceNumber: 9,
      errorCode: 'GDLP_DECRYPT_UNKNOWN_CERTIFICATE',
      rawBody: new TextEncoder().encode('{"value":[]}'),
    });

    const list = await cli(['deadletter', 'list', '--json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.out) as Array<{ name: string; errorCode: string }>;
    expect(rows.map((r) => r.errorCode).sort()).toEqual([
      'GDLP_DECRYPT_UNKNOWN_CERTIFICATE',
      'GDLP_EVENT_NOT_JSON',
    ]);
    const filtered = JSON.parse(
      (await cli(['deadletter', 'list', '--json', '--code', 'GDLP_EVENT_NOT_JSON'])).out,
    ) as Array<{ name: string }>;
    expect(filtered).toHaveLength(1);

    const shown = await cli(['deadletter', 'show', filtered[0]!.name]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('"sequenceNumber": 7');
    expect(shown.out).not.toContain(Buffer.from('raw-secret-bytes-1').toString('base64'));
    const raw = await cli(['deadletter', 'show', filtered[0]!.name, '--raw', '--json']);
    expect(JSON.parse(raw.out).rawBodyBase64).toBe(Buffer.from('raw-secret-bytes-1').toString('base64'));

    const redrive = await cli([
      'deadletter',
      'redrive',
      '--all',
      '--code',
      'GDLP_DECRYPT_UNKNOWN_CERTIFICATE',
    ]);
    expect(redrive.code, redrive.err).toBe(0);
    expect(redrive.err).toMatch(/1 event\(s\) sent back/);
    expect((await store.list()).map((d) => d.errorCode)).toEqual(['GDLP_EVENT_NOT_JSON']);

    const consumer = new EventHubConsumerClient('$default', stack.eventHubsConnectionString, 'notifications');
    const bodies: string[] = [];
    const sub = consumer.subscribe(
      {
        processEvents: async (events) => {
          for (const e of events) bodies.push(Buffer.from(e.body as Uint8Array).toString('utf8'));
        },
        processError: async () => {},
      },
      { startPosition: earliestEventPosition, skipParsingBodyAsJson: true, maxWaitTimeInSeconds: 1 },
    );
    const deadline = Date.now() + 30_000;
    while (bodies.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await sub.close();
    await consumer.close();
    expect(bodies).toEqual(['{"value":[]}']);
  });
});
