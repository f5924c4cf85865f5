import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKFILL_LEAD_MS, createBackfillStatusStore, runBackfill } from '../../src/backfill/index.js';
import { createDlpEngine } from '../../src/dlp/index.js';
import { createGraphCredential } from '../../src/graph/credential.js';
import { createGraphClient } from '../../src/graph/index.js';
import { type AzuriteInstance, startAzurite } from '../../src/local/azurite/index.js';
import { createMemorySink, type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { createSilentLogger } from '../../src/log.js';
import { FileSink } from '../../src/sinks/file-sink.js';
import { SinkSet } from '../../src/sinks/sink-set.js';
import { REGISTRY_BLOB } from '../../src/subscriptions/store.js';
import { emptyRegistry, type Gap } from '../../src/subscriptions/types.js';
import { adaptDlpEngine, type DlpScanEngine } from '../../src/worker/adapters.js';
import { readFindings, tempDir } from '../e2e/worker-helpers.js';

describe('backfill runner against the Graph simulator and Azurite', () => {
  let azurite: AzuriteInstance;
  let sim: GraphSimulator;
  const dir = tempDir('gdlp-backfill-');
  beforeAll(async () => {
    [azurite, sim] = await Promise.all([
      startAzurite(),
      startGraphSimulator({ sink: createMemorySink(), seed: 21, sensitiveShare: 0.6, pageSize: 7 }),
    ]);
  });
  afterAll(async () => {
    await sim?.stop();
    await azurite?.stop();
    dir.remove();
  });

  it('reads every message changed in a gap from Graph, reports its findings once, and records the gap as done', async () => {
    const graph = createGraphClient({
      baseUrl: sim.url,
      credential: createGraphCredential({ baseUrl: sim.url }),
    });
    const before = await sim.publish(10); // outside the gap
    await new Promise((r) => setTimeout(r, 20));
    const from = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const changes = await sim.publish(60);
    const to = new Date().toISOString();
    // Oracle: what Graph holds now for every message changed in the window, read one by one.
    const expected = new Set<string>();
    // The runner reads from BACKFILL_LEAD_MS before the gap's start, so the messages posted just before count too.
    for (const resource of new Set([...before, ...changes].map((c) => c.resource))) {
      const path = resource
        .replace(
          /^chats\('([^']+)'\)\/messages\('([^']+)'\)$/,
          (_m, c, m) => `/chats/${encodeURIComponent(c)}/messages/${m}`,
        )
        .replace(
          /^teams\('([^']+)'\)\/channels\('([^']+)'\)\/messages\('([^']+)'\)(?:\/replies\('([^']+)'\))?$/,
          (_m, t, c, m, r) =>
            `/teams/${t}/channels/${encodeURIComponent(c)}/messages/${m}${r ? `/replies/${r}` : ''}`,
        );
      const message = await graph.get<{
        id: string;
        deletedDateTime: string | null;
        lastModifiedDateTime: string;
      }>(path);
      if (
        !message.deletedDateTime &&
        Date.parse(message.lastModifiedDateTime) > Date.parse(from) - BACKFILL_LEAD_MS
      )
        expected.add(message.id);
    }
    expect(expected.size).toBeGreaterThan(20);
    expect(before.length).toBe(10);

    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      `ctl-${randomUUID().slice(0, 8)}`,
    );
    await container.createIfNotExists();
    const status = createBackfillStatusStore(container);
    const findingsFile = `${dir.path}/findings.jsonl`;
    const logger = createSilentLogger();
    const sinks = new SinkSet([new FileSink({ path: findingsFile })], {
      requiredBackoff: { baseMs: 5, maxMs: 20, maxAttempts: 5 },
      bestEffortBackoff: { baseMs: 5, maxMs: 20, maxAttempts: 2 },
      logger,
    });
    const scanner = adaptDlpEngine(createDlpEngine() as unknown as DlpScanEngine);
    const gaps: Gap[] = [
      { resource: '/teams/getAllMessages?model=A', from, to, reason: 'subscriptionRemoved', recordedAt: to },
      { resource: '/chats/getAllMessages?model=A', from, to, reason: 'missed', recordedAt: to },
      { resource: '/chats/19:x@thread.v2/messages', from, to, reason: 'missed', recordedAt: to },
    ];
    const base = { graph, scanner, status, tenantId: sim.tenantId, logger };

    const dry = await runBackfill(gaps, { ...base, dryRun: true });
    expect(dry.map((r) => r.status)).toEqual(['dry-run', 'dry-run', 'unsupported']);
    expect(readFindings(findingsFile)).toEqual([]);

    const reports = await runBackfill(gaps, { ...base, sinks });
    expect(reports.map((r) => r.status)).toEqual(['done', 'done', 'unsupported']);
    expect(reports[0]!.messages + reports[1]!.messages).toBe(expected.size);
    expect(reports.map((r) => r.messages)).toEqual(dry.map((r) => r.messages));
    const findings = readFindings(findingsFile);
    expect(findings.length).toBe(reports[0]!.findings + reports[1]!.findings);
    expect(findings.length).toBeGreaterThan(5);
    expect(findings.every((f) => expected.has(f.messageId))).toBe(true);
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);

    // Done gaps are skipped; redoing them delivers nothing new (same ids, the sink dedupes).
    const again = await runBackfill(gaps, { ...base, sinks });
    expect(again.map((r) => r.status)).toEqual(['already-done', 'already-done', 'unsupported']);
    await runBackfill(gaps, { ...base, sinks, redo: true });
    expect(readFindings(findingsFile).length).toBe(findings.length);
  });
});

describe('graph-dlp backfill (CLI)', () => {
  let azurite: AzuriteInstance;
  let sim: GraphSimulator;
  const dir = tempDir('gdlp-backfill-cli-');
  beforeAll(async () => {
    [azurite, sim] = await Promise.all([
      startAzurite(),
      startGraphSimulator({ sink: createMemorySink(), seed: 22, sensitiveShare: 0.6 }),
    ]);
  });
  afterAll(async () => {
    await sim?.stop();
    await azurite?.stop();
    dir.remove();
  });

  it('lists recorded gaps, backfills them into the configured sink, and shows them done', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    await sim.publish(30);
    const to = new Date().toISOString();
    // A gap as the subscription manager records it (a removed subscription).
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      'graph-dlp-control',
    );
    await container.createIfNotExists();
    const registry = {
      ...emptyRegistry(),
      gaps: [
        {
          resource: '/chats/getAllMessages?model=A',
          from,
          to,
          reason: 'subscriptionRemoved',
          recordedAt: to,
        },
      ],
    };
    const text = JSON.stringify(registry);
    await container.getBlockBlobClient(REGISTRY_BLOB).upload(text, Buffer.byteLength(text));
    const findingsFile = `${dir.path}/findings.jsonl`;
    const env = {
      ...process.env,
      // The worker's configuration; Event Hubs is not used by the file sink.
      EVENTHUB_CONNECTION_STRING:
        'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=unused;UseDevelopmentEmulator=true',
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      GRAPH_BASE_URL: sim.url,
      GDLP_TENANT_ID: sim.tenantId,
      GDLP_TENANT_DOMAIN: sim.tenantDomain,
      GDLP_FINDINGS_FILE: findingsFile,
    };
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const bin = fileURLToPath(new URL('../../bin/graph-dlp.js', import.meta.url));
        const child = spawn(process.execPath, [bin, 'backfill', ...args], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.stderr.on('data', (d) => {
          err += d;
        });
        child.once('exit', (code) => resolve({ code, out, err }));
      });

    const before = await cli('list');
    expect(before.code, before.err).toBe(0);
    expect(before.out).toMatch(/^1\. pending +\/chats\/getAllMessages\?model=A /m);
    const run = await cli('run');
    expect(run.code, run.err).toBe(0);
    const findings = readFindings(findingsFile);
    expect(findings.length).toBeGreaterThan(0);
    expect(run.out).toContain(`, ${findings.length} findings`);
    const after = await cli('list', '--json');
    const listed = JSON.parse(after.out) as { gaps: Array<{ state: string; findings: number }> };
    expect(listed.gaps.map((g) => [g.state, g.findings])).toEqual([['done', findings.length]]);
    const help = await cli('--help');
    expect(help.out).toMatch(/Usage: graph-dlp backfill <list\|run>/);
  });
});
