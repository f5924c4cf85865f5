import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import type { BenchResult } from './run.js';
import { positiveOption, startEmulatorProcess } from './support.js';

export const description =
  'Event Hubs emulator: events/s ingested and delivered (1 KB events, real @azure/event-hubs producer and consumer, emulator in its own process)';

const _root = join(dirname(fileURLToPath(import.meta.url)), '..');

const pct = (x: number) => `${Math.round(x * 100)}%`;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** CPU seconds used so far by a process (Linux /proc; 0 elsewhere), to show which side is busy. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
const clientCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function run(args: string[], progress: (line: string) => void): Promise<BenchResult> {
  const total = positiveOption(args, 'events', 100_000);
  const size = positiveOption(args, 'size', 1024);
  const inFlight = positiveOption(args, 'in-flight', 4);
  const hub = 'notifications';
  const external = args.indexOf('--connection-string');
  const { child, connectionString } =
    external >= 0
      ? { child: undefined, connectionString: String(args[external + 1]) }
      : await startEmulatorProcess();
  const producer = new EventHubProducerClient(connectionString, hub);
  const consumer = new EventHubConsumerClient('$default', connectionString, hub);
  try {
    const partitionIds = await producer.getPartitionIds();
    const body = Buffer.alloc(size, 0x61);
    // Warm-up: open links to every partition so link setup is not timed.
    await Promise.all(partitionIds.map((partitionId) => producer.sendBatch([{ body }], { partitionId })));
    const warmup = partitionIds.length;

    progress(`ingest: ${total} events of ${size} bytes, ${inFlight} sendBatch calls in flight`);
    let queued = 0;
    let sentBatches = 0;
    const emulatorCpu0 = cpuSecondsOf(child?.pid);
    const clientCpu0 = clientCpuSeconds();
    const t0 = performance.now();
    const worker = async (w: number) => {
      let round = 0;
      while (queued < total) {
        const partitionId = partitionIds[(w + round++) % partitionIds.length] as string;
        const batch = await producer.createBatch({ partitionId });
        while (queued < total && batch.tryAdd({ body })) queued++;
        await producer.sendBatch(batch);
        sentBatches++;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
    const ingestSeconds = (performance.now() - t0) / 1000;
    const ingestRate = total / ingestSeconds;
    const emulatorCpu1 = cpuSecondsOf(child?.pid);
    const clientCpu1 = clientCpuSeconds();
    const ingestEmulatorCpu = (emulatorCpu1 - emulatorCpu0) / ingestSeconds;
    const ingestClientCpu = (clientCpu1 - clientCpu0) / ingestSeconds;
    progress(
      `ingest: ${Math.round(ingestRate)} events/s (${sentBatches} batches, ${ingestSeconds.toFixed(2)} s; CPU busy: emulator ${pct(ingestEmulatorCpu)}, SDK producer ${pct(ingestClientCpu)} of one core)`,
    );

    const expected = total + warmup;
    progress(`deliver: reading ${expected} events from ${partitionIds.length} partitions`);
    let received = 0;
    let firstAt = 0;
    const t1 = performance.now();
    const done = new Promise<void>((resolve, reject) => {
      const subscription = consumer.subscribe(
        {
          processEvents: async (events) => {
            if (received === 0 && events.length > 0) firstAt = performance.now();
            received += events.length;
            if (received >= expected) {
              subscription.close().then(() => resolve(), reject);
            }
          },
          processError: async (err) => reject(err),
        },
        {
          startPosition: earliestEventPosition,
          maxBatchSize: 1000,
          maxWaitTimeInSeconds: 1,
          skipParsingBodyAsJson: true,
        },
      );
    });
    const timeout = setTimeout(() => progress(`deliver: still waiting (${received}/${expected})`), 60_000);
    await done;
    clearTimeout(timeout);
    const deliverSeconds = (performance.now() - t1) / 1000;
    const deliverRate = expected / deliverSeconds;
    const deliverEmulatorCpu = (cpuSecondsOf(child?.pid) - emulatorCpu1) / deliverSeconds;
    const deliverClientCpu = (clientCpuSeconds() - clientCpu1) / deliverSeconds;
    progress(
      `deliver: ${Math.round(deliverRate)} events/s (${deliverSeconds.toFixed(2)} s, first event after ${((firstAt - t1) / 1000).toFixed(2)} s; CPU busy: emulator ${pct(deliverEmulatorCpu)}, SDK consumer ${pct(deliverClientCpu)} of one core)`,
    );
    return {
      value: Math.min(ingestRate, deliverRate),
      unit: 'events/s',
      ceiling: null,
      ratio: null,
      target: 20_000,
      extra: {
        ingestEventsPerSecond: Math.round(ingestRate),
        deliverEventsPerSecond: Math.round(deliverRate),
        events: total,
        eventBytes: size,
        sendBatchInFlight: inFlight,
        ingestSeconds: Math.round(ingestSeconds * 100) / 100,
        deliverSeconds: Math.round(deliverSeconds * 100) / 100,
        // Events per CPU-second the emulator process spent: its own capacity, independent of how busy the
        // shared machine is (wall-clock rates above also include waiting for CPU and the SDK clients' own cost).
        ingestEventsPerEmulatorCpuSecond:
          ingestEmulatorCpu > 0 ? Math.round(ingestRate / ingestEmulatorCpu) : null,
        deliverEventsPerEmulatorCpuSecond:
          deliverEmulatorCpu > 0 ? Math.round(deliverRate / deliverEmulatorCpu) : null,
        // Fraction of one core each side used: shows whether the emulator or the SDK client is the limit.
        ingestEmulatorCpu: round2(ingestEmulatorCpu),
        ingestClientCpu: round2(ingestClientCpu),
        deliverEmulatorCpu: round2(deliverEmulatorCpu),
        deliverClientCpu: round2(deliverClientCpu),
      },
    };
  } finally {
    await consumer.close().catch(() => undefined);
    await producer.close().catch(() => undefined);
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}
