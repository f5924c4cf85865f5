/**
 * Builds the domain parts of the worker (keys + decrypt pool, DLP engine) from the frozen config. The
 * subscription registry (validator) and lifecycle handler come from the subscription manager, passed in
 * by the caller (`run` and `demo` build it), because its lifetime (leader lease, reconciler) is its own.
 */
import { type ConfigTree, configSection } from '../config/index.js';
import {
  createDecryptPool,
  createFolderKeySource,
  createKeyring,
  createNotificationDecryptor,
  type Keyring,
} from '../crypto/index.js';
import { createDlpEngine, loadPolicyFile } from '../dlp/index.js';
import { GraphDlpError } from '../errors.js';
import type { Logger } from '../log.js';
import { adaptCryptoDecryptor, adaptDlpEngine, type DlpScanEngine } from './adapters.js';
import type { DomainParts } from './compose.js';
import type { ItemValidator, LifecycleHandler } from './ports.js';

interface KeysSection {
  source?: string;
  folder?: string;
  pfxPassword?: string;
  retireAfterMs?: number;
  reloadIntervalMs?: number;
  createIfMissing?: boolean;
  remoteUnwrapConcurrency?: number;
  decryptPoolSize?: number;
}

export async function createKeyringFromConfig(
  config: ConfigTree,
  logger: Logger,
  overrides: { createIfMissing?: boolean } = {},
): Promise<Keyring> {
  const keys = configSection<KeysSection>(config, 'keys');
  if (keys.source !== undefined && keys.source !== 'folder') {
    throw new GraphDlpError(
      'GDLP_KEYS_UNSUPPORTED',
      'fatal',
      `GDLP_KEY_SOURCE=${keys.source} is not wired into the worker yet; use folder (see README Limitations)`,
    );
  }
  return createKeyring({
    source: createFolderKeySource({ folder: keys.folder, pfxPassword: keys.pfxPassword, logger }),
    retireAfterMs: keys.retireAfterMs,
    reloadIntervalMs: keys.reloadIntervalMs,
    createIfMissing: overrides.createIfMissing ?? keys.createIfMissing ?? false,
    logger,
  });
}

export async function buildDomain(
  config: ConfigTree,
  logger: Logger,
  subscriptions: { validator: ItemValidator; lifecycle: LifecycleHandler; close?: () => Promise<void> },
  options: { keyring?: Keyring } = {},
): Promise<DomainParts> {
  const keys = configSection<KeysSection>(config, 'keys');
  const keyring = options.keyring ?? (await createKeyringFromConfig(config, logger));
  const pool = createDecryptPool(keys.decryptPoolSize ? { size: keys.decryptPoolSize } : {});
  const decryptor = adaptCryptoDecryptor(
    createNotificationDecryptor({ keyring, pool, remoteUnwrapConcurrency: keys.remoteUnwrapConcurrency }),
  );
  const policyFile = configSection<{ policyFile?: string }>(config, 'dlp').policyFile;
  const engine = createDlpEngine(policyFile ? { policy: loadPolicyFile(policyFile) } : {});
  return {
    decryptor,
    scanner: adaptDlpEngine(engine as unknown as DlpScanEngine),
    validator: subscriptions.validator,
    lifecycle: subscriptions.lifecycle,
    close: async () => {
      await pool.close();
      await subscriptions.close?.();
      if (!options.keyring) await keyring.close();
    },
  };
}
