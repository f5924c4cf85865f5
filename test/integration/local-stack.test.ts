import { EventHubConsumerClient, EventHubProducerClient, type ReceivedEventData } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';

describe('local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the real producer, consumer and blob checkpoint store end to end', async () => {
    const health = await fetch(stack.eventHubsHealthUrl);
    expect(health.status).toBe(200);

    const producer = new EventHubProducerClient(stack.eventHubsConnectionString, 'notifications');
    await producer.sendBatch([{ body: { n: 1 } }, { body: { n: 2 } }], { partitionId: '0' });
    await producer.close();

    const container = new ContainerClient(stack.storageConnectionString, 'checkpoints');
    await container.createIfNotExists();
    const consumer = new EventHubConsumerClient(
      'graph-dlp',
      stack.eventHubsConnectionString,
      'notifications',
      new BlobCheckpointStore(container),
      // The balanced strategy claims one partition per iteration: iterate fast so partition 0 is ours soon.
      { loadBalancingOptions: { updateIntervalInMs: 500, partitionOwnershipExpirationIntervalInMs: 10_000 } },
    );
    const received: ReceivedEventData[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = consumer.subscribe(
        {
          processEvents: async (events, context) => {
            received.push(...events);
            const last = events.at(-1);
            if (last) await context.updateCheckpoint(last);
            if (received.length >= 2) subscription.close().then(resolve, reject);
          },
          processError: async () => {},
        },
        { startPosition: { sequenceNumber: 0, isInclusive: true }, maxWaitTimeInSeconds: 1 },
      );
    });
    await consumer.close();
    expect(received.map((e) => (e.body as { n: number }).n)).toEqual([1, 2]);

    const checkpoints: string[] = [];
    for await (const blob of container.listBlobsFlat({ includeMetadata: true })) {
      if (blob.name.includes('/checkpoint/'))
        checkpoints.push(`${blob.name} seq=${blob.metadata?.sequencenumber}`);
    }
    expect(checkpoints.some((c) => c.endsWith('/checkpoint/0 seq=1'))).toBe(true);
  });

  it('stops idempotently', async () => {
    const second = await startLocalStack();
    await Promise.all([second.stop(), second.stop()]);
    await expect(fetch(second.eventHubsHealthUrl)).rejects.toThrow();
  });
});
