import type { OptionSpec } from '../schema.js';

export const workerOptions: OptionSpec[] = [
  {
    key: 'worker.healthPort',
    env: 'GDLP_HEALTH_PORT',
    type: 'int',
    default: 8080,
    min: 0,
    max: 65535,
    description: 'HTTP port for /healthz, /readyz and /metrics (0 = a free port).',
  },
  {
    key: 'worker.healthHost',
    env: 'GDLP_HEALTH_HOST',
    type: 'string',
    default: '0.0.0.0',
    description: 'Address the health/metrics server binds (127.0.0.1 in `demo`).',
  },
  {
    key: 'worker.shutdownDeadlineMs',
    env: 'GDLP_SHUTDOWN_DEADLINE_MS',
    type: 'int',
    default: 25_000,
    min: 1000,
    max: 29_000,
    unit: 'ms',
    description:
      'SIGTERM/SIGINT drain budget (under Container Apps’ 30 s grace): in-flight batches still running then are aborted and replay later.',
  },
  {
    key: 'worker.decryptThreads',
    env: 'GDLP_DECRYPT_THREADS',
    type: 'int',
    min: 1,
    max: 64,
    unit: 'threads',
    description: 'Decrypt worker threads. Default: available CPU cores.',
  },
  {
    key: 'worker.fetchBasicNotifications',
    env: 'GDLP_FETCH_BASIC_NOTIFICATIONS',
    type: 'boolean',
    default: true,
    description:
      'For notifications without resource data (no encryptedContent), GET the message from Graph by its `resource` and scan it (needs ChannelMessage.Read.All / Chat.Read.All); false = count and skip them.',
  },
  {
    key: 'worker.autoBackfillIntervalMs',
    env: 'GDLP_AUTO_BACKFILL_INTERVAL_MS',
    type: 'int',
    default: 0,
    min: 0,
    max: 86_400_000,
    unit: 'ms',
    description:
      'The leader replica backfills recorded subscription gaps from Graph this often (what `graph-dlp backfill run` does; needs Team.ReadBasic.All and User.Read.All for tenant-wide resources; the export APIs are metered). 0 = off: run `graph-dlp backfill` yourself.',
  },
  {
    key: 'worker.tracing',
    env: 'GDLP_TRACING',
    type: 'boolean',
    default: true,
    description:
      'Emit OpenTelemetry spans (process/checkpoint) when an OpenTelemetry SDK is registered; no-op otherwise.',
  },
];
