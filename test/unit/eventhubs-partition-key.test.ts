import { describe, expect, it } from 'vitest';
import { hashPartitionKey, partitionIndexForKey } from '../../src/local/eventhubs/partitionKey.js';

// Vectors from the SDK's own mapPartitionKeyToId (eventhubs-amqp.md §4.5): [key, h16, index for 2 / 4 / 32 partitions].
const VECTORS: [string, number | undefined, number, number, number][] = [
  ['', undefined, 0, 0, 0],
  ['a', -16220, 0, 0, 28],
  ['device-42', -21548, 0, 0, 12],
  ['hello world', 24431, 1, 3, 15],
  ['abcdefghijklmnopqrstuvwxyz', -13397, 1, 1, 21],
  ['ключ', -32174, 0, 2, 14],
];

describe('partition key mapping (lookup3, as the service and the SDK)', () => {
  it.each(VECTORS)('maps %j to the same partitions as the SDK', (key, h16, p2, p4, p32) => {
    if (h16 !== undefined) expect(hashPartitionKey(key)).toBe(h16);
    expect([
      partitionIndexForKey(key, 2),
      partitionIndexForKey(key, 4),
      partitionIndexForKey(key, 32),
    ]).toEqual([p2, p4, p32]);
  });

  it('agrees with the SDK implementation for every tail length and many keys', async () => {
    // The SDK's internal module, loaded from its published files (not part of its public API).
    const sdk = (await import(
      '../../node_modules/@azure/event-hubs/dist/esm/impl/partitionKeyToIdMapper.js'
    )) as {
      mapPartitionKeyToId(key: string, count: number): number;
    };
    for (let len = 0; len <= 40; len++) {
      for (const seed of ['x', 'Zz', 'é', '0123456789']) {
        const key = seed.repeat(len).slice(0, len);
        for (const count of [1, 3, 4, 7, 32])
          expect(partitionIndexForKey(key, count)).toBe(sdk.mapPartitionKeyToId(key, count));
      }
    }
  });
});
