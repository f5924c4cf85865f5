/**
 * The unmodified @azure/event-hubs v6 clients against the embedded emulator, over AMQP on loopback:
 * producer routing, management, start positions, service errors, receiver rules, retention, health.
 */
import {
  EventHubConsumerClient,
  EventHubProducerClient,
  earliestEventPosition,
  latestEventPosition,
} from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventHubsEmulator } from '../../src/local/eventhubs/index.js';
import { collect, readFrom, waitFor } from '../fixtures/eventhubs/helpers.js';
import { onContainers, type StackUnderTest, startStackUnderTest } from '../fixtures/eventhubs/stack.js';

let stack: StackUnderTest;
/** Emulator internals (receiver registry, retention clock): embedded profile only. */
const emulator = () => stack.embedded as EventHubsEmulator;
const connectionString = () => stack.eventHubsConnectionString;
let producer: EventHubProducerClient;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stack = await startStackUnderTest({
    emulator: {
      config: {
        namespace: 'emulatorNs1',
        hubs: [
          { name: 'notifications', partitionCount: 4, consumerGroups: ['$default', 'graph-dlp'] },
          { name: 'findings', partitionCount: 2, consumerGroups: ['$default'] },
          { name: 'positions', partitionCount: 2, consumerGroups: ['$default'] },
          { name: 'rules', partitionCount: 2, consumerGroups: ['$default'] },
          { name: 'retained', partitionCount: 1, consumerGroups: ['$default'] },
        ],
      },
    },
  });
  producer = new EventHubProducerClient(connectionString(), 'notifications');
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await producer?.close();
  await stack?.stop();
});

function newProducer(hub: string): EventHubProducerClient {
  const p = new EventHubProducerClient(connectionString(), hub);
  closers.push(() => p.close());
  return p;
}
function newConsumer(hub: string, consumerGroup = '$default'): EventHubConsumerClient {
  const c = new EventHubConsumerClient(consumerGroup, connectionString(), hub);
  closers.push(() => c.close());
  return c;
}

describe('producer', () => {
  it('sends a batch to an explicit partition id and management reports it', async () => {
    const before = await producer.getPartitionProperties('2');
    expect(before).toMatchObject({
      eventHubName: 'notifications',
      partitionId: '2',
      isEmpty: true,
      lastEnqueuedSequenceNumber: -1,
      lastEnqueuedOffset: '-1',
    });
    const batch = await producer.createBatch({ partitionId: '2' });
    expect(batch.maxSizeInBytes).toBe(1048576);
    for (let i = 0; i < 3; i++) expect(batch.tryAdd({ body: { i } })).toBe(true);
    await producer.sendBatch(batch);
    const after = await producer.getPartitionProperties('2');
    expect(after).toMatchObject({
      isEmpty: false,
      beginningSequenceNumber: 0,
      lastEnqueuedSequenceNumber: 2,
    });
    expect(typeof after.lastEnqueuedOffset).toBe('string');
    expect(after.lastEnqueuedOnUtc.getTime()).toBeGreaterThan(0);
    const hub = await producer.getEventHubProperties();
    expect(hub.name).toBe('notifications');
    expect(hub.partitionIds).toEqual(['0', '1', '2', '3']);
  });

  it('routes partition keys with the SDK mapping (§4.5 vectors, 4 and 2 partitions)', async () => {
    const p = newProducer('findings'); // 2 partitions
    const vectors4: [string, string][] = [
      ['a', '0'],
      ['device-42', '0'],
      ['hello world', '3'],
      ['abcdefghijklmnopqrstuvwxyz', '1'],
      ['ключ', '2'],
    ];
    const vectors2: [string, string][] = [
      ['a', '0'],
      ['hello world', '1'],
      ['abcdefghijklmnopqrstuvwxyz', '1'],
      ['ключ', '0'],
    ];
    for (const [key, partition] of vectors4) {
      const before = await producer.getPartitionProperties(partition);
      await producer.sendBatch([{ body: key }], { partitionKey: key });
      const after = await producer.getPartitionProperties(partition);
      expect(after.lastEnqueuedSequenceNumber, key).toBe(before.lastEnqueuedSequenceNumber + 1);
    }
    for (const [key, partition] of vectors2) {
      const before = await p.getPartitionProperties(partition);
      await p.sendBatch([{ body: key }], { partitionKey: key });
      expect((await p.getPartitionProperties(partition)).lastEnqueuedSequenceNumber, key).toBe(
        before.lastEnqueuedSequenceNumber + 1,
      );
    }
    const received = await readFrom(connectionString(), 'notifications', '3', earliestEventPosition, 1);
    expect(received.find((e) => e.body === 'hello world')?.partitionKey).toBe('hello world');
  });

  it('spreads keyless batches round robin, one whole batch per partition', async () => {
    const before = await Promise.all(['0', '1', '2', '3'].map((id) => producer.getPartitionProperties(id)));
    for (let i = 0; i < 4; i++) await producer.sendBatch([{ body: `rr-${i}-a` }, { body: `rr-${i}-b` }]);
    const after = await Promise.all(['0', '1', '2', '3'].map((id) => producer.getPartitionProperties(id)));
    expect(
      after.map((a, i) => a.lastEnqueuedSequenceNumber - (before[i]?.lastEnqueuedSequenceNumber ?? 0)),
    ).toEqual([2, 2, 2, 2]);
  });

  it('stores and delivers an event close to the 1 MB limit (multi-frame transfers both ways)', async () => {
    const p = newProducer('findings');
    const body = Buffer.alloc(1_000_000, 7);
    body[999_999] = 42;
    const before = await p.getPartitionProperties('1');
    await p.sendBatch([{ body }], { partitionId: '1' });
    const events = await readFrom(
      connectionString(),
      'findings',
      '1',
      { sequenceNumber: before.lastEnqueuedSequenceNumber },
      1,
    );
    const received = events[0]?.body as Buffer;
    expect(Buffer.isBuffer(received) && received.length).toBe(1_000_000);
    expect(received[999_999]).toBe(42);
  });

  it('rejects an oversize send as the service does (MessageTooLargeError, not retried)', async () => {
    const big = Buffer.alloc(1_100_000, 1);
    await expect(producer.sendBatch([{ body: big }], { partitionId: '0' })).rejects.toMatchObject({
      code: 'MessageTooLargeError',
      retryable: false,
    });
    if (stack.embedded) expect(emulator().stats().batchesRejected).toBeGreaterThan(0);
  });
});

describe('consumer start positions', () => {
  const hub = 'positions';
  let sent: { sequenceNumber: number; offset: string; enqueuedTimeUtc: Date }[] = [];

  beforeAll(async () => {
    const p = newProducer(hub);
    await p.sendBatch([{ body: 'e0' }, { body: 'e1' }], { partitionId: '1' });
    await new Promise((r) => setTimeout(r, 20)); // a later enqueued time for the next batch
    await p.sendBatch([{ body: 'e2' }, { body: 'e3' }, { body: 'e4' }], { partitionId: '1' });
    sent = await readFrom(connectionString(), hub, '1', earliestEventPosition, 5);
  });

  it('earliest returns everything in order with sequence numbers from 0 and string offsets', () => {
    expect(sent.map((e) => e.sequenceNumber)).toEqual([0, 1, 2, 3, 4]);
    expect(sent.map((e) => typeof e.offset)).toEqual(Array(5).fill('string'));
    expect(sent[0]?.offset).toBe('0');
  });

  it('sequence number exclusive and inclusive', async () => {
    expect(
      (await readFrom(connectionString(), hub, '1', { sequenceNumber: 2 }, 2)).map((e) => e.body),
    ).toEqual(['e3', 'e4']);
    expect(
      (await readFrom(connectionString(), hub, '1', { sequenceNumber: 2, isInclusive: true }, 3)).map(
        (e) => e.body,
      ),
    ).toEqual(['e2', 'e3', 'e4']);
  });

  it('offset exclusive and inclusive', async () => {
    const offset = sent[3]?.offset as string;
    expect((await readFrom(connectionString(), hub, '1', { offset }, 1)).map((e) => e.body)).toEqual(['e4']);
    expect(
      (await readFrom(connectionString(), hub, '1', { offset, isInclusive: true }, 2)).map((e) => e.body),
    ).toEqual(['e3', 'e4']);
  });

  it('enqueued time (exclusive)', async () => {
    const firstBatchTime = sent[1]?.enqueuedTimeUtc as Date;
    expect(
      (await readFrom(connectionString(), hub, '1', { enqueuedOn: firstBatchTime }, 3)).map((e) => e.body),
    ).toEqual(['e2', 'e3', 'e4']);
  });

  it('reports receiver runtime metrics (last enqueued event) when the client tracks them', async () => {
    const client = newConsumer(hub);
    const seen: {
      sequenceNumber: number;
      offset: string | undefined;
      enqueuedOn: Date | undefined;
      retrievedOn: Date | undefined;
    }[] = [];
    const subscription = client.subscribe(
      '1',
      {
        processEvents: async (events, context) => {
          const last = context.lastEnqueuedEventProperties;
          if (events.length > 0)
            seen.push({
              sequenceNumber: last?.sequenceNumber ?? -1,
              offset: last?.offset,
              enqueuedOn: last?.enqueuedOn,
              retrievedOn: last?.retrievedOn,
            });
        },
        processError: async () => undefined,
      },
      {
        startPosition: earliestEventPosition,
        trackLastEnqueuedEventProperties: true,
        maxWaitTimeInSeconds: 1,
      },
    );
    await waitFor('a batch with runtime metrics', () => seen.length > 0);
    await subscription.close();
    const last = sent[4];
    expect(seen[0]).toMatchObject({
      sequenceNumber: 4,
      offset: last?.offset,
      enqueuedOn: last?.enqueuedTimeUtc,
    });
    expect(seen[0]?.retrievedOn?.getTime()).toBeGreaterThanOrEqual(last?.enqueuedTimeUtc.getTime() ?? 0);
  });

  it.skipIf(onContainers)('latest only sees events sent after the receiver attached', async () => {
    const client = newConsumer(hub);
    const c = collect(client, '1', { startPosition: latestEventPosition });
    await waitFor('receiver attached', () =>
      emulator()
        .stats()
        .receivers.some((r) => r.hub === hub && r.partitionId === '1'),
    );
    await newProducer(hub).sendBatch([{ body: 'after' }], { partitionId: '1' });
    await waitFor('new event', () => c.events.length >= 1);
    await c.close();
    expect(c.events.map((e) => e.body)).toEqual(['after']);
    expect(c.events[0]?.sequenceNumber).toBe(5);
  });
});

describe('service errors', () => {
  it('unknown hub → MessagingEntityNotFoundError, not retried', async () => {
    const p = newProducer('nohub');
    await expect(p.getEventHubProperties()).rejects.toMatchObject({
      code: 'MessagingEntityNotFoundError',
      retryable: false,
    });
    await expect(p.sendBatch([{ body: 1 }])).rejects.toMatchObject({ code: 'MessagingEntityNotFoundError' });
  });

  it('unknown consumer group → MessagingEntityNotFoundError in processError', async () => {
    const c = collect(newConsumer('rules', 'nope'), '0', { startPosition: earliestEventPosition });
    await waitFor('error', () => c.errors.length > 0);
    await c.close();
    expect(c.errors[0]).toMatchObject({ code: 'MessagingEntityNotFoundError' });
    expect(c.errors[0]?.message).toMatch(/nope' could not be found/);
  });

  it('unknown partition → ArgumentOutOfRangeError for management, producer and consumer', async () => {
    const p = newProducer('rules');
    await expect(p.getPartitionProperties('9')).rejects.toMatchObject({
      code: 'ArgumentOutOfRangeError',
      retryable: false,
    });
    await expect(p.sendBatch([{ body: 1 }], { partitionId: '9' })).rejects.toMatchObject({
      code: 'ArgumentOutOfRangeError',
    });
    const c = collect(newConsumer('rules'), '9', { startPosition: earliestEventPosition });
    await waitFor('error', () => c.errors.length > 0);
    await c.close();
    expect(c.errors[0]).toMatchObject({ code: 'ArgumentOutOfRangeError' });
  });
});

describe.skipIf(onContainers)('receiver rules per consumer group and partition', () => {
  it('refuses the 6th non-epoch receiver with QuotaExceededError', async () => {
    // One subscription per client: a client refuses two subscriptions on the same partition itself.
    const subs = [];
    for (let i = 0; i < 5; i++)
      subs.push(collect(newConsumer('rules'), '1', { startPosition: earliestEventPosition }));
    await waitFor(
      '5 receivers',
      () =>
        emulator()
          .stats()
          .receivers.filter((r) => r.hub === 'rules' && r.partitionId === '1').length === 5,
    );
    const sixth = collect(newConsumer('rules'), '1', { startPosition: earliestEventPosition });
    await waitFor('quota error', () => sixth.errors.length > 0);
    expect(sixth.errors[0]).toMatchObject({ code: 'QuotaExceededError' });
    expect(sixth.errors[0]?.message).toMatch(
      /maximum number of allowed receivers per partition in a consumer group which is 5/,
    );
    expect(subs.every((s) => s.errors.length === 0)).toBe(true);
    for (const s of [...subs, sixth]) await s.close();
    await waitFor(
      'receivers gone',
      () =>
        !emulator()
          .stats()
          .receivers.some((r) => r.hub === 'rules' && r.partitionId === '1'),
    );
  });

  it('a higher owner level steals the partition (ReceiverDisconnectedError for the old reader)', async () => {
    const first = collect(newConsumer('rules'), '0', { startPosition: earliestEventPosition, ownerLevel: 1 });
    await waitFor('first attached', () =>
      emulator()
        .stats()
        .receivers.some((r) => r.hub === 'rules' && r.partitionId === '0' && r.epoch === 1),
    );
    const second = collect(newConsumer('rules'), '0', {
      startPosition: earliestEventPosition,
      ownerLevel: 2,
    });
    await waitFor('steal', () => first.errors.length > 0);
    expect(first.errors[0]).toMatchObject({ code: 'ReceiverDisconnectedError' });
    await waitFor('single epoch-2 owner', () => {
      const rs = emulator()
        .stats()
        .receivers.filter((r) => r.hub === 'rules' && r.partitionId === '0');
      return rs.length === 1 && rs[0]?.epoch === 2;
    });
    expect(second.errors).toEqual([]);
    await first.close();
    await second.close();
  });
});

describe('retention and health', () => {
  it.skipIf(onContainers)(
    'drops expired events, keeps numbering, and starts readers at the first retained event',
    async () => {
      const p = newProducer('retained');
      await p.sendBatch([{ body: 'old-0' }, { body: 'old-1' }]);
      // Retention applies to every hub; this is the last test of the file.
      expect(emulator().applyRetention(Date.now() + 2 * 3_600_000)).toBeGreaterThanOrEqual(2);
      const props = await p.getPartitionProperties('0');
      expect(props).toMatchObject({
        isEmpty: true,
        beginningSequenceNumber: 2,
        lastEnqueuedSequenceNumber: 1,
      });
      await p.sendBatch([{ body: 'new' }]);
      const events = await readFrom(connectionString(), 'retained', '0', earliestEventPosition, 1);
      expect(events.map((e) => [e.body, e.sequenceNumber])).toEqual([['new', 2]]);
    },
  );

  it('GET /health answers 200 with the official emulator body', async () => {
    const res = await fetch(stack.healthUrl);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'healthy', message: 'Service is healthy.' });
  });
});
