import type {
  CheckpointStore,
  EventHubConsumerClient,
  PartitionContext,
  ReceivedEventData,
  SubscriptionEventHandlers,
} from '@azure/event-hubs';
import { CloseReason } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { type BatchProcessor, NotificationConsumer } from '../../src/consumer/consumer.js';
import { createSilentLogger } from '../../src/log.js';
import { WorkerMetrics } from '../../src/ops/metrics.js';
import type { EventOutcome, ReceivedEvent } from '../../src/worker/pipeline.js';

// In-memory fakes of the SDK surface the consumer shell uses: the test plays the SDK's pump.
function fakeSdk() {
  let handlers: SubscriptionEventHandlers | undefined;
  const checkpoints: number[] = [];
  const client = {
    subscribe(h: SubscriptionEventHandlers) {
      handlers = h;
      return { close: async () => undefined, isRunning: true };
    },
  } as unknown as EventHubConsumerClient;
  const checkpointStore = {
    listOwnership: async () => [],
    updateCheckpoint: async (c: { sequenceNumber: number }) => {
      checkpoints.push(c.sequenceNumber);
    },
  } as unknown as CheckpointStore;
  const lastEnqueued = { sequenceNumber: 0 };
  const ctx = {
    partitionId: '0',
    eventHubName: 'notifications',
    consumerGroup: 'graph-dlp',
    fullyQualifiedNamespace: 'local',
    get lastEnqueuedEventProperties() {
      return { sequenceNumber: lastEnqueued.sequenceNumber };
    },
  } as unknown as PartitionContext;
  return {
    client,
    checkpointStore,
    checkpoints,
    ctx,
    lastEnqueued,
    get handlers() {
      if (!handlers) throw new Error('not subscribed');
      return handlers;
    },
  };
}

const events = (from: number, n: number): ReceivedEventData[] =>
  Array.from(
    { length: n },
    (_, i) =>
      ({
        sequenceNumber: from + i,
        offset: (from + i) * 10,
        enqueuedTimeUtc: new Date(0),
        body: 'x',
        properties: {},
      }) as unknown as ReceivedEventData,
  );

function consumerWith(
  processor: BatchProcessor,
  sdk: ReturnType<typeof fakeSdk>,
  metrics?: WorkerMetrics,
  maxBatchesInFlight = 1,
) {
  return new NotificationConsumer({
    client: sdk.client,
    checkpointStore: sdk.checkpointStore,
    processor,
    logger: createSilentLogger(),
    metrics,
    startPosition: 'earliest',
    maxBatchSize: 10,
    maxWaitTimeInSeconds: 1,
    prefetchCount: 10,
    checkpointEveryEvents: 1,
    checkpointEveryMs: 0,
    maxBatchesInFlight,
    pendingRetryBackoff: { baseMs: 1, maxMs: 5, maxAttempts: Number.POSITIVE_INFINITY },
  });
}

async function gaugeValue(
  metrics: WorkerMetrics,
  name: 'lag' | 'pendingEvents',
): Promise<number | undefined> {
  return (await metrics[name].get()).values.find((v) => v.labels.partition === '0')?.value;
}

describe('NotificationConsumer: events whose outcome is not final', () => {
  it('retries pending events in place before taking the next batch, so none is skipped and the checkpoint follows', async () => {
    const sdk = fakeSdk();
    const calls: number[][] = [];
    let sinkUp = false;
    const processor: BatchProcessor = {
      async processBatch(batch: readonly ReceivedEvent[]) {
        calls.push(batch.map((e) => e.sequenceNumber));
        // Event 2 needs a required sink that is down for the first three attempts.
        if (calls.length >= 3) sinkUp = true;
        return batch.map((e): EventOutcome => (e.sequenceNumber === 2 && !sinkUp ? 'pending' : 'done'));
      },
    };
    const consumer = consumerWith(processor, sdk);
    consumer.start();
    await sdk.handlers.processInitialize?.(sdk.ctx);
    sdk.lastEnqueued.sequenceNumber = 3;
    await sdk.handlers.processEvents(events(1, 3), sdk.ctx);
    // The handler returned only once every event of the batch was final: intake waited for the retries.
    expect(calls).toEqual([[1, 2, 3], [2], [2]]);
    // 1 was checkpointed at once; nothing past 1 until 2 became final.
    expect(sdk.checkpoints).toEqual([1, 3]);
    sdk.lastEnqueued.sequenceNumber = 5;
    await sdk.handlers.processEvents(events(4, 2), sdk.ctx);
    expect(calls.at(-1)).toEqual([4, 5]);
    expect(sdk.checkpoints.at(-1)).toBe(5);
    expect(consumer.health.pendingEvents).toBe(0);
    await consumer.stop(1000);
  });

  it('never checkpoints past a pending event while it is being retried, and reports it in health and metrics', async () => {
    const sdk = fakeSdk();
    const metrics = new WorkerMetrics();
    let release = false;
    const attempts = { n: 0 };
    const processor: BatchProcessor = {
      async processBatch(batch: readonly ReceivedEvent[]) {
        attempts.n++;
        return batch.map((e): EventOutcome => (e.sequenceNumber === 11 && !release ? 'pending' : 'done'));
      },
    };
    const consumer = consumerWith(processor, sdk, metrics);
    consumer.start();
    await sdk.handlers.processInitialize?.(sdk.ctx);
    sdk.lastEnqueued.sequenceNumber = 12;
    const handled = sdk.handlers.processEvents(events(10, 3), sdk.ctx);
    while (attempts.n < 3) await new Promise((r) => setTimeout(r, 5));
    // 10 is final and checkpointed; 11 is held back, so 12 (done) is not checkpointed either.
    expect(sdk.checkpoints).toEqual([10]);
    expect(consumer.health.pendingEvents).toBe(2);
    expect(consumer.health.partitions['0']).toMatchObject({ pending: 2, checkpointSequenceNumber: 10 });
    expect(await gaugeValue(metrics, 'pendingEvents')).toBe(2);
    // Lag counts from the checkpoint (what KEDA reads), not from the last processed event.
    expect(await gaugeValue(metrics, 'lag')).toBe(2);
    expect((await metrics.pendingRetries.get()).values[0]?.value).toBeGreaterThanOrEqual(1);
    release = true;
    await handled;
    expect(sdk.checkpoints.at(-1)).toBe(12);
    expect(consumer.health.pendingEvents).toBe(0);
    expect(await gaugeValue(metrics, 'lag')).toBe(0);
    await consumer.stop(1000);
  });

  it('retries a batch whose processor threw instead of leaving its events behind', async () => {
    const sdk = fakeSdk();
    let calls = 0;
    const processor: BatchProcessor = {
      async processBatch(batch: readonly ReceivedEvent[]) {
        calls++;
        if (calls === 1) throw new Error('unexpected bug');
        return batch.map((): EventOutcome => 'done');
      },
    };
    const consumer = consumerWith(processor, sdk);
    consumer.start();
    await sdk.handlers.processInitialize?.(sdk.ctx);
    await sdk.handlers.processEvents(events(1, 2), sdk.ctx);
    expect(calls).toBe(2);
    expect(sdk.checkpoints.at(-1)).toBe(2);
    await consumer.stop(1000);
  });

  it('stops retrying when ownership is lost, without checkpointing past the pending event', async () => {
    const sdk = fakeSdk();
    const seen = { n: 0 };
    const processor: BatchProcessor = {
      async processBatch(batch: readonly ReceivedEvent[], signal?: AbortSignal) {
        seen.n++;
        return batch.map(
          (e): EventOutcome => (e.sequenceNumber === 1 || signal?.aborted ? 'pending' : 'done'),
        );
      },
    };
    const consumer = consumerWith(processor, sdk);
    consumer.start();
    await sdk.handlers.processInitialize?.(sdk.ctx);
    const handled = sdk.handlers.processEvents(events(1, 2), sdk.ctx);
    while (seen.n < 2) await new Promise((r) => setTimeout(r, 5));
    await sdk.handlers.processClose?.(CloseReason.OwnershipLost, sdk.ctx);
    await handled;
    const after = seen.n;
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.n).toBe(after);
    expect(sdk.checkpoints).toEqual([]);
    expect(consumer.ownedPartitions).toEqual([]);
    await consumer.stop(1000);
  });

  it('stops retrying as soon as the ownership store names another replica, even before the SDK reports the loss', async () => {
    const sdk = fakeSdk();
    let owner = 'me';
    (sdk.checkpointStore as { listOwnership: unknown }).listOwnership = async () => [
      { partitionId: '0', ownerId: owner },
    ];
    const seen = { n: 0 };
    const processor: BatchProcessor = {
      async processBatch(batch: readonly ReceivedEvent[]) {
        seen.n++;
        if (seen.n === 3) owner = 'replica-b'; // stolen while we retry a sink that stays down
        return batch.map((): EventOutcome => 'pending');
      },
    };
    const consumer = new NotificationConsumer({
      client: sdk.client,
      checkpointStore: sdk.checkpointStore,
      processor,
      logger: createSilentLogger(),
      startPosition: 'earliest',
      maxBatchSize: 10,
      maxWaitTimeInSeconds: 1,
      prefetchCount: 10,
      checkpointEveryEvents: 1,
      checkpointEveryMs: 0,
      ownerId: 'me',
      pendingRetryBackoff: { baseMs: 1, maxMs: 5, maxAttempts: Number.POSITIVE_INFINITY },
    });
    consumer.start();
    await sdk.handlers.processInitialize?.(sdk.ctx);
    // No processClose: the SDK would only notice on its next receive, which waits for this handler.
    await sdk.handlers.processEvents(events(1, 2), sdk.ctx);
    const after = seen.n;
    await new Promise((r) => setTimeout(r, 30));
    expect(after).toBe(3);
    expect(seen.n).toBe(after);
    expect(sdk.checkpoints).toEqual([]);
    await consumer.stop(1000);
  });

  it('with several batches in flight, holds intake while an earlier batch retries, so memory stays bounded', async () => {
    const sdk = fakeSdk();
    let release = false;
    const attempts = { n: 0 };
    const processor: BatchProcessor = {
      async processBatch(batch: readonly ReceivedEvent[]) {
        attempts.n++;
        return batch.map((e): EventOutcome => (e.sequenceNumber === 1 && !release ? 'pending' : 'done'));
      },
    };
    const consumer = consumerWith(processor, sdk, undefined, 2);
    consumer.start();
    await sdk.handlers.processInitialize?.(sdk.ctx);
    // Batch 1 returns at once (one slot of two used); batch 2 is taken but its handler must wait.
    await sdk.handlers.processEvents(events(1, 1), sdk.ctx);
    let secondReturned = false;
    const second = sdk.handlers.processEvents(events(2, 1), sdk.ctx).then(() => {
      secondReturned = true;
    });
    while (attempts.n < 4) await new Promise((r) => setTimeout(r, 5));
    expect(secondReturned).toBe(false);
    // 2 is final but held behind 1: both are held back from the checkpoint.
    expect(consumer.health.pendingEvents).toBe(2);
    expect(consumer.health.partitions['0']?.retrying).toBe(1);
    expect(sdk.checkpoints).toEqual([]);
    release = true;
    await second;
    expect(sdk.checkpoints.at(-1)).toBe(2);
    await consumer.stop(1000);
  });
});
