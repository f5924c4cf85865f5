import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphClient } from '../../src/graph/index.js';
import { createMemorySink, type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import {
  graphClientFor,
  makeCertificate,
  notificationUrlFor,
  type TestCertificate,
} from './subscriptions-helpers.js';

let sim: GraphSimulator;
let graph: GraphClient;
let cert: TestCertificate;
const sink = createMemorySink();
const HOUR = 3_600_000;

beforeAll(async () => {
  [sim, cert] = await Promise.all([
    startGraphSimulator({ sink, maxSubscriptions: 3, pageSize: 2 }),
    makeCertificate('c1'),
  ]);
  graph = graphClientFor(sim);
});
afterAll(async () => {
  await sim?.stop();
});

const body = (overrides: Record<string, unknown> = {}) => ({
  changeType: 'created,updated,deleted',
  notificationUrl: notificationUrlFor(sim),
  lifecycleNotificationUrl: notificationUrlFor(sim),
  resource: '/chats/getAllMessages?model=A',
  includeResourceData: true,
  encryptionCertificate: cert.certificate,
  encryptionCertificateId: cert.id,
  expirationDateTime: new Date(Date.now() + 2 * HOUR).toISOString(),
  clientState: 'secret',
  ...overrides,
});
const rejects = (p: Promise<unknown>) => expect(p).rejects;

describe("Graph simulator: Graph's subscription rules and error bodies", () => {
  it('refuses requests without a bearer token', async () => {
    const res = await fetch(`${sim.url}/subscriptions`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', innerError: { 'request-id': expect.any(String) } },
    });
  });

  it('validates creation payloads like Graph', async () => {
    const { expirationDateTime: _, ...noExpiry } = body();
    await rejects(graph.post('/subscriptions', noExpiry)).toMatchObject({
      code: 'GDLP_GRAPH_BAD_REQUEST',
      details: { status: 400, graphCode: 'InvalidRequest' },
    });
    await rejects(graph.post('/subscriptions', body({ changeTypo: 'x' }))).toMatchObject({
      details: { graphCode: 'InvalidRequest' },
    });
    await rejects(
      graph.post(
        '/subscriptions',
        body({ notificationUrl: 'EventHub:https://ns/hubs/x?tenantId=contoso.onmicrosoft.com' }),
      ),
    ).toMatchObject({ details: { graphCode: 'InvalidRequest' } });
    await rejects(
      graph.post(
        '/subscriptions',
        body({ notificationUrl: 'EventHub:https://ns/eventhubname/x?tenantId=wrong.com' }),
      ),
    ).toMatchObject({ details: { graphCode: 'InvalidRequest' } });
    await rejects(graph.post('/subscriptions', body({ encryptionCertificate: undefined }))).toMatchObject({
      details: { graphCode: 'InvalidRequest' },
    });
    await rejects(
      graph.post(
        '/subscriptions',
        body({ encryptionCertificate: Buffer.from('not a cert').toString('base64') }),
      ),
    ).toMatchObject({ details: { graphCode: 'InvalidRequest' } });
    await rejects(graph.post('/subscriptions', body({ clientState: 'x'.repeat(129) }))).toMatchObject({
      details: { graphCode: 'InvalidRequest' },
    });
    await rejects(graph.post('/subscriptions', body({ resource: '/me/events' }))).toMatchObject({
      details: { graphCode: 'InvalidRequest' },
    });
    await rejects(
      graph.post('/subscriptions', body({ resource: '/users/u1/chats/getAllMessages?model=A' })),
    ).toMatchObject({ code: 'GDLP_GRAPH_PAYMENT_REQUIRED' });
  });

  it('requires lifecycleNotificationUrl beyond one hour and caps the lifetime (ExtensionError)', async () => {
    await rejects(graph.post('/subscriptions', body({ lifecycleNotificationUrl: undefined }))).toMatchObject({
      details: { status: 400, graphCode: 'ValidationError' },
    });
    await rejects(
      graph.post(
        '/subscriptions',
        body({ expirationDateTime: new Date(Date.now() + 4_400 * 60_000).toISOString() }),
      ),
    ).toMatchObject({ code: 'GDLP_GRAPH_EXPIRATION_LIMIT' });
    // Short expirations are raised to 45 minutes, and without a lifecycle URL that is fine.
    const s = await graph.post<{ id: string; expirationDateTime: string }>(
      '/subscriptions',
      body({
        lifecycleNotificationUrl: undefined,
        expirationDateTime: new Date(Date.now() + 5 * 60_000).toISOString(),
        resource: '/teams/getAllMessages?model=A',
      }),
    );
    expect(Date.parse(s.expirationDateTime) - Date.now()).toBeGreaterThan(44 * 60_000);
    // PATCH cannot add a lifecycle URL, and cannot extend beyond an hour without one.
    await rejects(
      graph.patch(`/subscriptions/${s.id}`, {
        lifecycleNotificationUrl: notificationUrlFor(sim),
        expirationDateTime: new Date(Date.now() + 50 * 60_000).toISOString(),
      }),
    ).toMatchObject({ details: { graphCode: 'InvalidRequest' } });
    await rejects(
      graph.patch(`/subscriptions/${s.id}`, {
        expirationDateTime: new Date(Date.now() + 3 * HOUR).toISOString(),
      }),
    ).toMatchObject({ details: { graphCode: 'ValidationError' } });
    await rejects(graph.patch(`/subscriptions/${s.id}`, { clientState: 'new' })).toMatchObject({
      details: { graphCode: 'InvalidRequest' },
    });
    await graph.delete(`/subscriptions/${s.id}`);
  });

  it('writes the validation message on creation, answers 409 for a duplicate, 403 over quota, 404 for unknown ids, and hides clientState in lists', async () => {
    const before = sink.sent.length;
    const a = await graph.post<{ id: string; clientState: string }>('/subscriptions', body());
    expect(a.clientState).toBe('secret');
    expect(JSON.parse(sink.sent[before]?.body as string).value[0].subscriptionId).toBe('NA');
    await rejects(graph.post('/subscriptions', body())).toMatchObject({
      code: 'GDLP_GRAPH_CONFLICT',
      details: { status: 409 },
    });
    await graph.post('/subscriptions', body({ resource: '/teams/getAllMessages?model=A' }));
    await graph.post('/subscriptions', body({ resource: '/chats/19:abc@thread.v2/messages' }));
    await rejects(
      graph.post('/subscriptions', body({ resource: '/chats/19:def@thread.v2/messages' })),
    ).toMatchObject({ code: 'GDLP_GRAPH_FORBIDDEN', details: { status: 403 } });
    const listed = await graph.listAll<{ id: string; clientState: string | null }>('/subscriptions');
    expect(listed).toHaveLength(3); // three pages of two: @odata.nextLink followed
    expect(listed.every((s) => s.clientState === null)).toBe(true);
    await rejects(graph.get('/subscriptions/00000000-0000-0000-0000-000000000000')).toMatchObject({
      code: 'GDLP_GRAPH_NOT_FOUND',
    });
    await graph.post(`/subscriptions/${a.id}/reauthorize`, {});
    expect(sim.subscriptions().find((s) => s.id === a.id)?.lastReauthorizeAt).not.toBeNull();
    for (const s of listed) await graph.delete(`/subscriptions/${s.id}`);
    expect(sim.subscriptions()).toEqual([]);
  });

  it('throttles at a configurable rate with Retry-After, which the client honours', async () => {
    sim.setThrottleRate(0.5);
    try {
      for (let i = 0; i < 6; i++) await graph.get('/subscriptions');
    } finally {
      sim.setThrottleRate(0);
    }
    const throttled = sim.requests().filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
  }, 60_000);

  it('publishes on a schedule at the configured rate, and nothing for deleted or expired subscriptions', async () => {
    const s = await graph.post<{ id: string }>('/subscriptions', body());
    const before = sink.sent.length;
    sim.setRate(50);
    const deadline = Date.now() + 20_000;
    while (sink.sent.length - before < 10 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    sim.setRate(0);
    await sim.idle();
    expect(sink.sent.length - before).toBeGreaterThanOrEqual(10);
    await graph.delete(`/subscriptions/${s.id}`);
    sim.injectSubscription({
      resource: '/chats/getAllMessages',
      changeType: 'created,updated,deleted',
      notificationUrl: notificationUrlFor(sim),
      expirationDateTime: new Date(Date.now() - 1_000).toISOString(),
    });
    const after = sink.sent.length;
    const changes = await sim.publish(20);
    expect(changes.every((c) => c.subscriptionIds.length === 0)).toBe(true);
    expect(sink.sent.length).toBe(after);
  }, 60_000);

  it('sends reauthorizationRequired on a schedule to each live subscription lifecycle URL', async () => {
    const lifecycleSink = createMemorySink();
    const scheduled = await startGraphSimulator({ sink: lifecycleSink, lifecycleEveryMs: 100 });
    try {
      const client = graphClientFor(scheduled);
      const s = await client.post<{ id: string }>(
        '/subscriptions',
        body({
          notificationUrl: notificationUrlFor(scheduled),
          lifecycleNotificationUrl: notificationUrlFor(scheduled),
        }),
      );
      const deadline = Date.now() + 20_000;
      const lifecycle = () =>
        lifecycleSink.sent.map((e) => JSON.parse(e.body).value[0]).filter((i) => i.lifecycleEvent);
      while (lifecycle().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(lifecycle().length).toBeGreaterThanOrEqual(2);
      expect(lifecycle()[0]).toMatchObject({
        subscriptionId: s.id,
        lifecycleEvent: 'reauthorizationRequired',
        clientState: 'secret',
        tenantId: scheduled.tenantId,
      });
    } finally {
      await scheduled.stop();
    }
  }, 60_000);
});
