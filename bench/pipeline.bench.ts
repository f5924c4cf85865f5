/**
 * End-to-end worker throughput: pre-loaded hub of Graph rich notifications (RSA-2048 keys, ~1.5 KB chat
 * messages, 20% with planted sensitive data) → consumer → validate → decrypt pool → DLP engine → file
 * sink → checkpoints, against two ceilings measured in the same run:
 *   (a) a raw SDK consumer with a no-op handler reading the same pre-loaded hub;
 *   (b) RSA-2048 OAEP decrypts/s on one core × available cores.
 * Then p50/p99 enqueue-to-finding latency at half the measured maximum rate, and the peak RSS of the
 * worker process (kernel VmHWM; the harness, emulator and Azurite run in their own processes).
 * The measured worker is the compiled one (`npm run build`, loaded from dist/, as the container runs it);
 * `--from-sources` measures src/ through tsx instead. Consumer settings default to the shipped defaults
 * (src/config/options/consumer.ts). The result reports the CPU each part used during the pipeline phase.
 * Options: --events N (default 12 000: a shorter run lasts under a second and swings with start-up), --latency-seconds S (default 8), --pool-size N (default: cores),
 * --batch N, --max-wait-ms N, --prefetch N, --checkpoint-every N, --in-flight N (batches per partition),
 * --from-sources, --threads (CPU of each worker thread), --profile FILE (CPU profile of the main thread during the pipeline phase).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { consumerOptions } from '../src/config/options/consumer.js';
import {
  createFolderKeySource,
  createKeyring,
  encryptNotificationContent,
  type Keyring,
} from '../src/crypto/index.js';
import { startAzurite } from '../src/local/azurite/index.js';
import type { WorkerSettings } from '../src/worker/compose.js';
import type { BenchResult } from './run.js';
import { buildDist, positiveOption, startEmulatorProcess } from './support.js';

export const description =
  'Worker end to end (RSA-2048, ~1.5 KB messages, DLP on, file sink) vs raw SDK consumer and RSA decrypt ceilings';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUB = 'bench-subscription';
const CLIENT_STATE = 'bench-client-state';
const TENANT = '8afd02d6-ebdd-4270-a515-c749898ea5c5';
const FILLER =
  'Quarterly planning notes: the team reviewed roadmap items, customer feedback and hiring. Action items were assigned to owners with due dates next sprint. ';

/**
 * The worker as it ships: `npm run build`, then the measured worker runs in its own plain `node` process
 * (bench/pipeline-worker.mjs) loading dist/ — what the Dockerfile runs. `--from-sources` runs that process
 * on src/ through tsx instead. Either way the harness (producer, ceilings) stays out of the worker's RSS/CPU.
 */
function workerEntry(
  fromSources: boolean,
  progress: (l: string) => void,
): { execArgv: string[]; base: string } {
  const nodeFlags = containerNodeFlags();
  if (fromSources) return { execArgv: [...nodeFlags, '--import', 'tsx'], base: join(root, 'src') };
  return { execArgv: nodeFlags, base: buildDist(progress, 'the worker') };
}

/** The `node` flags of the Dockerfile's ENTRYPOINT (e.g. the young-generation cap), so the bench runs them too. */
export function containerNodeFlags(dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')): string[] {
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (entrypoint === undefined) return [];
  const argv = JSON.parse(entrypoint) as string[];
  const node = argv.indexOf('node');
  if (node < 0) return [];
  const flags: string[] = [];
  for (const arg of argv.slice(node + 1)) {
    if (!arg.startsWith('--')) break;
    flags.push(arg);
  }
  return flags;
}

type ChildMessage =
  | { type: 'loaded' }
  | { type: 'ready'; decryptPoolThreads: number }
  | { type: 'progress'; final: number; firstAt: number; lastAt: number }
  | { type: 'latency-count'; count: number }
  | { type: 'stopped'; latenciesMs: number[] }
  | { type: 'error'; message: string };

/** Peak resident set size of a process as the kernel recorded it (VmHWM), in MB. */
function peakRssMbOf(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The worker's shipped default for an option (the bench measures the worker as configured out of the box). */
function defaultOf(key: string): number {
  const spec = consumerOptions.find((o) => o.key === key);
  if (typeof spec?.default !== 'number') throw new Error(`no numeric default for ${key}`);
  return spec.default;
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
    privateDecrypt(key, buf); // a bare KeyObject: OAEP/SHA-1 are the defaults, and the cheapest call form
    n++;
  }
  return { perCore: (n * 1000) / (performance.now() - start), cores: availableParallelism() };
}

/** CPU seconds (user + system) of a process, or of each thread of this process, from /proc (Linux only). */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${tid}:${name}`, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return out;
}

/** Machine-wide busy and total CPU ticks from /proc/stat (Linux only). */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function run(args: string[], progress: (line: string) => void): Promise<BenchResult> {
  const total = positiveOption(args, 'events', 12_000);
  const latencySeconds = positiveOption(args, 'latency-seconds', 8);
  const poolIndex = args.indexOf('--pool-size');
  const poolSize = poolIndex >= 0 ? positiveOption(args, 'pool-size', 1) : undefined;
  const profileAt = args.indexOf('--profile');
  const profileFile = profileAt >= 0 ? resolve(args[profileAt + 1] ?? 'pipeline.cpuprofile') : undefined;
  let workerChild: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gdlp-bench-pipeline-'));
  const emulator = await startEmulatorProcess();
  const azurite = await startAzurite();
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
        maxBatchSize: positiveOption(args, 'batch', defaultOf('consumer.maxBatchSize')),
        maxWaitTimeMs: positiveOption(args, 'max-wait-ms', defaultOf('consumer.maxWaitTimeMs')),
        prefetchCount: positiveOption(args, 'prefetch', defaultOf('consumer.prefetchCount')),
        checkpointEveryEvents: positiveOption(
          args,
          'checkpoint-every',
          defaultOf('consumer.checkpointEveryEvents'),
        ),
        maxBatchesInFlight: positiveOption(args, 'in-flight', defaultOf('consumer.maxBatchesInFlight')),
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

    const entry = workerEntry(args.includes('--from-sources'), progress);
    progress(
      `pipeline: worker process (${entry.base === join(root, 'dist') ? 'dist/, compiled' : 'src/ through tsx'}) on the pre-loaded hub…`,
    );
    const child = fork(join(root, 'bench', 'pipeline-worker.mjs'), [entry.base], {
      execArgv: [
        ...entry.execArgv,
        ...(profileFile
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${dirname(profileFile)}`,
              `--cpu-prof-name=${basename(profileFile)}`,
            ]
          : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    workerChild = child;
    const waiters = new Set<(m: ChildMessage) => void>();
    let childError: string | undefined;
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'error') childError = m.message;
      for (const w of [...waiters]) w(m);
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const next = <T extends ChildMessage['type']>(
      type: T,
      accept: (m: Extract<ChildMessage, { type: T }>) => boolean = () => true,
    ) =>
      new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
        const w = (m: ChildMessage) => {
          if (m.type === 'error') {
            waiters.delete(w);
            reject(new Error(`worker process failed: ${m.message}`));
          } else if (m.type === type && accept(m as Extract<ChildMessage, { type: T }>)) {
            waiters.delete(w);
            resolve(m as Extract<ChildMessage, { type: T }>);
          }
        };
        waiters.add(w);
        void exited.then((code) => {
          if (waiters.delete(w)) reject(new Error(`worker process exited (${code}) ${childError ?? ''}`));
        });
      });
    await next('loaded');
    let cpuAtFirst:
      | {
          threads: Map<string, number>;
          emulator?: number;
          azurite?: number;
          machine?: { busy: number; total: number };
        }
      | undefined;
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'progress' && !cpuAtFirst)
        cpuAtFirst = {
          threads: threadCpuSeconds(child.pid ?? -1),
          emulator: cpuSecondsOf(emulator.child.pid ?? -1),
          azurite: cpuSecondsOf(azurite.pid),
          machine: machineTicks(),
        };
    });
    const ready = next('ready');
    const reached = next('progress', (m) => m.final >= total);
    child.send({
      type: 'start',
      settings,
      keyFolder: join(dir, 'keys'),
      subscription: { id: SUB, clientState: CLIENT_STATE, tenantId: TENANT },
      poolSize,
      reportAllFrom: total,
    });
    const { decryptPoolThreads } = await ready;
    const finished = await reached;
    // CPU from the first finished batch to the last event: the same window as the rate.
    const threadsAfter = threadCpuSeconds(child.pid ?? -1);
    const machineAfter = machineTicks();
    const cpuBefore = cpuAtFirst!;
    const phaseSeconds = Math.max(0.001, (finished.lastAt - finished.firstAt) / 1000);
    const pipelineRate = total / phaseSeconds;
    const mainTid = String(child.pid);
    let mainCpu = 0;
    let otherThreadsCpu = 0;
    for (const [key, after] of threadsAfter) {
      const used = after - (cpuBefore.threads.get(key) ?? 0);
      if (args.includes('--threads') && used > 0.005) progress(`    thread ${key}: ${used.toFixed(2)} s`);
      if (key.startsWith(`${mainTid}:`)) mainCpu += used;
      else otherThreadsCpu += used;
    }
    const cpuShare = (a?: number, b?: number) =>
      a === undefined || b === undefined ? undefined : Math.round(((a - b) / phaseSeconds) * 100) / 100;
    const pipelineCpu = {
      workerMainThreadCores: Math.round((mainCpu / phaseSeconds) * 100) / 100,
      workerOtherThreadsCores: Math.round((otherThreadsCpu / phaseSeconds) * 100) / 100,
      emulatorCores: cpuShare(cpuSecondsOf(emulator.child.pid ?? -1), cpuBefore.emulator),
      azuriteCores: cpuShare(cpuSecondsOf(azurite.pid), cpuBefore.azurite),
      machineBusyShare:
        machineAfter && cpuBefore.machine
          ? Math.round(
              ((machineAfter.busy - cpuBefore.machine.busy) /
                (machineAfter.total - cpuBefore.machine.total)) *
                100,
            ) / 100
          : undefined,
    };
    progress(`  CPU during the pipeline phase (cores): ${JSON.stringify(pipelineCpu)}`);
    progress(`  ${pipelineRate.toFixed(0)} notifications/s end to end`);
    const peakRssPipelineMb = peakRssMbOf(child.pid ?? -1);
    progress(`  worker process peak RSS so far: ${peakRssPipelineMb} MB`);

    const halfRate = Math.max(1, Math.floor(pipelineRate / 2));
    progress(
      `latency: producing at ${halfRate}/s (half the max) for ${latencySeconds} s, every message sensitive…`,
    );
    child.send({ type: 'latency', on: true });
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
    for (;;) {
      const counted = next('latency-count');
      child.send({ type: 'latency-count' });
      if ((await counted).count >= seq || Date.now() > waitUntil) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const peakRssMb = peakRssMbOf(child.pid ?? -1);
    const stopped = next('stopped');
    child.send({ type: 'stop' });
    const latenciesMs = (await stopped).latenciesMs;
    await exited;
    if (profileFile) progress(`CPU profile of the worker process's main thread written to ${profileFile}`);
    const p50 = percentile(latenciesMs, 50);
    const p99 = percentile(latenciesMs, 99);
    progress(
      `  ${latenciesMs.length}/${seq} findings: p50 ${p50} ms, p99 ${p99} ms; worker process peak RSS ${peakRssMb} MB`,
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
        latencySamples: latenciesMs.length,
        latencyP50Ms: p50,
        latencyP99Ms: p99,
        latencyP99TargetMs: 500,
        peakRssMb,
        peakRssScope: 'worker process (VmHWM), decrypt threads included',
        peakRssPipelinePhaseMb: peakRssPipelineMb,
        peakRssTargetMb: 300,
        decryptPoolThreads,
        workerBuild: entry.base === join(root, 'dist') ? 'dist (compiled, plain node)' : 'src (tsx)',
        workerNodeFlags: containerNodeFlags(),
        pipelineCpu,
        loadAverage1m: loadavg()[0],
      },
    };
  } finally {
    if (workerChild && workerChild.exitCode === null) workerChild.kill('SIGKILL');
    emulator.child.kill('SIGTERM');
    await azurite.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
