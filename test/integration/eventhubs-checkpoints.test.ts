/**
 * BlobCheckpointStore on Azurite with the emulator: checkpoint, stop, restart → resume exactly
 * after the checkpoint; then restart the emulator itself on its data folder → checkpoints still valid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventHubsEmulator, startEventHubsEmulator } from '../../src/local/eventhubs/index.js';
import { waitFor } from '../fixtures/eventhubs/helpers.js';
import { onContainers, type StackUnderTest, startStackUnderTest } from '../fixtures/eventhubs/stack.js';

const HUB = 'notifications';
const GROUP = 'graph-dlp';
let stack: StackUnderTest;
let dataDir: string;
let container: ContainerClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eh-persist-'));
  stack = await startStackUnderTest({ emulator: { dataDir }, storage: true });
  container = new ContainerClient(stack.storageConnectionString as string, 'checkpoints');
  await container.create();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Body = { id?: number; sentinel?: number; partition?: string };

/** Sends `ids` round robin, then one sentinel per partition so "everything before it arrived" is observable. */
async function publish(ids: number[], round: number): Promise<void> {
  const producer = new EventHubProducerClient(stack.eventHubsConnectionString, HUB);
  try {
    for (const id of ids) await producer.sendBatch([{ body: { id } }]);
    for (const partition of await producer.getPartitionIds())
      await producer.sendBatch([{ body: { sentinel: round, partition } }], { partitionId: partition });
  } finally {
    await producer.close();
  }
}

/** A load-balanced processor with checkpoints; runs until every sentinel of `round` arrived, then stops. */
async function consumeUntilSentinels(round: number): Promise<number[]> {
  const store = new BlobCheckpointStore(container);
  // Greedy + short interval: claim all four partitions in the first iterations instead of one per 10 s.
  const client = new EventHubConsumerClient(GROUP, stack.eventHubsConnectionString, HUB, store, {
    loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 500 },
  });
  const ids: number[] = [];
  const sentinels = new Set<string>();
  let error: Error | undefined;
  const subscription = client.subscribe(
    {
      processEvents: async (events, context) => {
        for (const e of events) {
          const body = e.body as Body;
          if (body.sentinel === round) sentinels.add(String(body.partition));
          else if (body.id !== undefined) ids.push(body.id);
        }
        const last = events[events.length - 1];
        if (last) await context.updateCheckpoint(last);
      },
      processError: async (err) => {
        error = err;
      },
    },
    { startPosition: earliestEventPosition, maxBatchSize: 20, maxWaitTimeInSeconds: 1 },
  );
  try {
    await waitFor(`all sentinels of round ${round}`, () => {
      if (error) throw error;
      return sentinels.size === 4;
    });
  } finally {
    await subscription.close();
    await client.close();
  }
  return ids.sort((a, b) => a - b);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('BlobCheckpointStore on Azurite with the emulator', () => {
  it('resumes exactly after the checkpoint: no duplicates, nothing skipped', async () => {
    await publish(range(0, 10), 1);
    expect(await consumeUntilSentinels(1)).toEqual(range(0, 10));
    const namespace = new URL(stack.eventHubsConnectionString.split(';')[0]?.replace('Endpoint=', '') ?? '')
      .hostname;
    const checkpoints = await new BlobCheckpointStore(container).listCheckpoints(namespace, HUB, GROUP);
    expect(checkpoints.map((c) => c.partitionId).sort()).toEqual(['0', '1', '2', '3']);
    await publish(range(10, 15), 2);
    expect(await consumeUntilSentinels(2)).toEqual(range(10, 15));
  });

  // The official emulator does not persist events across restarts; this is an embedded-emulator feature.
  it.skipIf(onContainers)(
    'keeps checkpoints valid across an emulator restart on the same data folder',
    async () => {
      const before = await Promise.all(
        ['0', '1', '2', '3'].map((id) =>
          new EventHubProducerClient(stack.eventHubsConnectionString, HUB).getPartitionProperties(id),
        ),
      );
      const embedded = stack.embedded as EventHubsEmulator;
      await embedded.stop();
      const restarted = await startEventHubsEmulator({ dataDir });
      stack.embedded = restarted;
      stack.eventHubsConnectionString = restarted.connectionString;
      const producer = new EventHubProducerClient(stack.eventHubsConnectionString, HUB);
      const after = await Promise.all(['0', '1', '2', '3'].map((id) => producer.getPartitionProperties(id)));
      await producer.close();
      expect(after.map((p) => [p.lastEnqueuedSequenceNumber, p.lastEnqueuedOffset])).toEqual(
        before.map((p) => [p.lastEnqueuedSequenceNumber, p.lastEnqueuedOffset]),
      );
      await publish(range(15, 18), 3);
      expect(await consumeUntilSentinels(3)).toEqual(range(15, 18));
    },
  );
});
