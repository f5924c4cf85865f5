import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { readFindings, tempDir, waitFor } from './worker-helpers.js';

describe('graph-dlp run (production entry point) on the local stack', () => {
  let stack: LocalStack;
  let sim: GraphSimulator;
  const dir = tempDir('gdlp-run-');
  beforeAll(async () => {
    stack = await startLocalStack();
    sim = await startGraphSimulator({
      eventHubsConnectionString: stack.eventHubsConnectionString,
      seed: 11,
      sensitiveShare: 0.5,
      duplicateShare: 0.2,
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await stack?.stop();
    dir.remove();
  });

  it('creates subscriptions, turns simulated Teams traffic into findings once each, and drains on SIGTERM', {
    timeout: 180_000,
  }, async () => {
    const findingsFile = `${dir.path}/findings.jsonl`;
    const env = {
      ...process.env,
      EVENTHUB_CONNECTION_STRING: stack.eventHubsConnectionString,
      STORAGE_CONNECTION_STRING: stack.storageConnectionString,
      GRAPH_BASE_URL: sim.url,
      GDLP_TENANT_ID: sim.tenantId,
      GDLP_TENANT_DOMAIN: sim.tenantDomain,
      GDLP_KEY_FOLDER: `${dir.path}/keys`,
      GDLP_KEY_CREATE_IF_MISSING: 'true',
      GDLP_FINDINGS_FILE: findingsFile,
      GDLP_HEALTH_PORT: '0',
      GDLP_LOAD_BALANCING_STRATEGY: 'greedy',
      GDLP_LOAD_BALANCING_INTERVAL_MS: '1000',
      GDLP_OWNERSHIP_EXPIRY_MS: '5000',
      GDLP_MAX_WAIT_TIME_MS: '500',
    };
    const bin = fileURLToPath(new URL('../../bin/graph-dlp.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'run'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      await waitFor('subscriptions created by the worker', () => sim.subscriptions().length >= 2, 60_000);
      await sim.publish(40);
      await sim.idle();
      const sent = sim.sentEvents();
      const healthUrl = await waitFor('health url', () => /health on (http:\/\/\S+);/.exec(err)?.[1]);
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
    expect(await exited, err).toBe(0);
    expect(out).toMatch(/final checkpoints written/);
    expect(out).not.toContain(stack.storageConnectionString);
  });
});

describe('graph-dlp run with basic notifications (GDLP_INCLUDE_RESOURCE_DATA=false)', () => {
  let stack: LocalStack;
  let sim: GraphSimulator;
  const dir = tempDir('gdlp-run-basic-');
  beforeAll(async () => {
    stack = await startLocalStack();
    sim = await startGraphSimulator({
      eventHubsConnectionString: stack.eventHubsConnectionString,
      seed: 12,
      sensitiveShare: 0.5,
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await stack?.stop();
    dir.remove();
  });

  it('subscribes without resource data, GETs each message from Graph and reports its findings', {
    timeout: 180_000,
  }, async () => {
    const findingsFile = `${dir.path}/findings.jsonl`;
    const env = {
      ...process.env,
      EVENTHUB_CONNECTION_STRING: stack.eventHubsConnectionString,
      STORAGE_CONNECTION_STRING: stack.storageConnectionString,
      GRAPH_BASE_URL: sim.url,
      GDLP_TENANT_ID: sim.tenantId,
      GDLP_TENANT_DOMAIN: sim.tenantDomain,
      GDLP_KEY_FOLDER: `${dir.path}/keys`,
      GDLP_KEY_CREATE_IF_MISSING: 'true',
      GDLP_INCLUDE_RESOURCE_DATA: 'false',
      GDLP_FINDINGS_FILE: findingsFile,
      GDLP_HEALTH_PORT: '0',
      GDLP_MAX_WAIT_TIME_MS: '500',
    };
    const bin = fileURLToPath(new URL('../../bin/graph-dlp.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'run'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      await waitFor('subscriptions created by the worker', () => sim.subscriptions().length >= 2, 60_000);
      expect(sim.subscriptions().every((s) => s.includeResourceData === false)).toBe(true);
      const changes = await sim.publish(30);
      await sim.idle();
      const healthUrl = await waitFor('health url', () => /health on (http:\/\/\S+);/.exec(err)?.[1]);
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
    expect(await exited, err).toBe(0);
  });
});
