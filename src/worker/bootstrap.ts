/**
 * From a frozen config to a started-able Worker with every real part: keys + decrypt pool, DLP engine,
 * subscription manager (registry, lifecycle, leader-elected reconciler), sinks, consumer. Used by
 * `graph-dlp run` and `graph-dlp demo`.
 */
import { hostname } from 'node:os';
import { createBackfillStatusStore, runBackfill } from '../backfill/index.js';
import type { ConfigTree } from '../config/index.js';
import type { Logger } from '../log.js';
import { graphConfigOf } from '../subscriptions/from-config.js';
import { startAutoBackfill } from './auto-backfill.js';
import { createToolClients } from './clients.js';
import {
  type ComposeOptions,
  composeWorker,
  type Worker,
  type WorkerSettings,
  workerSettingsFrom,
} from './compose.js';
import { buildDomain, createDecryption } from './domain.js';
import { createSubscriptionPart, type SubscriptionPart } from './subscriptions-bridge.js';

export function namespaceOf(settings: WorkerSettings): string {
  if (settings.eventHubs.namespace) return settings.eventHubs.namespace;
  const endpoint = /Endpoint=sb:\/\/([^/;]+)/i.exec(settings.eventHubs.connectionString ?? '')?.[1];
  return endpoint ?? 'localhost';
}

export async function bootstrapWorker(
  config: ConfigTree,
  logger: Logger,
  options: {
    settings?: WorkerSettings;
    keys?: { createIfMissing?: boolean };
    compose?: Partial<ComposeOptions>;
  } = {},
): Promise<{ worker: Worker; subscriptions: SubscriptionPart; settings: WorkerSettings }> {
  const settings = options.settings ?? workerSettingsFrom(config);
  const replicaId = settings.replicaId ?? `${hostname()}-${process.pid}`;
  const decryption = await createDecryption(config, logger, options.keys ?? {});
  let subscriptions: SubscriptionPart | undefined;
  try {
    const clients = await createToolClients(settings);
    subscriptions = await createSubscriptionPart({
      config,
      logger,
      storage: clients.blobService,
      eventHubsNamespace: namespaceOf(settings),
      eventHubName: settings.eventHubs.name,
      currentCertificate: () => decryption.keyring.current(),
      replicaId,
    });
    const domain = buildDomain(config, decryption, subscriptions);
    const part = subscriptions;
    const backgroundJobs = [...(options.compose?.backgroundJobs ?? [])];
    const autoBackfillMs = settings.worker.autoBackfillIntervalMs ?? 0;
    if (autoBackfillMs > 0) {
      const status = createBackfillStatusStore(
        clients.blobService.getContainerClient(graphConfigOf(config).controlContainer),
      );
      const tenantId = graphConfigOf(config).tenantId ?? '';
      const backfillLogger = logger.child({ component: 'backfill' });
      backgroundJobs.push(({ sinks }) =>
        startAutoBackfill({
          intervalMs: autoBackfillMs,
          isLeader: () => part.manager.isLeader(),
          gaps: () => part.manager.snapshot().gaps,
          run: (gaps, signal) =>
            runBackfill(gaps, {
              graph: part.graph,
              scanner: domain.scanner,
              sinks,
              status,
              tenantId,
              logger: backfillLogger,
              signal,
            }),
          logger: backfillLogger,
        }),
      );
    }
    const worker = await composeWorker(
      { ...settings, replicaId },
      { logger, domain, ...(options.compose ?? {}), backgroundJobs },
    );
    return { worker, subscriptions, settings };
  } catch (err) {
    await subscriptions?.close().catch(() => {});
    await decryption.close().catch(() => {});
    throw err;
  }
}
