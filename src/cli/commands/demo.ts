import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../log.js';
import { bootstrapWorker } from '../../worker/bootstrap.js';
import {
  type CliCommand,
  parseCommandArgs,
  UsageError,
  waitForShutdownSignal,
  writeLine,
} from '../command.js';

const usage = `Usage: graph-dlp demo [--duration SECONDS] [--out DIR] [--rate N]

The whole flow on your machine, nothing to install or configure: starts the local stack (our Event Hubs
emulator, Azurite, the Graph simulator, local notification keys), creates Graph subscriptions through the
subscription manager, generates Teams traffic with planted sensitive data, runs the worker and prints live
progress (events/s, lag, findings by type). Ctrl-C stops everything cleanly.

Options:
  --duration SECONDS   Stop after this many seconds (default: run until Ctrl-C)
  --out DIR            Output folder (default ./.local-stack/demo): findings.jsonl (one finding per line,
                       "type" = canonical sensitive-information type), worker.log (pino JSON, redacted)
  --rate N             Generated Teams messages per second (default 20)
  --quiet              No progress lines, only the summary`;

export const command: CliCommand = {
  summary: 'Run the whole pipeline locally with generated traffic',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      duration: { type: 'string' },
      out: { type: 'string' },
      rate: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    const durationS = values.duration === undefined ? undefined : Number(values.duration);
    if (durationS !== undefined && (!Number.isFinite(durationS) || durationS <= 0))
      throw new UsageError('--duration must be a positive number of seconds');
    const rate = values.rate === undefined ? 20 : Number(values.rate);
    if (!Number.isFinite(rate) || rate < 0)
      throw new UsageError('--rate must be a number of messages per second (0 or more)');
    const out = resolve(values.out ?? '.local-stack/demo');
    mkdirSync(out, { recursive: true });
    const findingsFile = join(out, 'findings.jsonl');
    const logFile = join(out, 'worker.log');
    // Each demo run starts from an empty stack, so its findings file starts empty too.
    writeFileSync(findingsFile, '');
    const say = (line: string) => writeLine(io.stderr, line);
    const shutdown = waitForShutdownSignal();
    const cleanups: Array<{ name: string; fn: () => Promise<unknown> }> = [];
    const started = Date.now();
    try {
      say(
        'graph-dlp demo: starting the local stack (Event Hubs emulator, Azurite, Graph simulator, local keys)…',
      );
      const { startLocalStack } = await import('../../local/stack.js');
      const stack = await startLocalStack();
      cleanups.push({ name: 'local stack', fn: () => stack.stop() });
      const { startGraphSimulator } = await import('../../local/graph/index.js');
      const sim = await startGraphSimulator({
        eventHubsConnectionString: stack.eventHubsConnectionString,
        messagesPerSecond: 0,
        seed: 7,
      });
      cleanups.push({ name: 'graph simulator', fn: () => sim.stop() });
      say(
        `  Event Hubs emulator  ${/Endpoint=sb:\/\/([^;]+)/.exec(stack.eventHubsConnectionString)?.[1] ?? ''}`,
      );
      say(`  Azurite (blob)       ${/BlobEndpoint=([^;]+)/.exec(stack.storageConnectionString)?.[1] ?? ''}`);
      say(`  Graph simulator      ${sim.url}`);

      const config = loadConfig({
        purpose: 'worker',
        overrides: {
          mode: 'local',
          logLevel: 'info',
          'eventHubs.connectionString': stack.eventHubsConnectionString,
          'storage.connectionString': stack.storageConnectionString,
          'graph.baseUrl': sim.url,
          'graph.tenantId': sim.tenantId,
          'graph.tenantDomain': sim.tenantDomain,
          'keys.source': 'folder',
          'keys.folder': join(out, 'keys'),
          'keys.createIfMissing': true,
          'sinks.enabled': ['file'],
          'sinks.file': findingsFile,
          'worker.healthPort': 0,
          'worker.healthHost': '127.0.0.1',
          'worker.shutdownDeadlineMs': 10_000,
          'consumer.maxWaitTimeMs': 500,
          'consumer.checkpointEveryMs': 1000,
          'consumer.loadBalancingIntervalMs': 2000,
          'consumer.ownershipExpiryMs': 6000,
        },
      });
      const logger = createLogger({
        level: 'info',
        base: { component: 'demo' },
        destination: pino.destination({ dest: logFile, sync: false }),
      });
      const { worker, subscriptions } = await bootstrapWorker(config, logger);
      cleanups.push({ name: 'worker', fn: () => worker.stop() });
      await worker.start();
      say(
        `  worker health        ${worker.healthUrl}/healthz  ${worker.healthUrl}/readyz  ${worker.healthUrl}/metrics`,
      );
      say('creating Graph subscriptions through the subscription manager…');
      const deadline = Date.now() + 30_000;
      while (sim.subscriptions().length === 0 && Date.now() < deadline) {
        await subscriptions.manager.reconcileNow().catch(() => undefined);
        if (sim.subscriptions().length === 0) await new Promise((r) => setTimeout(r, 250));
      }
      for (const s of sim.subscriptions())
        say(`  subscription ${s.id}  ${s.resource}  expires ${s.expirationDateTime}`);
      if (sim.subscriptions().length === 0)
        say('  (no subscription yet: the reconciler keeps trying; see worker.log)');
      sim.setRate(rate);
      say(`generating Teams traffic at ${rate} messages/s; findings → ${findingsFile}; logs → ${logFile}`);
      say(durationS === undefined ? 'press Ctrl-C to stop' : `running for ${durationS} s`);

      let lastConsumed = 0;
      let lastAt = Date.now();
      const progress = setInterval(async () => {
        if (values.quiet) return;
        const m = worker.metrics;
        const consumed = await m.total(m.consumed);
        const now = Date.now();
        const perS = ((consumed - lastConsumed) * 1000) / Math.max(1, now - lastAt);
        lastConsumed = consumed;
        lastAt = now;
        const lag = (await m.lag.get()).values.reduce((s, v) => s + v.value, 0);
        const byType = new Map<string, number>();
        for (const v of (await m.findings.get()).values)
          byType.set(String(v.labels.type), (byType.get(String(v.labels.type)) ?? 0) + v.value);
        const dl = await m.total(m.deadLetters);
        const types =
          [...byType.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([t, n]) => `${t}=${n}`)
            .join(' ') || '-';
        say(
          `[${Math.round((now - started) / 1000)}s] ${perS.toFixed(1)} events/s  lag ${lag}  events ${consumed}  dead-letters ${dl}  findings: ${types}`,
        );
      }, 2000);
      progress.unref();
      const timer =
        durationS === undefined
          ? undefined
          : new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), durationS * 1000).unref());
      const why = await Promise.race([shutdown.signal, ...(timer ? [timer] : [])]);
      clearInterval(progress);
      say(why === 'timeout' ? 'duration reached; stopping…' : `${why}: stopping…`);
      sim.setRate(0);
      await sim.idle().catch(() => undefined);
      // Let the worker catch up with what was already published before draining.
      const catchUp = Date.now() + 5000;
      while (Date.now() < catchUp) {
        const lag = (await worker.metrics.lag.get()).values.reduce((s, v) => s + v.value, 0);
        if (lag === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const m = worker.metrics;
      const stopResult = await worker.stop();
      cleanups.pop();
      let unique = 0;
      try {
        unique = readFileSync(findingsFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '').length;
      } catch {
        unique = 0;
      }
      say(
        `stopped in ${stopResult.elapsedMs} ms (${stopResult.drained ? 'drained, final checkpoints written' : 'drain incomplete'})`,
      );
      say(
        `events ${await m.total(m.consumed)} (sent by the simulator: ${sim.sentEvents()}), findings delivered ${await m.total(m.findings)} (${unique} unique in the file; Graph duplicates are deduplicated), dead-letters ${await m.total(m.deadLetters)}`,
      );
      say(`findings: ${findingsFile}`);
      logger.flush();
      return 0;
    } finally {
      shutdown.dispose();
      for (const c of cleanups.reverse()) {
        try {
          await c.fn();
        } catch (err) {
          say(`  ${c.name} did not stop cleanly: ${(err as Error).message}`);
        }
      }
    }
  },
};
