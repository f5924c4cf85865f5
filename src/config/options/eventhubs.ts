import type { OptionSpec } from '../schema.js';

const isAzure = (get: (k: string) => unknown) => get('mode') === 'azure';

export const eventHubsOptions: OptionSpec[] = [
  {
    key: 'mode',
    env: 'GDLP_MODE',
    type: 'enum',
    values: ['local', 'azure'],
    default: 'local',
    description:
      'local: connection strings (emulator, Azurite, dev). azure: managed identity (DefaultAzureCredential) with EVENTHUB_NAMESPACE and STORAGE_ACCOUNT_URL.',
  },
  {
    key: 'eventHubs.connectionString',
    env: 'EVENTHUB_CONNECTION_STRING',
    type: 'string',
    secret: true,
    description:
      'Event Hubs namespace connection string (local/dev). Without it, EVENTHUB_NAMESPACE and the managed identity are used.',
    hint: 'in local mode set EVENTHUB_CONNECTION_STRING, or use `graph-dlp demo` which starts the emulator',
  },
  {
    key: 'eventHubs.namespace',
    env: 'EVENTHUB_NAMESPACE',
    type: 'string',
    description: 'Fully qualified namespace, e.g. ns.servicebus.windows.net (Azure mode, managed identity).',
    requiredWhen: (get) => isAzure(get) && get('eventHubs.connectionString') === undefined,
    hint: 'e.g. mynamespace.servicebus.windows.net',
  },
  {
    key: 'eventHubs.name',
    env: 'GDLP_EVENTHUB_NAME',
    type: 'string',
    default: 'notifications',
    description: 'Event hub that Graph delivers change notifications into.',
  },
  {
    key: 'eventHubs.consumerGroup',
    env: 'GDLP_CONSUMER_GROUP',
    type: 'string',
    default: 'graph-dlp',
    description: 'Consumer group of the worker. A side group replays without touching the main one.',
  },
  {
    key: 'eventHubs.findingsName',
    env: 'GDLP_FINDINGS_EVENTHUB_NAME',
    type: 'string',
    default: 'findings',
    description: 'Event hub the `eventhubs` sink writes findings to.',
  },
];
