/**
 * Protocol edges the SDK never produces, exercised with a plain rhea client: malformed batch envelopes are
 * rejected (and the partition keeps flowing), plain format-0 messages from other clients are stored, and a
 * data folder written with another partition count is refused at start-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import rhea from 'rhea';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventHubsEmulator, startEventHubsEmulator } from '../../src/local/eventhubs/index.js';
import { collect, readFrom, waitFor } from '../fixtures/eventhubs/helpers.js';
import { onContainers } from '../fixtures/eventhubs/stack.js';

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEventHubsEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** Send one delivery on a fresh rhea connection and report its outcome. */
function sendRaw(
  payload: Buffer | Record<string, unknown>,
  format: number | undefined,
  target: string,
): Promise<{ outcome: string; condition?: string }> {
  return new Promise((resolve, reject) => {
    const container = rhea.create_container();
    const connection = container.connect({ host: '127.0.0.1', port: emulator.port, reconnect: false });
    const finish = (result: { outcome: string; condition?: string }) => {
      connection.close();
      resolve(result);
    };
    const sender = connection.open_sender({ target: { address: target } });
    sender.once('sendable', () => {
      if (format === undefined) sender.send(payload as unknown as rhea.Message);
      else sender.send(payload as unknown as rhea.Message, undefined, format);
    });
    sender.on('accepted', () => finish({ outcome: 'accepted' }));
    sender.on('rejected', (ctx) =>
      finish({ outcome: 'rejected', condition: String(ctx.delivery?.remote_state?.error?.condition) }),
    );
    connection.on('connection_error', (ctx) => reject(ctx.connection.error));
    connection.on('disconnected', (ctx) => {
      if (ctx.error) reject(ctx.error);
    });
  });
}

describe.skipIf(onContainers)('protocol edges (embedded emulator)', () => {
  it('rejects a malformed batch envelope with amqp:decode-error and keeps the partition flowing', async () => {
    const garbage = Buffer.from([0x00, 0x53, 0x75, 0xb0, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(await sendRaw(garbage, 0x80013700, 'notifications/Partitions/3')).toEqual({
      outcome: 'rejected',
      condition: 'amqp:decode-error',
    });
    expect(
      await sendRaw(
        { body: 'plain', application_properties: { from: 'rhea' } },
        undefined,
        'notifications/Partitions/3',
      ),
    ).toEqual({ outcome: 'accepted' });
    const [event] = await readFrom(emulator.connectionString, 'notifications', '3', earliestEventPosition, 1);
    expect(event).toMatchObject({ sequenceNumber: 0, offset: '0', properties: { from: 'rhea' } });
  });

  it('refuses a data folder written with a different partition count', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eh-mismatch-'));
    try {
      const first = await startEventHubsEmulator({ dataDir });
      await first.stop();
      const entities = {
        namespace: 'emulatorNs1',
        hubs: [{ name: 'notifications', partitionCount: 2, consumerGroups: ['$default'] }],
      };
      await expect(startEventHubsEmulator({ dataDir, config: entities })).rejects.toMatchObject({
        code: 'GDLP_EMULATOR_DATA_MISMATCH',
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('with SAS validation on, accepts the right key and refuses a wrong one (UnauthorizedError)', async () => {
    const guarded = await startEventHubsEmulator({ validateSas: true });
    try {
      const good = new EventHubProducerClient(guarded.connectionString, 'notifications');
      expect((await good.getEventHubProperties()).name).toBe('notifications');
      await good.close();
      const wrong = guarded.connectionString.replace(
        'SharedAccessKey=SAS_KEY_VALUE',
        'SharedAccessKey=not-the-key',
      );
      const bad = new EventHubProducerClient(wrong, 'notifications', { retryOptions: { maxRetries: 0 } });
      await expect(bad.sendBatch([{ body: 1 }])).rejects.toMatchObject({ code: 'UnauthorizedError' });
      await bad.close();
    } finally {
      await guarded.stop();
    }
  });

  it('with an ingress budget, throttles like a throughput unit (ServerBusyError) and lets retries through', async () => {
    const throttled = await startEventHubsEmulator({ ingressEventsPerSecond: 100 });
    try {
      const events = Array.from({ length: 60 }, (_, i) => ({ body: i }));
      const noRetry = new EventHubProducerClient(throttled.connectionString, 'notifications', {
        retryOptions: { maxRetries: 0 },
      });
      await noRetry.sendBatch(events, { partitionId: '0' });
      await expect(noRetry.sendBatch(events, { partitionId: '0' })).rejects.toMatchObject({
        code: 'ServerBusyError',
        retryable: true,
      });
      await noRetry.close();
      const retrying = new EventHubProducerClient(throttled.connectionString, 'notifications', {
        retryOptions: { maxRetries: 10, retryDelayInMs: 200, maxRetryDelayInMs: 200 },
      });
      await retrying.sendBatch(events, { partitionId: '0' });
      await retrying.close();
      expect(
        (await readFrom(throttled.connectionString, 'notifications', '0', earliestEventPosition, 120)).length,
      ).toBe(120);
    } finally {
      await throttled.stop();
    }
  });

  it('with an inactivity limit, closes connections without entity links and the SDK reconnects', async () => {
    const strict = await startEventHubsEmulator({ idleConnectionTimeoutMs: 300 });
    const consumer = new EventHubConsumerClient('$default', strict.connectionString, 'notifications');
    const producer = new EventHubProducerClient(strict.connectionString, 'notifications');
    try {
      const reading = collect(consumer, '0', { startPosition: earliestEventPosition });
      await waitFor('receiver attached', () => strict.stats().receivers.length === 1);
      expect((await producer.getEventHubProperties()).partitionIds).toHaveLength(4);
      expect(strict.stats().connections).toBe(2);
      // The producer's connection has only $cbs/$management links: it is closed; the reading one stays.
      await waitFor('idle connection closed', () => strict.stats().connections === 1);
      expect(strict.stats().receivers).toHaveLength(1);
      expect((await producer.getEventHubProperties()).partitionIds).toHaveLength(4);
      await reading.close();
    } finally {
      await producer.close();
      await consumer.close();
      await strict.stop();
    }
  });
});
