/**
 * End-to-end worker throughput: pre-loaded hub of Graph rich notifications (RSA-2048 keys, ~1.5 KB chat
 * messages, 20% with planted sensitive data) → consumer → validate → decrypt pool → DLP engine → file
 * sink → checkpoints, against two ceilings measured in the same run:
 *   (a) a raw SDK consumer with a no-op handler reading the same pre-loaded hub;
 *   (b) RSA-2048 OAEP decrypts/s on one core × available cores.
 * Then p50/p99 enqueue-to-finding latency at half the measured maximum rate, and the peak RSS of this
 * process (the worker; the emulator and Azurite run in their own processes).
 * Options: --events N (default 3000), --latency-seconds S (default 8), --pool-size N (default: cores),
 * --batch N, --checkpoint-every N, --in-flight N (batches per partition, default 2), --profile FILE (CPU profile of the main thread during the pipeline phase).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import {
  createDecryptPool,
  createFolderKeySource,
  createKeyring,
  createNotificationDecryptor,
  encryptNotificationContent,
  type Keyring,
} from '../src/crypto/index.js';
import { createDlpEngine } from '../src/dlp/index.js';
import { startAzurite } from '../src/local/azurite/index.js';
import { createSilentLogger } from '../src/log.js';
import {
  adaptCryptoDecryptor,
  adaptDlpEngine,
  createRegistryValidator,
  type DlpScanEngine,
} from '../src/worker/adapters.js';
import { composeWorker, type WorkerSettings } from '../src/worker/compose.js';
import type { Finding, FindingSink } from '../src/worker/ports.js';
import type { BenchResult } from './run.js';

export const description =
  'Worker end to end (RSA-2048, ~1.5 KB messages, DLP on, file sink) vs raw SDK consumer and RSA decrypt ceilings';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUB = 'bench-subscription';
const CLIENT_STATE = 'bench-client-state';
const TENANT = '8afd02d6-ebdd-4270-a515-c749898ea5c5';
const FILLER =
  'Quarterly planning notes: the team reviewed roadmap items, customer feedback and hiring. Action items were assigned to owners with due dates next sprint. ';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

async function startEmulatorProcess(): Promise<{ child: ChildProcess; connectionString: string }> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'graph-dlp.js'), 'emulator', 'eventhubs', '--port', '0', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const connectionString = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Connection string: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
  return { child, connectionString };
}

function messageBody(keyring: Keyring, i: number, sensitive: boolean, tag: string): string {
  const cert = keyring.current();
  let text = FILLER.repeat(9).slice(0, 1300);
  if (sensitive) text += ` my visa credit card 4532 0151 1283 0366 exp 12/27, order ${i}`;
  const message = {
    id: `${tag}${i}`,
    etag: `${tag}${i}`,
    messageType: 'message',
    createdDateTime: new Date().toISOString(),
    lastModifiedDateTime: new Date().toISOString(),
    chatId: '19:bench@unq.gbl.spaces',
    from: { user: { id: 'u1', displayName: 'Bench User', userIdentityType: 'aadUser' } },
    body: { contentType: 'html', content: `<p>${text}</p>` },
    attachments: [],
    mentions: [],
  };
  return JSON.stringify({
    value: [
      {
        subscriptionId: SUB,
        changeType: 'created',
        clientState: CLIENT_STATE,
        tenantId: TENANT,
        subscriptionExpirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
        resource: `chats('19:bench@unq.gbl.spaces')/messages('${tag}${i}')`,
        resourceData: { id: `${tag}${i}` },
        encryptedContent: encryptNotificationContent(message, { id: cert.id, certificate: cert.certificate }),
      },
    ],
  });
}

async function send(connectionString: string, bodies: string[]): Promise<void> {
  const producer = new EventHubProducerClient(connectionString, 'notifications');
  try {
    const ids = await producer.getPartitionIds();
    await Promise.all(
      ids.map(async (partitionId, p) => {
        let batch = await producer.createBatch({ partitionId });
        for (let i = p; i < bodies.length; i += ids.length) {
          const event = { body: Buffer.from(bodies[i]!) };
          if (!batch.tryAdd(event)) {
            await producer.sendBatch(batch);
            batch = await producer.createBatch({ partitionId });
            batch.tryAdd(event);
          }
        }
        if (batch.count > 0) await producer.sendBatch(batch);
      }),
    );
  } finally {
    await producer.close();
  }
}

/** (a) raw SDK consumer, no-op handler: events/s from first to last event. */
async function rawConsumerRate(connectionString: string, total: number): Promise<number> {
  const client = new EventHubConsumerClient('$default', connectionString, 'notifications');
  let count = 0;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    const sub = client.subscribe(
      {
        processEvents: async (events) => {
          if (events.length === 0) return;
          if (first === 0) first = performance.now();
          count += events.length;
          if (count >= total) {
            last = performance.now();
            void sub.close().then(() => resolve());
          }
        },
        processError: async () => {},
      },
      {
        startPosition: earliestEventPosition,
        maxBatchSize: 100,
        skipParsingBodyAsJson: true,
        prefetchCount: 300,
      },
    );
  });
  await done;
  await client.close();
  return (total * 1000) / Math.max(1, last - first);
}

/** (b) RSA-2048 OAEP-SHA1 private decrypts/s on one core, × cores. */
function rsaCeiling(keyring: Keyring): { perCore: number; cores: number } {
  const key = (
    keyring as unknown as { lookup(id: string): { privateKey?: import('node:crypto').KeyObject } }
  ).lookup(keyring.current().id).privateKey!;
  const cert = keyring.current();
  const wrapped = JSON.parse(
    JSON.stringify(encryptNotificationContent({ x: 1 }, { id: cert.id, certificate: cert.certificate })),
  ).dataKey as string;
  const buf = Buffer.from(wrapped, 'base64');
  void publicEncrypt;
  void randomBytes;
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1500) {
    privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, buf);
    n++;
  }
  return { perCore: (n * 1000) / (performance.now() - start), cores: availableParallelism() };
}

class LatencySink implements FindingSink {
  readonly name = 'latency';
  readonly mode = 'required' as const;
  readonly latenciesMs: number[] = [];
  recording = false;
  async write(findings: readonly Finding[]) {
    if (!this.recording) return;
    const now = Date.now();
    for (const f of findings) if (f.enqueuedTime) this.latenciesMs.push(now - Date.parse(f.enqueuedTime));
  }
  async close() {}
}

/** CPU profile of this thread for the pipeline phase only (`--profile FILE`), for chrome://inspect or speedscope. */
async function startProfiler(): Promise<{
  stop(file: string, progress: (l: string) => void): Promise<void>;
}> {
  const { Session } = await import('node:inspector');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file, progress) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      progress(`CPU profile of the pipeline phase written to ${file}`);
    },
  };
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function run(args: string[], progress: (line: string) => void): Promise<BenchResult> {
  const total = option(args, 'events', 3000);
  const latencySeconds = option(args, 'latency-seconds', 8);
  const poolIndex = args.indexOf('--pool-size');
  const poolSize = poolIndex >= 0 ? option(args, 'pool-size', 1) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gdlp-bench-pipeline-'));
  const emulator = await startEmulatorProcess();
  const azurite = await startAzurite();
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const keyring = await createKeyring({
      source: createFolderKeySource({ folder: join(dir, 'keys'), keyBits: 2048 }),
      createIfMissing: { keyBits: 2048 },
      watch: false,
      reloadIntervalMs: 0,
    });
    progress(`encrypting and pre-loading ${total} notifications (~1.5 KB messages, RSA-2048)…`);
    const bodies = Array.from({ length: total }, (_, i) => messageBody(keyring, i, i % 5 === 0, 'p'));
    progress(`event size ≈ ${Math.round(Buffer.byteLength(bodies[0]!) / 100) / 10} KB`);
    await send(emulator.connectionString, bodies);

    progress('ceiling (a): raw SDK consumer with a no-op handler…');
    const rawRate = await rawConsumerRate(emulator.connectionString, total);
    progress(`  ${rawRate.toFixed(0)} events/s`);
    progress('ceiling (b): RSA-2048 OAEP decrypts on one core…');
    const rsa = rsaCeiling(keyring);
    const rsaRate = rsa.perCore * rsa.cores;
    progress(`  ${rsa.perCore.toFixed(0)}/s per core × ${rsa.cores} cores = ${rsaRate.toFixed(0)}/s`);

    const pool = createDecryptPool(poolSize ? { size: poolSize } : {});
    const latencySink = new LatencySink();
    const settings: WorkerSettings = {
      mode: 'local',
      replicaId: 'bench',
      eventHubs: {
        connectionString: emulator.connectionString,
        name: 'notifications',
        consumerGroup: 'graph-dlp',
        findingsName: 'findings',
      },
      storage: {
        connectionString: azurite.connectionString,
        checkpointContainer: 'checkpoints',
        deadLetterContainer: 'deadletters',
        findingsContainer: 'findings',
      },
      consumer: {
        startPosition: 'earliest',
        maxBatchSize: option(args, 'batch', 100),
        maxWaitTimeMs: 250,
        prefetchCount: Math.max(300, option(args, 'batch', 100) * 2),
        checkpointEveryEvents: option(args, 'checkpoint-every', 100),
        maxBatchesInFlight: option(args, 'in-flight', 2),
        checkpointEveryMs: 5000,
        loadBalancingIntervalMs: 1000,
        ownershipExpiryMs: 10_000,
        loadBalancingStrategy: 'greedy',
      },
      sinks: {
        enabled: ['file'],
        file: join(dir, 'findings.jsonl'),
        webhookTimeoutMs: 5000,
        retryBaseMs: 100,
        retryMaxMs: 2000,
        bestEffortAttempts: 3,
      },
      worker: { healthPort: 0, healthHost: '127.0.0.1', shutdownDeadlineMs: 20_000, tracing: false },
    };
    let finalEvents = 0;
    let first = 0;
    let lastAt = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => {
      resolveDone = r;
    });
    const worker = await composeWorker(settings, {
      logger: createSilentLogger(),
      healthServer: false,
      extraSinks: [latencySink],
      domain: {
        decryptor: adaptCryptoDecryptor(createNotificationDecryptor({ keyring, pool })),
        scanner: adaptDlpEngine(createDlpEngine() as unknown as DlpScanEngine),
        validator: createRegistryValidator((id) =>
          id === SUB ? { clientState: CLIENT_STATE, tenantId: TENANT } : undefined,
        ),
        lifecycle: { handleLifecycle: async () => {} },
        close: async () => {
          await pool.close();
          await keyring.close();
        },
      },
      onBatch: ({ events, outcomes }) => {
        if (first === 0) first = performance.now() - 1;
        finalEvents += outcomes.filter((o) => o !== 'pending').length;
        void events;
        if (finalEvents >= total && lastAt === 0) {
          lastAt = performance.now();
          resolveDone();
        }
      },
    });
    progress('pipeline: worker on the pre-loaded hub…');
    const profileAt = args.indexOf('--profile');
    const profiler = profileAt >= 0 ? await startProfiler() : undefined;
    await worker.start();
    await done;
    if (profiler) await profiler.stop(args[profileAt + 1] ?? 'pipeline.cpuprofile', progress);
    const pipelineRate = (total * 1000) / Math.max(1, lastAt - first);
    progress(`  ${pipelineRate.toFixed(0)} notifications/s end to end`);

    const halfRate = Math.max(1, Math.floor(pipelineRate / 2));
    progress(
      `latency: producing at ${halfRate}/s (half the max) for ${latencySeconds} s, every message sensitive…`,
    );
    latencySink.recording = true;
    const producer = new EventHubProducerClient(emulator.connectionString, 'notifications');
    const tickMs = 50;
    const perTick = halfRate * (tickMs / 1000);
    let owed = 0;
    let seq = 0;
    const until = Date.now() + latencySeconds * 1000;
    while (Date.now() < until) {
      const tickStart = Date.now();
      owed += perTick;
      const n = Math.floor(owed);
      owed -= n;
      if (n > 0) {
        const batch = await producer.createBatch();
        for (let k = 0; k < n; k++)
          batch.tryAdd({ body: Buffer.from(messageBody(keyring, seq++, true, 'l')) });
        await producer.sendBatch(batch);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - tickStart))));
    }
    await producer.close();
    const waitUntil = Date.now() + 15_000;
    while (latencySink.latenciesMs.length < seq && Date.now() < waitUntil)
      await new Promise((r) => setTimeout(r, 100));
    await worker.stop();
    const p50 = percentile(latencySink.latenciesMs, 50);
    const p99 = percentile(latencySink.latenciesMs, 99);
    progress(
      `  ${latencySink.latenciesMs.length}/${seq} findings: p50 ${p50} ms, p99 ${p99} ms; peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
    );
    const ceiling = Math.min(rawRate, rsaRate);
    return {
      value: pipelineRate,
      unit: 'notifications/s',
      ceiling,
      ratio: pipelineRate / ceiling,
      target: 0.8,
      extra: {
        events: total,
        rawConsumerEventsPerSecond: Math.round(rawRate),
        rsa2048DecryptsPerSecondPerCore: Math.round(rsa.perCore),
        cores: rsa.cores,
        rsaCeiling: Math.round(rsaRate),
        latencyRatePerSecond: halfRate,
        latencySamples: latencySink.latenciesMs.length,
        latencyP50Ms: p50,
        latencyP99Ms: p99,
        latencyP99TargetMs: 500,
        peakRssMb: Math.round(peakRss / 1048576),
        peakRssTargetMb: 300,
        decryptPoolThreads: pool.size,
      },
    };
  } finally {
    clearInterval(rssTimer);
    emulator.child.kill('SIGTERM');
    await azurite.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
