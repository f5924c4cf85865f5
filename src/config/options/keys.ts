import type { OptionSpec } from '../schema.js';

/** Notification decryption keys: where certificates and private keys live, rotation and retirement. */
export const keysOptions: OptionSpec[] = [
  {
    key: 'keys.source',
    env: 'GDLP_KEY_SOURCE',
    type: 'enum',
    values: ['folder', 'keyvault', 'keyvault-remote'],
    default: 'folder',
    description:
      'Where the notification certificates and private keys live: a local folder (PEM/PKCS#12), Azure Key Vault with the private key loaded into memory (fast; key must be exportable), or Azure Key Vault remote unwrap (the private key never leaves the vault; one vault call per notification).',
  },
  {
    key: 'keys.folder',
    env: 'GDLP_KEY_FOLDER',
    type: 'string',
    default: './.local-stack/keys',
    description:
      'Key folder for GDLP_KEY_SOURCE=folder: one <encryptionCertificateId>.pem (certificate + private key) or .pfx/.p12 per certificate.',
  },
  {
    key: 'keys.pfxPassword',
    env: 'GDLP_KEY_PFX_PASSWORD',
    type: 'string',
    secret: true,
    description:
      'Password of .pfx/.p12 (and encrypted PEM) files in the key folder. Unset: files are unencrypted.',
  },
  {
    key: 'keys.keyVaultUrl',
    env: 'GDLP_KEYVAULT_URL',
    type: 'url',
    description:
      'Azure Key Vault URL, e.g. https://my-vault.vault.azure.net (required for the keyvault sources).',
    requiredWhen: (raw) => raw('keys.source') === 'keyvault' || raw('keys.source') === 'keyvault-remote',
    hint: 'set GDLP_KEYVAULT_URL or use GDLP_KEY_SOURCE=folder',
  },
  {
    key: 'keys.certificateName',
    env: 'GDLP_KEYVAULT_CERTIFICATE_NAME',
    type: 'string',
    default: 'graph-dlp-notifications',
    description:
      'Key Vault certificate holding the notification key; each version is one encryptionCertificateId.',
  },
  {
    key: 'keys.retireAfterMs',
    env: 'GDLP_KEY_RETIRE_AFTER_MS',
    type: 'int',
    unit: 'ms',
    min: 0,
    default: 691_200_000,
    description:
      'A previous (non-current) certificate stops decrypting once no notification has used it for this long. Default 8 days: longer than Event Hubs retention, so replays still decrypt.',
  },
  {
    key: 'keys.reloadIntervalMs',
    env: 'GDLP_KEY_RELOAD_INTERVAL_MS',
    type: 'int',
    unit: 'ms',
    min: 0,
    default: 300_000,
    description: 'Re-read the key source this often (hot reload; 0 = only on change events and unknown ids).',
  },
  {
    key: 'keys.keyBits',
    env: 'GDLP_KEY_BITS',
    type: 'enum',
    values: ['2048', '3072', '4096'],
    default: '2048',
    unit: 'bits',
    description:
      'RSA key size for certificates created by graph-dlp (keys create / rotate / create-if-missing).',
  },
  {
    key: 'keys.createIfMissing',
    env: 'GDLP_KEY_CREATE_IF_MISSING',
    type: 'boolean',
    default: false,
    description:
      'Create a self-signed certificate at start-up when the key source has none (local stack; in Azure needs Certificates Officer).',
  },
  {
    key: 'keys.remoteUnwrapConcurrency',
    env: 'GDLP_KEYVAULT_UNWRAP_CONCURRENCY',
    type: 'int',
    unit: 'requests',
    min: 1,
    max: 256,
    default: 16,
    description:
      'Concurrent Key Vault decrypt calls in keyvault-remote mode (Key Vault throttles per vault).',
  },
  {
    key: 'keys.decryptPoolSize',
    env: 'GDLP_DECRYPT_POOL_SIZE',
    type: 'int',
    unit: 'threads',
    min: 1,
    max: 256,
    description: 'Decryption worker threads. Default: the number of available CPU cores.',
  },
];
