/**
 * In-process Event Hubs emulator: `startEventHubsEmulator()` → AMQP listener on 127.0.0.1 (port 0 =
 * free port), a `GET /health` HTTP endpoint, and the connection string the real SDK uses
 * (`UseDevelopmentEmulator=true` → plain TCP). See README "Local stack: Event Hubs emulator".
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { GraphDlpError } from '../../errors.js';
import { createSilentLogger, type Logger } from '../../log.js';
import {
  DEFAULT_ENTITIES,
  type EmulatorEntities,
  loadEmulatorConfigFile,
  parseEmulatorConfig,
} from './config.js';
import { PartitionLog } from './partitionLog.js';
import { type EmulatorStats, EventHubsAmqpServer, type HubState } from './server.js';

export type { EmulatorEntities, HubConfig } from './config.js';
export { DEFAULT_ENTITIES, loadEmulatorConfigFile, parseEmulatorConfig, toOfficialConfig } from './config.js';
export type { EmulatorStats, ReceiverMetrics } from './server.js';

export const EMULATOR_HOST = '127.0.0.1';
export const DEFAULT_KEY_NAME = 'RootManageSharedAccessKey';
export const DEFAULT_KEY = 'SAS_KEY_VALUE';
/** The official emulator's fixed retention. */
export const DEFAULT_RETENTION_MS = 3_600_000;

export interface EventHubsEmulatorOptions {
  /** AMQP port on 127.0.0.1. Default 0 (a free port). */
  port?: number;
  /** Entities: a Config.json path (official emulator shape) or parsed entities. Default: notifications (4) + findings (2). */
  config?: string | EmulatorEntities;
  /** Persist partition logs here (append-only files); sequence numbers and offsets survive restarts. Default: memory only. */
  dataDir?: string;
  /** Events older than this are dropped. Default 3 600 000 ms (1 hour, as the official emulator). */
  retentionMs?: number;
  /**
   * Check SAS tokens on `$cbs` against this key (the connection string then carries it). Default: no check,
   * any token is accepted, like a development emulator. `true` = the official emulator's fixed key.
   */
  validateSas?: boolean | { keyName: string; key: string };
  /**
   * Simulate throughput-unit throttling: namespace ingress budget in events per second (1 TU = 1000). Sends
   * beyond it are rejected with `com.microsoft:server-busy` (`ServerBusyError`, retried by the SDK). Default: off.
   */
  ingressEventsPerSecond?: number;
  /**
   * Close connections that have had no producer or receiver link for this long with `amqp:connection:forced`, as
   * the service does after 300 000 ms (the SDK reconnects on its next operation). Default: never.
   */
  idleConnectionTimeoutMs?: number;
  /** Port of the HTTP health endpoint. Default 0 (a free port). */
  healthPort?: number;
  logger?: Logger;
}

export interface EventHubsEmulator {
  /** Namespace connection string (no EntityPath): pass the hub name to the SDK clients. */
  connectionString: string;
  port: number;
  healthUrl: string;
  entities: EmulatorEntities;
  /** Receivers, positions, counters (runtime metrics of the emulator itself). */
  stats(): EmulatorStats;
  /** Apply the retention window now (it also runs on a timer). Returns the number of events dropped. */
  applyRetention(nowMs?: number): number;
  /** Close every connection, socket, timer and file. Idempotent. */
  stop(): Promise<void>;
}

export function emulatorConnectionString(
  port: number,
  entityPath?: string,
  key = { keyName: DEFAULT_KEY_NAME, key: DEFAULT_KEY },
): string {
  return `Endpoint=sb://${EMULATOR_HOST}:${port};SharedAccessKeyName=${key.keyName};SharedAccessKey=${key.key};UseDevelopmentEmulator=true${
    entityPath ? `;EntityPath=${entityPath}` : ''
  }`;
}

export async function startEventHubsEmulator(
  options: EventHubsEmulatorOptions = {},
): Promise<EventHubsEmulator> {
  const logger = options.logger ?? createSilentLogger();
  const entities =
    options.config === undefined
      ? DEFAULT_ENTITIES
      : typeof options.config === 'string'
        ? await loadEmulatorConfigFile(options.config)
        : parseOrPass(options.config);
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  if (options.ingressEventsPerSecond !== undefined && !(options.ingressEventsPerSecond > 0))
    throw new GraphDlpError(
      'GDLP_EMULATOR_OPTION_INVALID',
      'fatal',
      `ingressEventsPerSecond must be a positive number (got ${options.ingressEventsPerSecond})`,
    );
  if (!(retentionMs > 0))
    throw new GraphDlpError(
      'GDLP_EMULATOR_OPTION_INVALID',
      'fatal',
      `retentionMs must be a positive number of milliseconds (got ${retentionMs})`,
    );
  const hubs = new Map<string, HubState>();
  const now = Date.now();
  for (const hub of entities.hubs) {
    let createdAt = new Date(now);
    let hubDir: string | undefined;
    if (options.dataDir) {
      hubDir = join(options.dataDir, encodeURIComponent(hub.name));
      mkdirSync(hubDir, { recursive: true });
      createdAt = hubCreatedAt(hubDir, hub.partitionCount, createdAt);
    }
    const partitionIds = Array.from({ length: hub.partitionCount }, (_, i) => String(i));
    const partitions = partitionIds.map(
      (id) =>
        new PartitionLog(
          hub.name,
          id,
          hubDir ? { filePath: join(hubDir, `${id}.log`), retentionMs, nowMs: now } : {},
        ),
    );
    hubs.set(hub.name, { config: hub, createdAt, partitionIds, partitions, roundRobin: 0 });
  }
  const sasKey =
    options.validateSas === true
      ? { keyName: DEFAULT_KEY_NAME, key: DEFAULT_KEY }
      : options.validateSas || undefined;
  const server = new EventHubsAmqpServer(
    {
      entities,
      retentionMs,
      logger,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(sasKey ? { sasKey } : {}),
      ...(options.idleConnectionTimeoutMs !== undefined
        ? { idleConnectionTimeoutMs: options.idleConnectionTimeoutMs }
        : {}),
      ...(options.ingressEventsPerSecond !== undefined
        ? { ingressEventsPerSecond: options.ingressEventsPerSecond }
        : {}),
    },
    hubs,
  );
  let port: number;
  try {
    port = await server.listen(options.port ?? 0, EMULATOR_HOST);
  } catch (err) {
    await server.stop();
    throw new GraphDlpError(
      'GDLP_EMULATOR_LISTEN_FAILED',
      'fatal',
      `The Event Hubs emulator cannot listen on ${EMULATOR_HOST}:${options.port ?? 0}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  let health: Server;
  let healthPort: number;
  try {
    ({ health, healthPort } = await startHealth(options.healthPort ?? 0, () => server.stats(), entities));
  } catch (err) {
    await server.stop();
    throw new GraphDlpError(
      'GDLP_EMULATOR_LISTEN_FAILED',
      'fatal',
      `The Event Hubs emulator health endpoint cannot listen on port ${options.healthPort}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  logger.info(
    { port, healthPort, hubs: entities.hubs.map((h) => h.name), persisted: Boolean(options.dataDir) },
    'Emulator Service is Successfully Up!',
  );
  let stopped: Promise<void> | undefined;
  return {
    connectionString: emulatorConnectionString(port, undefined, sasKey),
    port,
    healthUrl: `http://${EMULATOR_HOST}:${healthPort}/health`,
    entities,
    stats: () => server.stats(),
    applyRetention: (nowMs) => server.applyRetention(nowMs),
    stop() {
      stopped ??= (async () => {
        health.closeAllConnections();
        await new Promise<void>((resolve) => health.close(() => resolve()));
        await server.stop();
      })();
      return stopped;
    },
  };
}

function parseOrPass(entities: EmulatorEntities): EmulatorEntities {
  // Re-validate programmatic entities through the same rules as Config.json.
  return parseEmulatorConfig(
    {
      UserConfig: {
        NamespaceConfig: [
          {
            Type: 'EventHub',
            Name: entities.namespace,
            Entities: entities.hubs.map((h) => ({
              Name: h.name,
              PartitionCount: h.partitionCount,
              ConsumerGroups: h.consumerGroups.filter((c) => c !== '$default').map((Name) => ({ Name })),
            })),
          },
        ],
      },
    },
    'options.config',
  );
}

/** A persisted hub keeps its creation time; a changed partition count would invalidate stored data. */
function hubCreatedAt(hubDir: string, partitionCount: number, fallback: Date): Date {
  const metaPath = join(hubDir, 'hub.json');
  try {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { createdAt: string; partitionCount: number };
    if (meta.partitionCount !== partitionCount) {
      throw new GraphDlpError(
        'GDLP_EMULATOR_DATA_MISMATCH',
        'fatal',
        `The data folder ${hubDir} holds ${meta.partitionCount} partitions but the config declares ${partitionCount}; use another --data-dir or delete it.`,
      );
    }
    return new Date(meta.createdAt);
  } catch (err) {
    if (err instanceof GraphDlpError) throw err;
    writeFileSync(metaPath, JSON.stringify({ createdAt: fallback.toISOString(), partitionCount }));
    return fallback;
  }
}

async function startHealth(
  port: number,
  stats: () => EmulatorStats,
  entities: EmulatorEntities,
): Promise<{ health: Server; healthPort: number }> {
  const health = createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'GET' && (url === '/health' || url.startsWith('/health?'))) {
      const s = stats();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'healthy',
          message: 'Service is healthy.',
          hubs: entities.hubs.map((h) => ({
            name: h.name,
            partitionCount: h.partitionCount,
            consumerGroups: h.consumerGroups,
          })),
          connections: s.connections,
          receivers: s.receivers.length,
          eventsIngested: s.eventsIngested,
          eventsDelivered: s.eventsDelivered,
        }),
      );
      return;
    }
    if (req.method === 'GET' && url === '/metrics/receivers') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats().receivers));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'not-found' }));
  });
  await new Promise<void>((resolve, reject) => {
    health.once('error', reject);
    health.listen(port, EMULATOR_HOST, () => {
      health.off('error', reject);
      resolve();
    });
  });
  return { health, healthPort: (health.address() as { port: number }).port };
}
