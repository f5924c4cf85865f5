import { join } from 'node:path';
import { describeError } from '../errors.js';
import { type AzuriteInstance, startAzurite } from './azurite/index.js';

/**
 * The local Azure stack in one call: our Event Hubs emulator and Azurite (blob), optionally the Graph
 * simulator and the Key Vault stand-in. Tests, benchmarks, `graph-dlp local up` and `npm start` use it.
 * Everything binds 127.0.0.1 on free ports, so several stacks can run side by side.
 */
export interface LocalStackOptions {
  /**
   * Folder for on-disk state (emulator partitions under `eventhubs/`, Azurite under `azurite/`).
   * Default: none, everything in memory and gone on stop.
   */
  dataDir?: string;
  /** Event Hubs AMQP port. Default: 0 (free port). `graph-dlp local up` uses 5672. */
  eventHubsPort?: number;
  /** Azurite blob port. Default: 0 (free port). */
  blobPort?: number;
  /** Event Hubs retention window. Default: the emulator's (1 hour, like the official emulator). */
  retentionMs?: number;
}

export interface LocalStack {
  /** Namespace-level connection string (no EntityPath), `UseDevelopmentEmulator=true`. */
  eventHubsConnectionString: string;
  eventHubsHealthUrl: string;
  /** Blob connection string for checkpoints, dead letters, findings and leases. */
  storageConnectionString: string;
  /** Stops every component; safe to call twice; continues past a component that fails to stop. */
  stop(): Promise<void>;
}

interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started: Stoppable[] = [];
  const stopAll = async () => {
    const failures: string[] = [];
    for (const component of started.reverse()) {
      try {
        await component.stop();
      } catch (err) {
        failures.push(`${component.name}: ${describeError(err)}`);
      }
    }
    if (failures.length > 0) throw new Error(`local stack did not stop cleanly: ${failures.join('; ')}`);
  };
  try {
    const { startEventHubsEmulator } = await import('./eventhubs/index.js');
    // Start both at once; register whichever started before surfacing a failure, so nothing leaks.
    const [eventHubsResult, azuriteResult] = await Promise.allSettled([
      startEventHubsEmulator({
        port: options.eventHubsPort ?? 0,
        ...(options.dataDir ? { dataDir: join(options.dataDir, 'eventhubs') } : {}),
        ...(options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {}),
      }),
      startAzurite({
        ...(options.dataDir ? { dataDir: join(options.dataDir, 'azurite') } : {}),
        ...(options.blobPort !== undefined ? { port: options.blobPort } : {}),
      }) as Promise<AzuriteInstance>,
    ]);
    if (eventHubsResult.status === 'fulfilled')
      started.push({ name: 'eventhubs', stop: () => eventHubsResult.value.stop() });
    if (azuriteResult.status === 'fulfilled')
      started.push({ name: 'azurite', stop: () => azuriteResult.value.stop() });
    if (eventHubsResult.status === 'rejected') throw eventHubsResult.reason;
    if (azuriteResult.status === 'rejected') throw azuriteResult.reason;
    const eventHubs = eventHubsResult.value;
    const azurite = azuriteResult.value;
    let stopping: Promise<void> | undefined;
    return {
      eventHubsConnectionString: eventHubs.connectionString,
      eventHubsHealthUrl: eventHubs.healthUrl,
      storageConnectionString: azurite.connectionString,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (err) {
    await stopAll().catch(() => {});
    throw err;
  }
}
