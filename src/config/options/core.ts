import type { OptionSpec } from '../schema.js';

export const coreOptions: OptionSpec[] = [
  {
    key: 'logLevel',
    env: 'GDLP_LOG_LEVEL',
    type: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    description: 'pino log level. Redaction applies at every level.',
  },
  {
    key: 'replicaId',
    env: 'GDLP_REPLICA_ID',
    type: 'string',
    description:
      'Name of this replica in logs, ownership and leases. Default: CONTAINER_APP_REPLICA_NAME or hostname-pid.',
  },
];
