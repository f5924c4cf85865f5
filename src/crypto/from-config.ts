/**
 * Builds the key source, keyring, decrypt pool and decryptor from the `keys` config section
 * (src/config/options/keys.ts). The worker, the CLI and the local stack all go through here.
 */
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { Logger } from '../log.js';
import type { KeyBits } from './certificate.js';
import { createNotificationDecryptor, type NotificationDecryptor } from './decryptor.js';
import type { KeySource } from './key-source.js';
import { createKeyring, type Keyring } from './keyring.js';
import { createDecryptPool, type DecryptPool } from './pool.js';
import { createFolderKeySource, DEFAULT_KEY_FOLDER } from './sources/folder.js';
import {
  createKeyVaultKeySource,
  createLocalVaultCredential,
  isLoopbackVaultUrl,
} from './sources/keyvault.js';

/** The `keys` section of the loaded configuration. */
export interface KeysConfig {
  source: 'folder' | 'keyvault' | 'keyvault-remote';
  folder?: string;
  pfxPassword?: string;
  keyVaultUrl?: string;
  certificateName?: string;
  retireAfterMs?: number;
  reloadIntervalMs?: number;
  keyBits?: string | number;
  createIfMissing?: boolean;
  remoteUnwrapConcurrency?: number;
  decryptPoolSize?: number;
}

export interface KeyDeps {
  /** Key Vault credential. Default: a fixed local token for a loopback (stand-in) vault, else DefaultAzureCredential
   * (managed identity on Azure; AZURE_CLIENT_ID selects a user-assigned identity). */
  credential?: TokenCredential;
  logger?: Logger;
  /** Pending-certificate poll interval for Key Vault creation (ms). */
  createPollIntervalMs?: number;
}

export function keyBitsOf(config: Pick<KeysConfig, 'keyBits'>): KeyBits {
  const bits = Number(config.keyBits ?? 2048);
  return (bits === 3072 || bits === 4096 ? bits : 2048) as KeyBits;
}

export function createKeySource(config: KeysConfig, deps: KeyDeps = {}): KeySource {
  const keyBits = keyBitsOf(config);
  if (config.source === 'folder') {
    return createFolderKeySource({
      folder: config.folder ?? DEFAULT_KEY_FOLDER,
      keyBits,
      ...(config.pfxPassword !== undefined ? { pfxPassword: config.pfxPassword } : {}),
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
  }
  const vaultUrl = config.keyVaultUrl ?? '';
  const credential =
    deps.credential ??
    (isLoopbackVaultUrl(vaultUrl) ? createLocalVaultCredential() : new DefaultAzureCredential());
  return createKeyVaultKeySource({
    vaultUrl,
    certificateName: config.certificateName ?? 'graph-dlp-notifications',
    mode: config.source === 'keyvault-remote' ? 'remote' : 'in-memory',
    credential,
    keyBits,
    // The stand-in finishes in well under a second; the real service takes seconds (SDK default poll 2 s).
    createPollIntervalMs: deps.createPollIntervalMs ?? (isLoopbackVaultUrl(vaultUrl) ? 100 : 2000),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}

export async function createKeyringFromConfig(
  config: KeysConfig,
  deps: KeyDeps & { watch?: boolean } = {},
): Promise<Keyring> {
  return createKeyring({
    source: createKeySource(config, deps),
    ...(config.retireAfterMs !== undefined ? { retireAfterMs: config.retireAfterMs } : {}),
    ...(config.reloadIntervalMs !== undefined ? { reloadIntervalMs: config.reloadIntervalMs } : {}),
    ...(config.createIfMissing ? { createIfMissing: { keyBits: keyBitsOf(config) } } : {}),
    ...(deps.watch !== undefined ? { watch: deps.watch } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}

export interface Decryption {
  keyring: Keyring;
  pool: DecryptPool;
  decryptor: NotificationDecryptor;
  /** Drains the pool and stops the keyring. Idempotent. */
  close(): Promise<void>;
}

/** Everything the worker needs to decrypt notifications, from config. */
export async function createDecryptionFromConfig(
  config: KeysConfig,
  deps: KeyDeps = {},
): Promise<Decryption> {
  const keyring = await createKeyringFromConfig(config, deps);
  const pool = createDecryptPool(
    config.decryptPoolSize !== undefined ? { size: config.decryptPoolSize } : {},
  );
  const decryptor = createNotificationDecryptor({
    keyring,
    pool,
    ...(config.remoteUnwrapConcurrency !== undefined
      ? { remoteUnwrapConcurrency: config.remoteUnwrapConcurrency }
      : {}),
  });
  let closed: Promise<void> | undefined;
  return {
    keyring,
    pool,
    decryptor,
    close() {
      closed ??= Promise.all([pool.close(), keyring.close()]).then(() => undefined);
      return closed;
    },
  };
}
