import type { OptionSpec } from '../schema.js';

export const consumerOptions: OptionSpec[] = [
  {
    key: 'consumer.startPosition',
    env: 'GDLP_START_POSITION',
    type: 'string',
    default: 'earliest',
    description:
      'Where a partition without a checkpoint starts: earliest (oldest retained), latest, or an ISO-8601 time. Ignored once a checkpoint exists (use `checkpoints reset`).',
  },
  {
    key: 'consumer.maxBatchSize',
    env: 'GDLP_MAX_BATCH_SIZE',
    type: 'int',
    default: 100,
    min: 1,
    max: 5000,
    unit: 'events',
    description: 'Largest batch handed to the pipeline per partition.',
  },
  {
    key: 'consumer.maxWaitTimeMs',
    env: 'GDLP_MAX_WAIT_TIME_MS',
    type: 'int',
    default: 1000,
    min: 100,
    max: 600_000,
    unit: 'ms',
    description:
      'Longest wait to fill a batch; an empty batch then acts as a heartbeat for time-based checkpoints.',
  },
  {
    key: 'consumer.prefetchCount',
    env: 'GDLP_PREFETCH_COUNT',
    type: 'int',
    default: 300,
    min: 1,
    max: 10_000,
    unit: 'events',
    description: 'Events prefetched per partition (bounds memory).',
  },
  {
    key: 'consumer.maxBatchesInFlight',
    env: 'GDLP_MAX_BATCHES_IN_FLIGHT',
    type: 'int',
    default: 2,
    min: 1,
    max: 16,
    unit: 'batches',
    description:
      'Batches of one partition processed at once: with 2+ the next batch decrypts while the previous one is still being delivered (checkpoints stay contiguous).',
  },
  {
    key: 'consumer.checkpointEveryEvents',
    env: 'GDLP_CHECKPOINT_EVERY_EVENTS',
    type: 'int',
    // Each checkpoint costs an ownership read plus a blob write; at 100 they took more CPU than DLP. A crash
    // replays at most this many events per partition, and the sinks dedupe them.
    default: 1000,
    min: 1,
    unit: 'events',
    description: 'Checkpoint after this many events reached a final outcome...',
  },
  {
    key: 'consumer.checkpointEveryMs',
    env: 'GDLP_CHECKPOINT_EVERY_MS',
    type: 'int',
    default: 5000,
    min: 0,
    unit: 'ms',
    description: '...or after this much time with progress pending.',
  },
  {
    key: 'consumer.loadBalancingIntervalMs',
    env: 'GDLP_LOAD_BALANCING_INTERVAL_MS',
    type: 'int',
    default: 5000,
    min: 500,
    unit: 'ms',
    description:
      'Load-balancing cycle: ownership renewal and, with balanced, one more partition claimed per cycle until the share is even.',
  },
  {
    key: 'consumer.ownershipExpiryMs',
    env: 'GDLP_OWNERSHIP_EXPIRY_MS',
    type: 'int',
    default: 20_000,
    min: 1500,
    unit: 'ms',
    description:
      'Ownership older than this counts as abandoned (a crashed replica). Keep ≥ 3× the load-balancing interval.',
  },
  {
    key: 'consumer.loadBalancingStrategy',
    env: 'GDLP_LOAD_BALANCING_STRATEGY',
    type: 'enum',
    values: ['balanced', 'greedy'],
    default: 'balanced',
    description: 'balanced claims one partition per cycle (less thrash); greedy claims its share at once.',
  },
];
