import { PassThrough } from 'node:stream';
import { Registry as MetricsRegistry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RetryEvent } from '../../src/graph/index.js';
import { type AzuriteInstance, startAzurite } from '../../src/local/azurite/index.js';
import { createMemorySink, type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { createLogger } from '../../src/log.js';
import { createControlStore, SECRETS_BLOB } from '../../src/subscriptions/store.js';
import {
  makeCertificate,
  managerFor,
  notificationUrlFor,
  type TestCertificate,
} from './subscriptions-helpers.js';

const HOUR = 3_600_000;
let azurite: AzuriteInstance;
let cert1: TestCertificate;
let cert2: TestCertificate;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  [azurite, cert1, cert2] = await Promise.all([
    startAzurite(),
    makeCertificate('cert-1'),
    makeCertificate('cert-2'),
  ]);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await azurite?.stop();
});

async function simulator(options: Parameters<typeof startGraphSimulator>[0] = {}): Promise<GraphSimulator> {
  const sim = await startGraphSimulator({ sink: createMemorySink(), ...options });
  cleanups.push(() => sim.stop());
  return sim;
}

function setup(sim: GraphSimulator, extra: Partial<Parameters<typeof managerFor>[0]> = {}) {
  let current = cert1;
  let clock = Date.now();
  const retries: RetryEvent[] = [];
  const { manager, container } = managerFor({
    sim,
    storageConnectionString: azurite.connectionString,
    certificate: () => current,
    retries,
    ...extra,
    overrides: { clock: () => clock, ...(extra.overrides ?? {}) },
  });
  cleanups.push(() => manager.close());
  return {
    manager,
    container,
    retries,
    rotate: (c: TestCertificate) => {
      current = c;
    },
    advance: (ms: number) => {
      clock = Date.now() + ms;
    },
  };
}

describe('subscription reconciler against the Graph simulator', () => {
  it('creates both tenant-wide subscriptions with Event Hubs URLs, the current certificate and a stored clientState', async () => {
    const sim = await simulator();
    const { manager, container } = setup(sim);
    const report = await manager.syncOnce();
    expect(report.created.map((c) => c.resource).sort()).toEqual([
      '/chats/getAllMessages?model=A',
      '/teams/getAllMessages?model=A',
    ]);
    const subs = sim.subscriptions();
    expect(subs).toHaveLength(2);
    for (const s of subs) {
      expect(s).toMatchObject({
        changeType: 'created,updated,deleted',
        includeResourceData: true,
        encryptionCertificateId: 'cert-1',
        notificationUrl: notificationUrlFor(sim),
        lifecycleNotificationUrl: notificationUrlFor(sim),
      });
      expect(s.clientState).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(
        await manager.validateItem({
          subscriptionId: s.id,
          clientState: s.clientState,
          tenantId: sim.tenantId,
        }),
      ).toEqual({ ok: true });
    }
    const registry = manager.snapshot();
    expect(registry.subscriptions.map((e) => e.id).sort()).toEqual(subs.map((s) => s.id).sort());
    expect(JSON.stringify(registry)).not.toContain(subs[0]?.clientState as string);
    const secrets = await createControlStore(container).readSecrets();
    expect(Object.values(secrets.doc.secrets).sort()).toEqual(subs.map((s) => s.clientState).sort());
    expect(await container.getBlobClient(SECRETS_BLOB).exists()).toBe(true);
    // A second pass has nothing to do.
    const again = await manager.syncOnce();
    expect([again.created, again.renewed, again.deleted, again.recreated].flat()).toEqual([]);
  });

  it('rejects a wrong clientState, an unknown subscription and a foreign tenant', async () => {
    const sim = await simulator();
    const { manager } = setup(sim);
    await manager.syncOnce();
    const [s] = sim.subscriptions();
    expect(
      await manager.validateItem({
        subscriptionId: s?.id as string,
        clientState: 'guess',
        tenantId: sim.tenantId,
      }),
    ).toMatchObject({ ok: false, code: 'GDLP_SUBSCRIPTIONS_CLIENT_STATE_MISMATCH' });
    expect(
      await manager.validateItem({
        subscriptionId: 'nope',
        clientState: s?.clientState,
        tenantId: sim.tenantId,
      }),
    ).toMatchObject({ ok: false, code: 'GDLP_SUBSCRIPTIONS_UNKNOWN_SUBSCRIPTION' });
    expect(
      await manager.validateItem({
        subscriptionId: s?.id as string,
        clientState: s?.clientState,
        tenantId: '00000000-0000-0000-0000-000000000000',
      }),
    ).toMatchObject({ ok: false, code: 'GDLP_SUBSCRIPTIONS_TENANT_MISMATCH' });
  });

  it('renews (PATCH expirationDateTime) once half the lifetime has passed', async () => {
    const sim = await simulator();
    const { manager, advance } = setup(sim);
    await manager.syncOnce();
    const before = new Map(sim.subscriptions().map((s) => [s.id, s.expirationDateTime]));
    advance(40 * HOUR);
    const report = await manager.syncOnce();
    expect(report.renewed.map((r) => r.reason)).toEqual(['due', 'due']);
    for (const s of sim.subscriptions()) {
      expect(s.lastPatchAt).not.toBeNull();
      expect(s.expirationDateTime >= (before.get(s.id) as string)).toBe(true);
    }
    expect(sim.spacingViolations()).toEqual([]);
  });

  it('recreates on PATCH 404 and records the gap for backfill', async () => {
    const sim = await simulator();
    const { manager, advance } = setup(sim, { resources: ['/teams/getAllMessages'] });
    await manager.syncOnce();
    const [old] = sim.subscriptions();
    // Graph drops the subscription between our list and our PATCH.
    sim.onNextRequest(
      { method: 'PATCH', pathPrefix: '/subscriptions/' },
      () => void sim.removeSubscription(old?.id as string),
    );
    advance(40 * HOUR);
    const report = await manager.syncOnce();
    expect(report.recreated).toEqual([
      { id: expect.any(String), resource: '/teams/getAllMessages?model=A', previousId: old?.id },
    ]);
    expect(report.gaps).toMatchObject([
      { reason: 'recreated-after-404', subscriptionId: old?.id, resource: '/teams/getAllMessages?model=A' },
    ]);
    const now = sim.subscriptions();
    expect(now.map((s) => s.id)).toEqual([report.recreated[0]?.id]);
    expect(sim.requests().some((r) => r.method === 'PATCH' && r.status === 404)).toBe(true);
    // The old subscription's clientState keeps validating items still in the hub.
    expect(
      await manager.validateItem({
        subscriptionId: old?.id as string,
        clientState: old?.clientState,
        tenantId: sim.tenantId,
      }),
    ).toEqual({ ok: true });
  });

  it('recreates a subscription that vanished while nobody looked, with a gap since its last notification', async () => {
    const sim = await simulator();
    const { manager } = setup(sim, { resources: ['/chats/getAllMessages'] });
    await manager.syncOnce();
    const [old] = sim.subscriptions();
    manager.recordNotification(old?.id as string, new Date(Date.now() - 60_000));
    await sim.removeSubscription(old?.id as string);
    const report = await manager.syncOnce();
    expect(report.recreated).toHaveLength(1);
    expect(report.gaps).toMatchObject([{ reason: 'subscription-gone', subscriptionId: old?.id }]);
    // The gap stays open until the replacement exists and then ends at its creation, so nothing posted while
    // the replacement was being created falls outside the window a backfill reads.
    const [gap] = manager.snapshot().gaps;
    const replacement = manager.snapshot().subscriptions[0]!;
    expect(gap?.open).toBeUndefined();
    expect(gap!.to >= replacement.createdAt!).toBe(true);
  });

  it('adopts on 409 when another instance created the same subscription first (clientState unknown: not ours)', async () => {
    const sim = await simulator();
    const { manager } = setup(sim, { resources: ['/chats/getAllMessages'] });
    sim.onNextRequest({ method: 'POST', pathPrefix: '/subscriptions' }, () => {
      sim.injectSubscription({
        resource: '/chats/getAllMessages?model=A',
        changeType: 'created,updated,deleted',
        notificationUrl: notificationUrlFor(sim),
        clientState: 'someone-elses',
      });
    });
    const report = await manager.syncOnce();
    expect(
      sim
        .requests()
        .filter((r) => r.method === 'POST')
        .map((r) => r.status),
    ).toEqual([409]);
    expect(report.adopted).toEqual([
      { id: sim.subscriptions()[0]?.id, resource: '/chats/getAllMessages?model=A', createdByUs: false },
    ]);
    expect(
      await manager.validateItem({
        subscriptionId: sim.subscriptions()[0]?.id as string,
        clientState: 'someone-elses',
        tenantId: sim.tenantId,
      }),
    ).toMatchObject({ ok: false, code: 'GDLP_SUBSCRIPTIONS_CLIENT_STATE_UNKNOWN' });
  });

  it('adopts on 409 after a create whose answer was lost, keeping the clientState it sent', async () => {
    const sim = await simulator();
    const { manager } = setup(sim, { resources: ['/teams/getAllMessages'] });
    // The create happens at Graph but every answer fails; the SDK retries (503), the retry gets 409.
    sim.failNext(1, 503, 'serviceNotAvailable', {
      method: 'POST',
      pathPrefix: '/subscriptions',
      afterRouting: true,
    });
    const report = await manager.syncOnce();
    expect(
      sim
        .requests()
        .filter((r) => r.method === 'POST')
        .map((r) => r.status),
    ).toEqual([503, 409]);
    const [s] = sim.subscriptions();
    expect(report.adopted).toEqual([
      { id: s?.id, resource: '/teams/getAllMessages?model=A', createdByUs: true },
    ]);
    expect(
      await manager.validateItem({
        subscriptionId: s?.id as string,
        clientState: s?.clientState,
        tenantId: sim.tenantId,
      }),
    ).toEqual({ ok: true });
  });

  it('backs off on 429 honouring Retry-After and then succeeds', async () => {
    const sim = await simulator();
    const { manager, retries } = setup(sim, { resources: ['/teams/getAllMessages'] });
    sim.throttleNext(2, 1);
    const report = await manager.syncOnce();
    expect(report.created).toHaveLength(1);
    expect(report.errors).toEqual([]);
    expect(retries.slice(0, 2)).toMatchObject([
      { status: 429, attempt: 1, delayMs: 1000, retryAfterHonoured: true },
      { status: 429, attempt: 2, delayMs: 1000, retryAfterHonoured: true },
    ]);
    expect(sim.requests().filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('moves every subscription to the new certificate after a rotation', async () => {
    const sim = await simulator();
    const { manager, rotate } = setup(sim);
    await manager.syncOnce();
    rotate(cert2);
    const report = await manager.syncOnce();
    expect(report.renewed.map((r) => [r.reason, r.certificateId])).toEqual([
      ['certificate-rotation', 'cert-2'],
      ['certificate-rotation', 'cert-2'],
    ]);
    for (const s of sim.subscriptions()) {
      expect(s.encryptionCertificateId).toBe('cert-2');
      expect(s.encryptionCertificate).toBe(cert2.certificate);
    }
    expect(manager.snapshot().subscriptions.map((e) => e.certificateId)).toEqual(['cert-2', 'cert-2']);
  });

  it('deletes the subscription no longer desired, and never one it did not create', async () => {
    const sim = await simulator();
    const { manager } = setup(sim);
    await manager.syncOnce();
    const foreign = sim.injectSubscription({
      resource: '/users/u1/chats/getAllMessages?model=B',
      changeType: 'created',
      notificationUrl: notificationUrlFor(sim),
    });
    manager.updateDesired({
      resources: ['/teams/getAllMessages'],
      paymentModel: 'A',
      notificationUrl: notificationUrlFor(sim),
      lifetimeMs: 4_200 * 60_000,
    });
    const report = await manager.syncOnce();
    expect(report.deleted).toEqual([
      { id: expect.any(String), resource: '/chats/getAllMessages?model=A', reason: 'not-desired' },
    ]);
    expect(report.ignored).toEqual([{ id: foreign.id, resource: foreign.resource }]);
    expect(
      sim
        .subscriptions()
        .map((s) => s.resource)
        .sort(),
    ).toEqual(['/teams/getAllMessages?model=A', '/users/u1/chats/getAllMessages?model=B']);
  });

  it('retries with a shorter lifetime when Graph refuses the expiration, and remembers it', async () => {
    const sim = await simulator({ maxLifetimeMinutes: 1_440 });
    const { manager } = setup(sim, { resources: ['/teams/getAllMessages'] });
    const report = await manager.syncOnce();
    expect(report.created).toHaveLength(1);
    expect(
      sim
        .requests()
        .filter((r) => r.method === 'POST')
        .map((r) => r.status),
    ).toEqual([400, 201]);
    expect(Object.values(manager.snapshot().learnedMaxLifetimeMs)).toEqual([1_440 * 60_000]);
  });

  it('handles lifecycle events: reauthorize, recreate on removal, gap on missed; ignores the validation message', async () => {
    const sim = await simulator();
    const { manager } = setup(sim);
    await manager.syncOnce();
    const [a, b] = sim.subscriptions();
    await manager.handleLifecycle({
      subscriptionId: 'NA',
      clientState: 'NA',
      changeType: 'Validation: Testing client application reachability for subscription Request-Id: x',
    });
    await manager.handleLifecycle({
      subscriptionId: a?.id as string,
      clientState: a?.clientState,
      tenantId: sim.tenantId,
      lifecycleEvent: 'reauthorizationRequired',
    });
    await manager.handleLifecycle({
      subscriptionId: a?.id as string,
      clientState: a?.clientState,
      tenantId: sim.tenantId,
      lifecycleEvent: 'missed',
    });
    await manager.handleLifecycle({
      subscriptionId: b?.id as string,
      clientState: b?.clientState,
      tenantId: sim.tenantId,
      lifecycleEvent: 'subscriptionRemoved',
    });
    await manager.handleLifecycle({
      subscriptionId: b?.id as string,
      clientState: 'forged',
      tenantId: sim.tenantId,
      lifecycleEvent: 'subscriptionRemoved',
    });
    const report = await manager.syncOnce();
    expect(report.reauthorized).toEqual([{ id: a?.id, resource: a?.resource }]);
    expect(report.recreated).toHaveLength(1);
    expect(report.gaps.map((g) => g.reason).sort()).toEqual(['missed', 'subscriptionRemoved']);
    expect(sim.subscriptions().find((s) => s.id === a?.id)?.lastReauthorizeAt).not.toBeNull();
    expect(manager.snapshot().pendingLifecycle).toEqual([]);
    // A second reauthorization request within 10 minutes is coalesced, never a PATCH right after it.
    await manager.handleLifecycle({
      subscriptionId: a?.id as string,
      clientState: a?.clientState,
      tenantId: sim.tenantId,
      lifecycleEvent: 'reauthorizationRequired',
    });
    const again = await manager.syncOnce();
    expect(again.reauthorized).toEqual([]);
    expect(sim.spacingViolations()).toEqual([]);
  });

  it('silence watch: a gauge of seconds since the last notification and one warning after the quiet period, never logging clientState', async () => {
    const sim = await simulator();
    const lines: string[] = [];
    const destination = new PassThrough();
    destination.on('data', (d) => lines.push(...String(d).split('\n').filter(Boolean)));
    const metrics = new MetricsRegistry();
    const { manager } = setup(sim, {
      overrides: { silenceWarnMs: 1_000, logger: createLogger({ level: 'debug', destination }), metrics },
    });
    await manager.syncOnce();
    const [a, b] = sim.subscriptions();
    await new Promise((r) => setTimeout(r, 1_100));
    manager.recordNotification(a?.id as string);
    await manager.syncOnce();
    const silence = manager.silence();
    expect(silence.find((s) => s.subscriptionId === a?.id)).toMatchObject({ quiet: false, secondsSince: 0 });
    expect(silence.find((s) => s.subscriptionId === b?.id)).toMatchObject({ quiet: true });
    await manager.syncOnce();
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => String(l.msg).includes('quiet period'));
    expect(warnings.map((w) => w.subscriptionId)).toEqual([b?.id]); // once, not on every pass
    const text = await metrics.metrics();
    expect(text).toMatch(
      new RegExp(
        `graph_dlp_subscription_seconds_since_last_notification\\{subscription_id="${b?.id}",resource="/[a-z]+/getAllMessages\\?model=A"\\} [1-9]`,
      ),
    );
    expect(text).toContain('graph_dlp_subscription_actions_total{action="create",outcome="ok"} 2');
    for (const s of [a, b]) expect(lines.join('\n')).not.toContain(s?.clientState as string);
  });
});
