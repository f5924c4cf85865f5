import type { OptionSpec } from '../schema.js';

export const storageOptions: OptionSpec[] = [
  {
    key: 'storage.connectionString',
    env: 'STORAGE_CONNECTION_STRING',
    type: 'string',
    secret: true,
    description:
      'Blob storage connection string for checkpoints, dead letters and findings (local/dev, Azurite).',
    hint: 'in local mode set STORAGE_CONNECTION_STRING, or use `graph-dlp demo` which starts Azurite',
  },
  {
    key: 'storage.accountUrl',
    env: 'STORAGE_ACCOUNT_URL',
    type: 'url',
    description: 'Blob endpoint, https://<account>.blob.core.windows.net (Azure mode, managed identity).',
    requiredWhen: (get) => get('mode') === 'azure' && get('storage.connectionString') === undefined,
  },
  {
    key: 'storage.checkpointContainer',
    env: 'GDLP_CHECKPOINT_CONTAINER',
    type: 'string',
    default: 'checkpoints',
    description: 'Container for checkpoint and ownership blobs (SDK format; KEDA reads it).',
  },
  {
    key: 'storage.deadLetterContainer',
    env: 'GDLP_DEADLETTER_CONTAINER',
    type: 'string',
    default: 'deadletters',
    description: 'Container for dead-lettered events (raw bytes + reason).',
  },
  {
    key: 'storage.findingsContainer',
    env: 'GDLP_FINDINGS_CONTAINER',
    type: 'string',
    default: 'findings',
    description: 'Container the `blob` sink writes findings to.',
  },
];
