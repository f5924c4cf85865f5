/**
 * Builds the domain parts of the worker from the frozen config: keys + decrypt pool (src/crypto), the DLP
 * engine (src/dlp) and the subscription registry/lifecycle handler (src/subscriptions, built by the caller
 * because it needs the storage client and the keyring's current certificate).
 */
import { type ConfigTree, configSection } from '../config/index.js';
import { createDecryptionFromConfig, type Decryption, type KeysConfig } from '../crypto/from-config.js';
import { createDlpEngine, loadPolicyFile } from '../dlp/index.js';
import type { Logger } from '../log.js';
import type { GraphPatcher } from '../sinks/graph-writeback-sink.js';
import { adaptCryptoDecryptor, adaptDlpEngine, type DlpScanEngine } from './adapters.js';
import type { DomainParts } from './compose.js';
import { createGraphMessageFetcher, type GraphReader } from './message-fetcher.js';
import type { ItemValidator, LifecycleHandler } from './ports.js';

export async function createDecryption(
  config: ConfigTree,
  logger: Logger,
  overrides: Partial<KeysConfig> = {},
): Promise<Decryption> {
  return createDecryptionFromConfig(
    { ...configSection<KeysConfig>(config, 'keys'), ...overrides },
    { logger },
  );
}

export function buildDomain(
  config: ConfigTree,
  decryption: Decryption,
  subscriptions: {
    validator: ItemValidator;
    lifecycle: LifecycleHandler;
    graph?: GraphPatcher & GraphReader;
    close?: () => Promise<void>;
  },
): DomainParts {
  const fetchBasic = configSection<{ fetchBasicNotifications?: boolean }>(
    config,
    'worker',
  ).fetchBasicNotifications;
  const policyFile = configSection<{ policyFile?: string }>(config, 'dlp').policyFile;
  const engine = createDlpEngine(policyFile ? { policy: loadPolicyFile(policyFile) } : {});
  return {
    decryptor: adaptCryptoDecryptor(decryption.decryptor),
    scanner: adaptDlpEngine(engine as unknown as DlpScanEngine),
    validator: subscriptions.validator,
    lifecycle: subscriptions.lifecycle,
    graph: subscriptions.graph,
    fetcher:
      subscriptions.graph && fetchBasic !== false
        ? createGraphMessageFetcher(subscriptions.graph)
        : undefined,
    close: async () => {
      await subscriptions.close?.();
      await decryption.close();
    },
  };
}
