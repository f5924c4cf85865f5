import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackfillStatusStore, runBackfill } from '../../src/backfill/index.js';
import { createDlpEngine } from '../../src/dlp/index.js';
import { createGraphCredential } from '../../src/graph/credential.js';
import { createGraphClient } from '../../src/graph/index.js';
import { type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { createSilentLogger } from '../../src/log.js';
import { FileSink } from '../../src/sinks/file-sink.js';
import { SinkSet } from '../../src/sinks/sink-set.js';
import { adaptDlpEngine, type DlpScanEngine } from '../../src/worker/adapters.js';
import { readFindings, tempDir, waitFor } from './worker-helpers.js';

/** The local stack and a Graph simulator publishing into it, for one `graph-dlp run` scenario. */
function runScenario(
  prefix: string,
  simulator: Omit<Parameters<typeof startGraphSimulator>[0], 'eventHubsConnectionString'>,
) {
  const ctx = {} as { stack: LocalStack; sim: GraphSimulator };
  const dir = tempDir(prefix);
  beforeAll(async () => {
    ctx.stack = await startLocalStack();
    ctx.sim = await startGraphSimulator({
      eventHubsConnectionString: ctx.stack.eventHubsConnectionString,
      ...simulator,
    });
  });
  afterAll(async () => {
    await ctx.sim?.stop();
    await ctx.stack?.stop();
    dir.remove();
  });
  /** Starts `graph-dlp run` against the scenario; `extraEnv` adds or overrides settings. */
  const start = (extraEnv: Record<string, string> = {}) => {
    const findingsFile = `${dir.path}/findings.jsonl`;
    const env = {
      ...process.env,
      EVENTHUB_CONNECTION_STRING: ctx.stack.eventHubsConnectionString,
      STORAGE_CONNECTION_STRING: ctx.stack.storageConnectionString,
      GRAPH_BASE_URL: ctx.sim.url,
      GDLP_TENANT_ID: ctx.sim.tenantId,
      GDLP_TENANT_DOMAIN: ctx.sim.tenantDomain,
      GDLP_KEY_FOLDER: `${dir.path}/keys`,
      GDLP_KEY_CREATE_IF_MISSING: 'true',
      GDLP_FINDINGS_FILE: findingsFile,
      GDLP_HEALTH_PORT: '0',
      GDLP_MAX_WAIT_TIME_MS: '500',
      ...extraEnv,
    };
    const bin = fileURLToPath(new URL('../../bin/graph-dlp.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'run'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const io = { out: '', err: '' };
    child.stdout.on('data', (d) => {
      io.out += d;
    });
    child.stderr.on('data', (d) => {
      io.err += d;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    return { child, io, exited, findingsFile };
  };
  return { ctx, start };
}

describe('graph-dlp run (production entry point) on the local stack', () => {
  const { ctx, start } = runScenario('gdlp-run-', { seed: 11, sensitiveShare: 0.5, duplicateShare: 0.2 });

  it('creates subscriptions, turns simulated Teams traffic into findings once each, drains on SIGTERM, and a backfill of the same window adds nothing', {
    timeout: 180_000,
  }, async () => {
    const { stack, sim } = ctx;
    const { child, io, exited, findingsFile } = start({
      GDLP_LOAD_BALANCING_STRATEGY: 'greedy',
      GDLP_LOAD_BALANCING_INTERVAL_MS: '1000',
      GDLP_OWNERSHIP_EXPIRY_MS: '5000',
    });
    const publishedFrom = new Date(Date.now() - 1).toISOString();
    try {
      await waitFor('subscriptions created by the worker', () => sim.subscriptions().length >= 2, 60_000);
      await sim.publish(40);
      await sim.idle();
      const sent = sim.sentEvents();
      const healthUrl = await waitFor('health url', () => /health on (http:\/\/\S+);/.exec(io.err)?.[1]);
      await waitFor(
        'every published event consumed',
        async () => {
          const text = await (await fetch(`${healthUrl}/metrics`)).text();
          const consumed = [
            ...text.matchAll(/^messaging_client_consumed_messages_total\{[^}]*\} (\d+)/gm),
          ].reduce((a, m) => a + Number(m[1]), 0);
          return consumed >= sent;
        },
        60_000,
      );
      await waitFor('findings', () => readFindings(findingsFile).length > 0, 30_000);
      const findings = readFindings(findingsFile);
      expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, io.err).toBe(0);
    expect(io.out).toMatch(/final checkpoints written/);
    expect(io.out).not.toContain(stack.storageConnectionString);

    // A backfill over the same window finds the same findings with the same ids: nothing new downstream.
    const reported = readFindings(findingsFile).length;
    const logger = createSilentLogger();
    const reports = await runBackfill(
      ['/teams/getAllMessages?model=A', '/chats/getAllMessages?model=A'].map((resource) => ({
        resource,
        from: publishedFrom,
        to: new Date().toISOString(),
        reason: 'missed' as const,
        recordedAt: new Date().toISOString(),
      })),
      {
        graph: createGraphClient({
          baseUrl: sim.url,
          credential: createGraphCredential({ baseUrl: sim.url }),
        }),
        scanner: adaptDlpEngine(createDlpEngine() as unknown as DlpScanEngine),
        sinks: new SinkSet([new FileSink({ path: findingsFile })], {
          requiredBackoff: { baseMs: 5, maxMs: 20, maxAttempts: 5 },
          bestEffortBackoff: { baseMs: 5, maxMs: 20, maxAttempts: 2 },
          logger,
        }),
        status: createBackfillStatusStore(
          BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient(
            'graph-dlp-control',
          ),
        ),
        tenantId: sim.tenantId,
        logger,
      },
    );
    expect(reports.map((r) => r.status)).toEqual(['done', 'done']);
    expect(reports[0]!.findings + reports[1]!.findings).toBeGreaterThan(0);
    expect(readFindings(findingsFile).length).toBe(reported);
  });
});

describe('graph-dlp run with basic notifications (GDLP_INCLUDE_RESOURCE_DATA=false)', () => {
  const { ctx, start } = runScenario('gdlp-run-basic-', { seed: 12, sensitiveShare: 0.5 });

  it('subscribes without resource data, GETs each message from Graph and reports its findings', {
    timeout: 180_000,
  }, async () => {
    const { sim } = ctx;
    const { child, io, exited, findingsFile } = start({
      GDLP_INCLUDE_RESOURCE_DATA: 'false',
      GDLP_LOAD_BALANCING_STRATEGY: 'greedy',
      GDLP_LOAD_BALANCING_INTERVAL_MS: '1000',
      GDLP_OWNERSHIP_EXPIRY_MS: '5000',
    });
    try {
      await waitFor('subscriptions created by the worker', () => sim.subscriptions().length >= 2, 60_000);
      expect(sim.subscriptions().every((s) => s.includeResourceData === false)).toBe(true);
      const changes = await sim.publish(30);
      await sim.idle();
      const healthUrl = await waitFor('health url', () => /health on (http:\/\/\S+);/.exec(io.err)?.[1]);
      const fetched = await waitFor(
        'messages fetched',
        async () => {
          const text = await (await fetch(`${healthUrl}/metrics`)).text();
          const n = Number(
            /tdlp_basic_notification_fetches_total\{outcome="fetched"\} (\d+)/.exec(text)?.[1] ?? 0,
          );
          return n >= changes.filter((c) => c.changeType !== 'deleted').length ? n : undefined;
        },
        60_000,
      );
      expect(fetched).toBeGreaterThan(0);
      await waitFor('findings', () => readFindings(findingsFile).length > 0, 30_000);
      const findings = readFindings(findingsFile);
      expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
      // Every finding names a message the simulator published.
      const published = new Set(changes.map((c) => c.messageId));
      expect(findings.every((f) => published.has(f.messageId))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, io.err).toBe(0);
  });
});

describe('graph-dlp run with auto-backfill (GDLP_AUTO_BACKFILL_INTERVAL_MS)', () => {
  const { ctx, start } = runScenario('gdlp-run-backfill-', {
    seed: 13,
    sensitiveShare: 0.7,
    editShare: 0,
    deleteShare: 0,
  });

  it('recreates a removed subscription and backfills what was posted while it was gone', {
    timeout: 180_000,
  }, async () => {
    const { stack, sim } = ctx;
    const { child, io, exited, findingsFile } = start({
      GDLP_AUTO_BACKFILL_INTERVAL_MS: '1000',
      GDLP_RECONCILE_INTERVAL_MS: '1000',
      GDLP_LOAD_BALANCING_STRATEGY: 'greedy',
      GDLP_LOAD_BALANCING_INTERVAL_MS: '1000',
      GDLP_OWNERSHIP_EXPIRY_MS: '5000',
    });
    try {
      await waitFor('subscriptions created by the worker', () => sim.subscriptions().length >= 2, 60_000);
      await sim.publish(10);
      await waitFor('live findings', () => readFindings(findingsFile).length > 0, 60_000);
      // The chats subscription disappears without a lifecycle event (expired, deleted by an admin).
      const chats = sim.subscriptions().find((s) => s.resource.startsWith('/chats/'))!;
      await sim.removeSubscription(chats.id, { notify: false });
      const changes = await sim.publish(30);
      // Messages no notification carried, and among them those the DLP engine reports (as Graph holds them).
      const undelivered = changes.filter((c) => c.subscriptionIds.length === 0);
      const graph = createGraphClient({
        baseUrl: sim.url,
        credential: createGraphCredential({ baseUrl: sim.url }),
      });
      const engine = createDlpEngine();
      const sensitive: string[] = [];
      for (const c of undelivered) {
        const path = c.resource.replace(
          /^chats\('([^']+)'\)\/messages\('([^']+)'\)$/,
          (_m, chat, id) => `/chats/${encodeURIComponent(chat)}/messages/${id}`,
        );
        const message = await graph.get<Record<string, unknown>>(path);
        if (engine.scanMessage(message as never).findings.length > 0) sensitive.push(c.messageId);
      }
      expect(sensitive.length).toBeGreaterThan(0);
      // The leader notices the missing subscription, recreates it, records the gap; the backfill then reports
      // the messages no notification carried.
      const status = createBackfillStatusStore(
        BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient(
          'graph-dlp-control',
        ),
      );
      await waitFor(
        'a backfilled gap',
        async () => Object.values((await status.read()).status.done).some((d) => d.messages > 0),
        90_000,
      );
      await waitFor(
        'findings of every sensitive message posted during the gap',
        () => {
          const reported = new Set(readFindings(findingsFile).map((f) => f.messageId));
          return sensitive.every((id) => reported.has(id));
        },
        60_000,
      );
      const findings = readFindings(findingsFile);
      expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, io.err).toBe(0);
  });
});
