import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { createSilentLogger } from '../../src/log.js';
import { composeWorker } from '../../src/worker/compose.js';
import type { Finding, FindingSink } from '../../src/worker/ports.js';
import {
  createTestDomain,
  createTestKeys,
  readFindings,
  richNotificationBody,
  runCli,
  sendBodies,
  tempDir,
  testSettings,
  waitFor,
} from './worker-helpers.js';

class RecordingSink implements FindingSink {
  readonly name = 'recording';
  readonly mode = 'required' as const;
  readonly delivered: string[] = [];
  async write(findings: readonly Finding[]) {
    this.delivered.push(...findings.map((f) => f.id));
  }
  async close() {}
}

async function checkpointSequences(stack: LocalStack, group: string): Promise<Record<string, number>> {
  const container = BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient(
    'checkpoints',
  );
  const out: Record<string, number> = {};
  for await (const b of container.listBlobsFlat({ includeMetadata: true })) {
    if (b.name.includes(`/${group.toLowerCase()}/checkpoint/`))
      out[b.name.split('/').pop()!] = Number(b.metadata?.sequencenumber);
  }
  return out;
}

const cli = runCli;

describe('backpressure and replay on the local stack', () => {
  let stack: LocalStack | undefined;
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await stack?.stop();
    stack = undefined;
  });

  it('a required sink that is down holds checkpoints back; after recovery every finding arrives once, nothing lost', async () => {
    stack = await startLocalStack();
    const dir = tempDir('gdlp-e2e-bp-');
    cleanups.push(() => dir.remove());
    let up = false;
    let refused = 0;
    const accepted = new Map<string, number>();
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        if (!up) {
          refused++;
          res.writeHead(503, { 'retry-after': '0' }).end();
          return;
        }
        for (const f of (JSON.parse(body) as { findings: Finding[] }).findings)
          accepted.set(f.id, (accepted.get(f.id) ?? 0) + 1);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const keyring = await createTestKeys(`${dir.path}/keys`);
    const expected = Array.from({ length: 20 }, (_, i) => `b${i}`);
    await sendBodies(
      stack.eventHubsConnectionString,
      'notifications',
      expected.map((id) => richNotificationBody(keyring, { id, text: `4111111111111111 ${id}` })),
    );
    const settings = testSettings(stack, {
      findingsFile: `${dir.path}/unused.jsonl`,
      sinks: ['http'],
      checkpointEveryEvents: 1,
      checkpointEveryMs: 100,
    });
    settings.sinks.webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/findings`;
    const worker = await composeWorker(settings, {
      logger: createSilentLogger(),
      domain: await createTestDomain(keyring),
      healthServer: false,
    });
    await worker.start();
    cleanups.push(async () => void (await worker.stop()));
    await waitFor('retries against the dead sink', () => refused >= 8, 60_000);
    // Backpressure: no partition's checkpoint moved past an event whose findings were not delivered.
    expect(Object.values(await checkpointSequences(stack, 'graph-dlp')).every((s) => s < 0)).toBe(true);
    up = true;
    await waitFor('all findings accepted', () => accepted.size === expected.length, 60_000);
    await waitFor(
      'checkpoints advanced',
      async () =>
        Object.values(await checkpointSequences(stack!, 'graph-dlp')).filter((s) => s >= 4).length === 4,
      30_000,
    );
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
  });

  it('reset-and-replay and a side consumer group yield the same findings and no downstream duplicates', async () => {
    stack = await startLocalStack();
    const dir = tempDir('gdlp-e2e-replay-');
    cleanups.push(() => dir.remove());
    const keyring = await createTestKeys(`${dir.path}/keys`);
    const ids = Array.from({ length: 24 }, (_, i) => `r${i}`);
    await sendBodies(
      stack.eventHubsConnectionString,
      'notifications',
      ids.map((id, i) =>
        richNotificationBody(keyring, { id, text: i % 3 === 0 ? `4111111111111111 ${id}` : `hi ${id}` }),
      ),
    );
    const findingsFile = `${dir.path}/findings.jsonl`;
    const runOnce = async (group: string) => {
      const recording = new RecordingSink();
      const worker = await composeWorker(testSettings(stack!, { findingsFile, consumerGroup: group }), {
        logger: createSilentLogger(),
        domain: await createTestDomain(keyring),
        extraSinks: [recording],
        healthServer: false,
      });
      await worker.start();
      await waitFor(
        'group caught up',
        async () => {
          const cps = await checkpointSequences(stack!, group);
          return Object.keys(cps).length === 4 && Object.values(cps).every((s) => s === 5);
        },
        60_000,
      );
      await worker.stop();
      return recording.delivered;
    };
    const first = await runOnce('graph-dlp');
    expect(first.length).toBe(8);

    const env = {
      EVENTHUB_CONNECTION_STRING: stack.eventHubsConnectionString,
      STORAGE_CONNECTION_STRING: stack.storageConnectionString,
      GDLP_OWNERSHIP_EXPIRY_MS: '4000',
      GDLP_LOAD_BALANCING_INTERVAL_MS: '1000',
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    cleanups.push(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    const show = await cli(['checkpoints', 'show']);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/total lag: 0 events/);
    const dry = await cli(['checkpoints', 'reset', '--to-earliest', '--export', `${dir.path}/plan.csv`]);
    expect(dry.code).toBe(0);
    expect(dry.err).toMatch(/dry run/);
    expect(Object.values(await checkpointSequences(stack, 'graph-dlp')).every((s) => s === 5)).toBe(true);
    const exec = await cli(['checkpoints', 'reset', '--from-file', `${dir.path}/plan.csv`, '--execute']);
    expect(exec.code, exec.err).toBe(0);
    expect((await cli(['checkpoints', 'show'])).out).toMatch(/total lag: 24 events/);

    const replayed = await runOnce('graph-dlp');
    expect(new Set(replayed)).toEqual(new Set(first));
    const side = await runOnce('$default');
    expect(new Set(side)).toEqual(new Set(first));
    // Downstream (the file sink) holds each finding exactly once despite three deliveries.
    const lines = readFindings(findingsFile);
    expect(lines.length).toBe(8);
    expect(new Set(lines.map((l) => l.id))).toEqual(new Set(first));
  });
});
