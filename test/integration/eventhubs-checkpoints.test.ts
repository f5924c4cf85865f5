/**
 * BlobCheckpointStore on Azurite with the embedded emulator: checkpoint, stop, restart → resume exactly
 * after the checkpoint; then restart the emulator itself on its data folder → checkpoints still valid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzuriteInstance, startAzurite } from '../../src/local/azurite/index.js';
import { type EventHubsEmulator, startEventHubsEmulator } from '../../src/local/eventhubs/index.js';
import { waitFor } from '../fixtures/eventhubs/helpers.js';

const HUB = 'notifications';
const GROUP = 'graph-dlp';
let azurite: AzuriteInstance;
let emulator: EventHubsEmulator;
let dataDir: string;
let container: ContainerClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eh-persist-'));
  [azurite, emulator] = await Promise.all([startAzurite(), startEventHubsEmulator({ dataDir })]);
  container = new ContainerClient(azurite.connectionString, 'checkpoints');
  await container.create();
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
  await azurite?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Body = { id?: number; sentinel?: number; partition?: string };

/** Sends `ids` round robin, then one sentinel per partition so "everything before it arrived" is observable. */
async function publish(ids: number[], round: number): Promise<void> {
  const producer = new EventHubProducerClient(emulator.connectionString, HUB);
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
  const client = new EventHubConsumerClient(GROUP, emulator.connectionString, HUB, store, {
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
    const checkpoints = await new BlobCheckpointStore(container).listCheckpoints('127.0.0.1', HUB, GROUP);
    expect(checkpoints.map((c) => c.partitionId).sort()).toEqual(['0', '1', '2', '3']);
    await publish(range(10, 15), 2);
    expect(await consumeUntilSentinels(2)).toEqual(range(10, 15));
  });

  it('keeps checkpoints valid across an emulator restart on the same data folder', async () => {
    const before = await Promise.all(
      ['0', '1', '2', '3'].map((id) =>
        new EventHubProducerClient(emulator.connectionString, HUB).getPartitionProperties(id),
      ),
    );
    await emulator.stop();
    emulator = await startEventHubsEmulator({ dataDir });
    const producer = new EventHubProducerClient(emulator.connectionString, HUB);
    const after = await Promise.all(['0', '1', '2', '3'].map((id) => producer.getPartitionProperties(id)));
    await producer.close();
    expect(after.map((p) => [p.lastEnqueuedSequenceNumber, p.lastEnqueuedOffset])).toEqual(
      before.map((p) => [p.lastEnqueuedSequenceNumber, p.lastEnqueuedOffset]),
    );
    await publish(range(15, 18), 3);
    expect(await consumeUntilSentinels(3)).toEqual(range(15, 18));
  });
});
