import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createGraphCredential } from '../../src/graph/credential.js';
import { createGraphClient } from '../../src/graph/index.js';
import { type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { createSilentLogger } from '../../src/log.js';
import { WorkerMetrics } from '../../src/ops/metrics.js';
import { GraphWriteBackSink } from '../../src/sinks/graph-writeback-sink.js';
import { SinkSet } from '../../src/sinks/sink-set.js';
import type { Finding } from '../../src/worker/ports.js';

function findingFor(resource: string, id: string, actions: string[]): Finding {
  const chat = /^chats\('([^']+)'\)\/messages\('([^']+)'\)$/.exec(resource);
  const reply =
    /^teams\('([^']+)'\)\/channels\('([^']+)'\)\/messages\('([^']+)'\)\/replies\('([^']+)'\)$/.exec(resource);
  const post = /^teams\('([^']+)'\)\/channels\('([^']+)'\)\/messages\('([^']+)'\)$/.exec(resource);
  const where = chat
    ? { chatId: chat[1], messageId: chat[2] }
    : reply
      ? { teamId: reply[1], channelId: reply[2], replyToId: reply[3], messageId: reply[4] }
      : { teamId: post![1], channelId: post![2], messageId: post![3] };
  return {
    id,
    type: 'credit_card',
    ruleId: 'pci:credit_card',
    severity: 'high',
    count: 1,
    evidence: [],
    actions,
    tenantId: 't',
    subscriptionId: 's',
    changeType: 'created',
    messageVersion: '1',
    partitionId: '0',
    sequenceNumber: 0,
    detectedAt: new Date().toISOString(),
    ...where,
  } as Finding;
}

describe('Graph policyViolation write-back against the Graph simulator', () => {
  let sim: GraphSimulator;
  beforeAll(async () => {
    sim = await startGraphSimulator({ seed: 3 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('PATCHes only messages whose policy action asks, and handles 402/403/404 (skip) and 429 (retry later)', async () => {
    const graph = createGraphClient({
      baseUrl: sim.url,
      credential: createGraphCredential({ baseUrl: sim.url }),
      retry: { maxRetries: 0 },
    });
    const sink = new GraphWriteBackSink(graph, createSilentLogger());
    const changes = await sim.publish(6);
    const resources = [...new Set(changes.map((c) => c.resource))].slice(0, 4);
    expect(resources.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = resources as [string, string, string];

    await sink.write([findingFor(a, 'f1', ['blockAccess']), findingFor(b, 'f2', ['report'])]);
    expect(sim.policyViolations().map((p) => p.resource)).toEqual([a]);
    expect(sim.policyViolations()[0]!.policyViolation).toMatchObject({ dlpAction: 'blockAccess' });

    sim.failNext(1, 402, 'PaymentRequired', { method: 'PATCH' });
    await sink.write([findingFor(c, 'f3', ['notifySender'])]);
    sim.failNext(1, 403, 'Forbidden', { method: 'PATCH' });
    await sink.write([findingFor(c, 'f4', ['notifySender'])]);
    await sink.write([findingFor("chats('19:nope@unq.gbl.spaces')/messages('1')", 'f5', ['notifySender'])]);
    expect([...sink.skipped.keys()].sort()).toEqual([
      'GDLP_GRAPH_FORBIDDEN',
      'GDLP_GRAPH_NOT_FOUND',
      'GDLP_GRAPH_PAYMENT_REQUIRED',
    ]);

    sim.throttleNext(5, 1);
    await expect(sink.write([findingFor(c, 'f6', ['notifySender'])])).rejects.toMatchObject({
      kind: 'transient',
    });
  });
  it('counts findings it can never write back in tdlp_sink_skipped_total by code, and the batch is delivered', async () => {
    // A simulator of its own: the test above leaves throttled answers queued on the shared one.
    const own = await startGraphSimulator({ seed: 4 });
    onTestFinished(() => own.stop());
    const graph = createGraphClient({
      baseUrl: own.url,
      credential: createGraphCredential({ baseUrl: own.url }),
      retry: { maxRetries: 0 },
    });
    const metrics = new WorkerMetrics();
    const sinks = new SinkSet([new GraphWriteBackSink(graph, createSilentLogger())], {
      requiredBackoff: { baseMs: 1, maxMs: 5, maxAttempts: 3 },
      bestEffortBackoff: { baseMs: 1, maxMs: 5, maxAttempts: 3 },
      logger: createSilentLogger(),
      metrics,
    });
    const gone = "chats('19:gone@unq.gbl.spaces')/messages('7')";
    const result = await sinks.deliver([
      findingFor(gone, 'g1', ['blockAccess']),
      findingFor(gone, 'g2', ['notifySender']),
      findingFor(gone, 'g3', ['report']),
    ]);
    expect(result).toBe('delivered');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^tdlp_sink_skipped_total\{sink="graph",code="GDLP_GRAPH_NOT_FOUND"\} 2$/m);
  });
});
