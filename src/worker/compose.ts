/**
 * Composition root: builds every part of the worker from the frozen config, wires them, and returns a
 * Worker with an explicit lifecycle (created → running → draining → stopped; `failed` when start fails).
 * Domain parts (decryptor, scanner, validator, lifecycle handler) are passed in by the caller, which builds
 * them from their own areas (see src/worker/domain.ts); everything Azure-facing is built here.
 */

import { hostname } from 'node:os';
import { EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { type ConfigTree, configSection } from '../config/index.js';
import { NotificationConsumer, type StartPositionSetting } from '../consumer/consumer.js';
import { BlobDeadLetterStore } from '../deadletter/store.js';
import { describeError, GraphDlpError } from '../errors.js';
import type { Logger } from '../log.js';
import { type HealthServer, startHealthServer } from '../ops/health-server.js';
import { WorkerMetrics } from '../ops/metrics.js';
import { BlobSink } from '../sinks/blob-sink.js';
import { EventHubsSink } from '../sinks/eventhubs-sink.js';
import { FileSink } from '../sinks/file-sink.js';
import { type GraphPatcher, GraphWriteBackSink } from '../sinks/graph-writeback-sink.js';
import { HttpWebhookSink } from '../sinks/http-sink.js';
import { SinkSet } from '../sinks/sink-set.js';
import { NotificationPipeline } from './pipeline.js';
import type {
  FindingSink,
  ItemValidator,
  LifecycleHandler,
  MessageFetcher,
  MessageScanner,
  NotificationDecryptor,
  SinkMode,
} from './ports.js';

export interface WorkerSettings {
  mode: 'local' | 'azure';
  replicaId?: string;
  eventHubs: {
    connectionString?: string;
    namespace?: string;
    name: string;
    consumerGroup: string;
    findingsName: string;
  };
  storage: {
    connectionString?: string;
    accountUrl?: string;
    checkpointContainer: string;
    deadLetterContainer: string;
    findingsContainer: string;
  };
  consumer: {
    startPosition: string;
    maxBatchSize: number;
    maxWaitTimeMs: number;
    prefetchCount: number;
    maxBatchesInFlight?: number;
    checkpointEveryEvents: number;
    checkpointEveryMs: number;
    loadBalancingIntervalMs: number;
    ownershipExpiryMs: number;
    loadBalancingStrategy: 'balanced' | 'greedy';
  };
  sinks: {
    enabled: string[];
    file: string;
    webhookUrl?: string;
    webhookSecret?: string;
    webhookTimeoutMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    bestEffortAttempts: number;
  };
  worker: {
    healthPort: number;
    healthHost: string;
    shutdownDeadlineMs: number;
    decryptThreads?: number;
    /** Absent in hand-built settings (tests): then true. */
    fetchBasicNotifications?: boolean;
    /** 0 or absent: off. */
    autoBackfillIntervalMs?: number;
    tracing: boolean;
  };
}

/** Reads the worker's sections of the frozen config and reports every missing piece at once. */
export function workerSettingsFrom(config: ConfigTree): WorkerSettings {
  const s: WorkerSettings = {
    mode: (configSection<string>(config, 'mode') as 'local' | 'azure') ?? 'local',
    replicaId: configSection<string | undefined>(config, 'replicaId') as string | undefined,
    eventHubs: configSection(config, 'eventHubs'),
    storage: configSection(config, 'storage'),
    consumer: configSection(config, 'consumer'),
    sinks: configSection(config, 'sinks'),
    worker: configSection(config, 'worker'),
  };
  if (typeof s.replicaId === 'object') s.replicaId = undefined;
  const problems: string[] = [];
  if (!s.eventHubs.connectionString && !s.eventHubs.namespace)
    problems.push(
      'EVENTHUB_CONNECTION_STRING (local) or EVENTHUB_NAMESPACE (Azure, managed identity) is required',
    );
  if (!s.storage.connectionString && !s.storage.accountUrl)
    problems.push(
      'STORAGE_CONNECTION_STRING (local) or STORAGE_ACCOUNT_URL (Azure, managed identity) is required',
    );
  try {
    parseStartPosition(s.consumer.startPosition);
  } catch (err) {
    problems.push(`GDLP_START_POSITION: ${(err as Error).message}`);
  }
  for (const entry of s.sinks.enabled) {
    const [kind, mode] = entry.split(':');
    if (!['file', 'blob', 'eventhubs', 'http', 'graph'].includes(kind ?? ''))
      problems.push(`GDLP_SINKS: unknown sink '${kind}' (file, blob, eventhubs, http, graph)`);
    if (mode !== undefined && mode !== 'required' && mode !== 'best-effort')
      problems.push(`GDLP_SINKS: '${entry}': mode must be required or best-effort`);
  }
  if (s.sinks.enabled.some((e) => e.startsWith('http')) && !s.sinks.webhookUrl)
    problems.push('GDLP_WEBHOOK_URL is required when the http sink is enabled');
  if (s.consumer.ownershipExpiryMs < 2 * s.consumer.loadBalancingIntervalMs) {
    problems.push(
      'GDLP_OWNERSHIP_EXPIRY_MS must be at least 2× GDLP_LOAD_BALANCING_INTERVAL_MS (3× recommended) or partitions thrash',
    );
  }
  if (problems.length > 0) {
    throw new GraphDlpError(
      'GDLP_CONFIG_INVALID',
      'fatal',
      `Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      {
        details: { problems },
      },
    );
  }
  return s;
}

export function parseStartPosition(text: string): StartPositionSetting {
  if (text === 'earliest' || text === 'latest') return text;
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || !Number.isFinite(t))
    throw new Error(`'${text}' is not earliest, latest or an ISO-8601 time`);
  return new Date(t);
}

export interface DomainParts {
  decryptor: NotificationDecryptor;
  scanner: MessageScanner;
  validator: ItemValidator;
  lifecycle: LifecycleHandler;
  /** Graph client for the `graph` write-back sink. */
  graph?: GraphPatcher;
  /** Reads messages for notifications without resource data (absent: such notifications are counted and skipped). */
  fetcher?: MessageFetcher;
  /** Closed last, after the consumer drained (decrypt pool, keyring, subscription manager). */
  close?: () => Promise<void>;
}

export type WorkerState = 'created' | 'starting' | 'running' | 'draining' | 'stopped' | 'failed';

export interface Worker {
  readonly state: WorkerState;
  readonly metrics: WorkerMetrics;
  readonly consumer: NotificationConsumer;
  readonly sinks: SinkSet;
  readonly settings: WorkerSettings;
  /** Set after start when the health server listens. */
  readonly healthUrl: string | undefined;
  start(): Promise<void>;
  /** Drain within `worker.shutdownDeadlineMs`, then close everything. Idempotent; never rejects. */
  stop(): Promise<{ drained: boolean; elapsedMs: number }>;
}

export interface ComposeOptions {
  logger: Logger;
  domain: DomainParts;
  /** Extra sinks (tests); added to the configured ones. */
  extraSinks?: FindingSink[];
  /** Credential for Azure mode. Default: DefaultAzureCredential (managed identity on Container Apps). */
  credential?: TokenCredential;
  /** Skip the health server (tests that run several workers in one process). */
  healthServer?: boolean;
  /** Jobs started with the worker and stopped first on shutdown, before the consumer drains (e.g. auto-backfill). */
  backgroundJobs?: Array<(context: { sinks: SinkSet }) => { stop(): Promise<void> }>;
  onBatch?: ConstructorParameters<typeof NotificationConsumer>[0]['onBatch'];
}

export async function composeWorker(settings: WorkerSettings, options: ComposeOptions): Promise<Worker> {
  const { logger, domain } = options;
  const metrics = new WorkerMetrics({ defaultMetrics: options.healthServer !== false });
  let credential: TokenCredential | undefined = options.credential;
  const needCredential = !settings.eventHubs.connectionString || !settings.storage.connectionString;
  if (needCredential && !credential) {
    const { DefaultAzureCredential } = await import('@azure/identity');
    credential = new DefaultAzureCredential();
  }
  const blobService = settings.storage.connectionString
    ? BlobServiceClient.fromConnectionString(settings.storage.connectionString)
    : new BlobServiceClient(settings.storage.accountUrl!, credential);
  const checkpointContainer = blobService.getContainerClient(settings.storage.checkpointContainer);
  await checkpointContainer.createIfNotExists().catch((err: Error) => {
    throw new GraphDlpError(
      'GDLP_STORAGE_UNREACHABLE',
      'fatal',
      `cannot reach checkpoint container '${settings.storage.checkpointContainer}': ${err.message}`,
      { cause: err },
    );
  });
  const checkpointStore = new BlobCheckpointStore(checkpointContainer);
  const replicaId = settings.replicaId ?? `${hostname()}-${process.pid}`;
  const clientOptions = {
    identifier: replicaId,
    loadBalancingOptions: {
      strategy: settings.consumer.loadBalancingStrategy,
      updateIntervalInMs: settings.consumer.loadBalancingIntervalMs,
      partitionOwnershipExpirationIntervalInMs: settings.consumer.ownershipExpiryMs,
    },
  };
  const eh = settings.eventHubs;
  const client = eh.connectionString
    ? new EventHubConsumerClient(
        eh.consumerGroup,
        eh.connectionString,
        eh.name,
        checkpointStore,
        clientOptions,
      )
    : new EventHubConsumerClient(
        eh.consumerGroup,
        eh.namespace!,
        eh.name,
        credential!,
        checkpointStore,
        clientOptions,
      );

  const sinks = createConfiguredSinks(settings, { blobService, credential, graph: domain.graph, logger });
  sinks.push(...(options.extraSinks ?? []));
  const policy = { baseMs: settings.sinks.retryBaseMs, maxMs: settings.sinks.retryMaxMs };
  const sinkSet = new SinkSet(sinks, {
    requiredBackoff: { ...policy, maxAttempts: Number.POSITIVE_INFINITY },
    bestEffortBackoff: { ...policy, maxAttempts: settings.sinks.bestEffortAttempts },
    // The same configured bound ends retries of a batch a required sink rejects as poison (then dead-lettered).
    poisonAttempts: settings.sinks.bestEffortAttempts,
    logger,
    metrics,
  });
  const deadLetters = new BlobDeadLetterStore(
    blobService.getContainerClient(settings.storage.deadLetterContainer),
  );
  const pipeline = new NotificationPipeline({
    validator: domain.validator,
    lifecycle: domain.lifecycle,
    decryptor: domain.decryptor,
    fetcher: settings.worker.fetchBasicNotifications === false ? undefined : domain.fetcher,
    scanner: domain.scanner,
    sinks: sinkSet,
    deadLetters,
    logger,
    metrics,
    consumerGroup: eh.consumerGroup,
    eventHubName: eh.name,
    infraBackoff: { ...policy, maxAttempts: 5 },
  });
  const consumer = new NotificationConsumer({
    client,
    checkpointStore,
    processor: pipeline,
    logger,
    metrics,
    startPosition: parseStartPosition(settings.consumer.startPosition),
    maxBatchSize: settings.consumer.maxBatchSize,
    maxWaitTimeInSeconds: settings.consumer.maxWaitTimeMs / 1000,
    prefetchCount: settings.consumer.prefetchCount,
    checkpointEveryEvents: settings.consumer.checkpointEveryEvents,
    checkpointEveryMs: settings.consumer.checkpointEveryMs,
    maxBatchesInFlight: settings.consumer.maxBatchesInFlight ?? 1,
    pendingRetryBackoff: { ...policy, maxAttempts: Number.POSITIVE_INFINITY },
    tracing: settings.worker.tracing,
    ownerId: replicaId,
    onBatch: options.onBatch,
  });

  let state: WorkerState = 'created';
  let health: HealthServer | undefined;
  let stopping: Promise<{ drained: boolean; elapsedMs: number }> | undefined;
  const background: Array<{ stop(): Promise<void> }> = [];
  const checkpointAgeTimer = setInterval(() => {
    for (const id of consumer.ownedPartitions) metrics.checkpointAge.inc({ partition: id }, 1);
  }, 1000);
  checkpointAgeTimer.unref();

  const worker: Worker = {
    get state() {
      return state;
    },
    metrics,
    consumer,
    sinks: sinkSet,
    settings,
    get healthUrl() {
      return health?.url;
    },
    async start() {
      if (state !== 'created') return;
      state = 'starting';
      try {
        if (options.healthServer !== false) {
          health = await startHealthServer({
            port: settings.worker.healthPort,
            host: settings.worker.healthHost,
            registry: metrics.registry,
            source: {
              live: () => state !== 'failed',
              ready: () => {
                const h = consumer.health;
                return {
                  ready: state === 'running' && h.state === 'running',
                  details: { worker: state, ...h },
                };
              },
            },
          });
        }
        consumer.start();
        for (const job of options.backgroundJobs ?? []) background.push(job({ sinks: sinkSet }));
        state = 'running';
        logger.info(
          {
            replicaId,
            eventHub: eh.name,
            consumerGroup: eh.consumerGroup,
            sinks: sinks.map((s) => `${s.name}:${s.mode}`),
            health: health?.url,
          },
          'worker running',
        );
      } catch (err) {
        state = 'failed';
        await health?.close();
        throw err;
      }
    },
    stop() {
      stopping ??= (async () => {
        const started = Date.now();
        const deadline = settings.worker.shutdownDeadlineMs;
        const previous = state;
        state = 'draining';
        let drained = true;
        // Background jobs write to the sinks: stop them before anything closes.
        await Promise.all(
          background.map((job) =>
            job
              .stop()
              .catch((err) =>
                logger.warn({ stage: 'background job', err: describeError(err) }, 'stop failed'),
              ),
          ),
        );
        // Leave ~20% of the budget for closing clients after the drain.
        const drainBudget = Math.floor(deadline * 0.8);
        if (previous === 'running') {
          const timedOut = await Promise.race([
            consumer.stop(drainBudget - 500).then(() => false),
            new Promise<boolean>((r) => setTimeout(() => r(true), drainBudget).unref()),
          ]);
          if (timedOut) {
            drained = false;
            logger.error(
              { stage: 'consumer drain', budgetMs: drainBudget },
              'shutdown stage exceeded its budget',
            );
          }
        }
        const closeStage = async (name: string, fn: () => Promise<unknown>) => {
          const remaining = Math.max(200, deadline - (Date.now() - started));
          const ok = await Promise.race([
            fn().then(
              () => true,
              (err) => {
                logger.warn({ stage: name, err: describeError(err) }, 'close failed');
                return true;
              },
            ),
            new Promise<boolean>((r) => setTimeout(() => r(false), remaining).unref()),
          ]);
          if (!ok) {
            drained = false;
            logger.error({ stage: name }, 'shutdown stage hung; continuing');
          }
        };
        await closeStage('event hubs client', () => client.close());
        await closeStage('sinks', () => sinkSet.close());
        await closeStage('domain', () => domain.close?.() ?? Promise.resolve());
        clearInterval(checkpointAgeTimer);
        await closeStage('health server', () => health?.close() ?? Promise.resolve());
        state = 'stopped';
        const elapsedMs = Date.now() - started;
        logger.info({ elapsedMs, drained }, 'worker stopped');
        return { drained, elapsedMs };
      })();
      return stopping;
    },
  };
  return worker;
}

/**
 * The sinks `GDLP_SINKS` names, each with its mode (`kind:required|best-effort`; default required, graph
 * best-effort). Shared by the worker and the backfill runner.
 */
export function createConfiguredSinks(
  settings: Pick<WorkerSettings, 'sinks' | 'storage' | 'eventHubs'>,
  deps: {
    blobService: BlobServiceClient;
    credential?: TokenCredential;
    graph?: GraphPatcher;
    logger: Logger;
  },
): FindingSink[] {
  const { blobService, credential, logger } = deps;
  const eh = settings.eventHubs;
  const sinks: FindingSink[] = [];
  for (const entry of settings.sinks.enabled) {
    const [kind, modeText] = entry.split(':') as [string, string | undefined];
    const mode = (modeText as SinkMode | undefined) ?? (kind === 'graph' ? 'best-effort' : 'required');
    switch (kind) {
      case 'file':
        sinks.push(new FileSink({ path: settings.sinks.file, mode }));
        break;
      case 'blob':
        sinks.push(
          new BlobSink(blobService.getContainerClient(settings.storage.findingsContainer), { mode }),
        );
        break;
      case 'eventhubs': {
        const producer = eh.connectionString
          ? new EventHubProducerClient(eh.connectionString, eh.findingsName)
          : new EventHubProducerClient(eh.namespace!, eh.findingsName, credential!);
        sinks.push(new EventHubsSink(producer, { mode }));
        break;
      }
      case 'http':
        sinks.push(
          new HttpWebhookSink({
            url: settings.sinks.webhookUrl!,
            secret: settings.sinks.webhookSecret,
            mode,
            timeoutMs: settings.sinks.webhookTimeoutMs,
          }),
        );
        break;
      case 'graph':
        if (!deps.graph)
          throw new GraphDlpError(
            'GDLP_CONFIG_INVALID',
            'fatal',
            'the graph sink needs Graph credentials (GDLP_TENANT_ID, GDLP_GRAPH_CLIENT_ID, ...)',
          );
        sinks.push(new GraphWriteBackSink(deps.graph, logger, { mode }));
        break;
    }
  }
  return sinks;
}
