import { describe, expect, it } from 'vitest';
import {
  buildDesiredSubscriptions,
  buildEventHubNotificationUrl,
  parseEventHubNotificationUrl,
  withPaymentModel,
} from '../../src/subscriptions/desired.js';
import {
  lifetimeFor,
  planReconcile,
  renewAtMs,
  shorterLifetimeMs,
  subscriptionKey,
} from '../../src/subscriptions/plan.js';
import {
  DEFAULT_PLAN_OPTIONS,
  type DesiredSubscription,
  emptyRegistry,
  type GraphSubscription,
  type ReconcileAction,
  type Registry,
  type RegistryEntry,
} from '../../src/subscriptions/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-23T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const URL_A = buildEventHubNotificationUrl({
  namespace: 'ns.servicebus.windows.net',
  hub: 'notifications',
  tenantId: 'contoso.com',
});

const [TEAMS, CHATS] = buildDesiredSubscriptions({
  resources: ['/teams/getAllMessages', '/chats/getAllMessages'],
  paymentModel: 'A',
  notificationUrl: URL_A,
  lifetimeMs: 70 * HOUR,
  certificateId: 'cert-1',
}) as [DesiredSubscription, DesiredSubscription];

function graphSub(
  d: DesiredSubscription,
  id: string,
  expiresAt: number,
  extra: Partial<GraphSubscription> = {},
): GraphSubscription {
  return {
    id,
    resource: d.resource,
    changeType: d.changeType,
    notificationUrl: d.notificationUrl,
    lifecycleNotificationUrl: d.lifecycleNotificationUrl,
    expirationDateTime: iso(expiresAt),
    includeResourceData: true,
    encryptionCertificateId: 'cert-1',
    ...extra,
  };
}

function entry(
  d: DesiredSubscription,
  id: string,
  issuedAt: number,
  expiresAt: number,
  extra: Partial<RegistryEntry> = {},
): RegistryEntry {
  return {
    id,
    key: d.key,
    resource: d.resource,
    changeType: d.changeType,
    clientStateRef: `secrets-blob:${id}`,
    certificateId: 'cert-1',
    expirationDateTime: iso(expiresAt),
    createdByUs: true,
    createdAt: iso(issuedAt),
    ...extra,
  };
}

function registryWith(entries: RegistryEntry[], extra: Partial<Registry> = {}): Registry {
  return { ...emptyRegistry(), subscriptions: entries, ...extra };
}

const kinds = (actions: ReconcileAction[]) => actions.map((a) => a.kind);
const plan = (desired: DesiredSubscription[], actual: GraphSubscription[], registry: Registry, now: number) =>
  planReconcile(desired, actual, registry, now, DEFAULT_PLAN_OPTIONS);

/** Two healthy subscriptions issued at T0 with a 70 h lifetime. */
function healthy(now = T0 + HOUR) {
  const actual = [graphSub(TEAMS, 's-teams', T0 + 70 * HOUR), graphSub(CHATS, 's-chats', T0 + 70 * HOUR)];
  const registry = registryWith([
    entry(TEAMS, 's-teams', T0, T0 + 70 * HOUR),
    entry(CHATS, 's-chats', T0, T0 + 70 * HOUR),
  ]);
  return { actual, registry, now };
}

/** Only the teams subscription, healthy, issued at T0. */
function healthyTeams(now = T0 + HOUR) {
  return {
    actual: [graphSub(TEAMS, 's-teams', T0 + 70 * HOUR)],
    registry: registryWith([entry(TEAMS, 's-teams', T0, T0 + 70 * HOUR)]),
    now,
  };
}

describe('desired subscriptions', () => {
  it('puts the payment model into tenant-wide resources and model B into per-user ones', () => {
    expect(withPaymentModel('/teams/getAllMessages', 'A')).toBe('/teams/getAllMessages?model=A');
    expect(withPaymentModel('chats/getAllMessages', 'none')).toBe('/chats/getAllMessages');
    expect(withPaymentModel('/users/u1/chats/getAllMessages', 'A')).toBe(
      '/users/u1/chats/getAllMessages?model=B',
    );
    expect(withPaymentModel('/chats/19:x/messages', 'A')).toBe('/chats/19:x/messages');
    expect(TEAMS.changeType).toBe('created,updated,deleted');
    expect(TEAMS.includeResourceData).toBe(true);
    expect(TEAMS.lifecycleNotificationUrl).toBe(URL_A);
  });

  it('builds and parses the Event Hubs notificationUrl form and explains malformed ones', () => {
    expect(URL_A).toBe(
      'EventHub:https://ns.servicebus.windows.net/eventhubname/notifications?tenantId=contoso.com',
    );
    expect(parseEventHubNotificationUrl(URL_A)).toEqual({
      ok: true,
      target: { namespace: 'ns.servicebus.windows.net', hub: 'notifications', tenantId: 'contoso.com' },
    });
    expect(
      parseEventHubNotificationUrl('https://ns.servicebus.windows.net/eventhubname/x?tenantId=a'),
    ).toMatchObject({ ok: false });
    expect(parseEventHubNotificationUrl('EventHub:https://ns/hubs/x?tenantId=a')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('eventhubname'),
    });
    expect(parseEventHubNotificationUrl('EventHub:https://ns/eventhubname/x')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('tenantId'),
    });
  });

  it('keys ignore a leading slash, case and change-type order so Graph echoes match', () => {
    expect(subscriptionKey('/teams/getAllMessages?model=A', 'created,updated,deleted')).toBe(
      subscriptionKey('teams/getallmessages?model=A', 'deleted,created,updated'),
    );
  });
});

describe('planReconcile', () => {
  it('creates every desired subscription when Graph has none', () => {
    const actions = plan([TEAMS, CHATS], [], emptyRegistry(), T0);
    expect(actions).toEqual([
      { kind: 'create', key: TEAMS.key, desired: TEAMS, lifetimeMs: 70 * HOUR, reason: 'missing' },
      { kind: 'create', key: CHATS.key, desired: CHATS, lifetimeMs: 70 * HOUR, reason: 'missing' },
    ]);
  });

  it('does nothing while subscriptions are healthy and not yet due', () => {
    const { actual, registry, now } = healthy();
    expect(plan([TEAMS, CHATS], actual, registry, now)).toEqual([]);
  });

  it('renews once the configured fraction of the lifetime has passed, not before', () => {
    const { actual, registry } = healthyTeams();
    const renewAt = renewAtMs(
      actual[0] as GraphSubscription,
      registry.subscriptions[0],
      70 * HOUR,
      DEFAULT_PLAN_OPTIONS,
    );
    expect(renewAt).toBeGreaterThan(T0 + 35 * HOUR - 0.05 * 70 * HOUR - 1);
    expect(renewAt).toBeLessThan(T0 + 35 * HOUR + 0.05 * 70 * HOUR + 1);
    expect(kinds(plan([TEAMS], actual.slice(0, 1), registry, renewAt - 1000))).toEqual([]);
    const actions = plan([TEAMS], actual.slice(0, 1), registry, renewAt + 1000);
    expect(actions).toEqual([
      { kind: 'renew', key: TEAMS.key, subscriptionId: 's-teams', lifetimeMs: 70 * HOUR, reason: 'due' },
    ]);
  });

  it('honours a different renew fraction', () => {
    const { actual, registry } = healthyTeams();
    const options = { ...DEFAULT_PLAN_OPTIONS, renewFraction: 0.25, jitterFraction: 0 };
    expect(planReconcile([TEAMS], actual.slice(0, 1), registry, T0 + 17 * HOUR, options)).toEqual([]);
    expect(kinds(planReconcile([TEAMS], actual.slice(0, 1), registry, T0 + 18 * HOUR, options))).toEqual([
      'renew',
    ]);
  });

  it('spreads renewal times of different subscriptions with jitter, deterministically', () => {
    const a = renewAtMs(graphSub(TEAMS, 'id-a', T0 + 70 * HOUR), undefined, 70 * HOUR, DEFAULT_PLAN_OPTIONS);
    const b = renewAtMs(graphSub(TEAMS, 'id-b', T0 + 70 * HOUR), undefined, 70 * HOUR, DEFAULT_PLAN_OPTIONS);
    expect(a).not.toBe(b);
    expect(
      renewAtMs(graphSub(TEAMS, 'id-a', T0 + 70 * HOUR), undefined, 70 * HOUR, DEFAULT_PLAN_OPTIONS),
    ).toBe(a);
  });

  it('moves a subscription to the current certificate after a rotation, carrying the new id', () => {
    const { actual, registry, now } = healthyTeams();
    const rotated = { ...TEAMS, certificateId: 'cert-2' };
    expect(plan([rotated], actual.slice(0, 1), registry, now)).toEqual([
      {
        kind: 'renew',
        key: TEAMS.key,
        subscriptionId: 's-teams',
        lifetimeMs: 70 * HOUR,
        reason: 'certificate-rotation',
        certificateId: 'cert-2',
      },
    ]);
  });

  it('re-points a subscription whose notificationUrl changed', () => {
    const { actual, registry, now } = healthyTeams();
    const moved = {
      ...TEAMS,
      notificationUrl: buildEventHubNotificationUrl({
        namespace: 'other.servicebus.windows.net',
        hub: 'n',
        tenantId: 'contoso.com',
      }),
    };
    expect(plan([moved], actual.slice(0, 1), registry, now)).toMatchObject([
      { kind: 'renew', reason: 'notification-url-changed', notificationUrl: moved.notificationUrl },
    ]);
  });

  it('adopts a matching subscription missing from the registry, as ours when a create was pending for it', () => {
    const actual = [graphSub(TEAMS, 's-lost-response', T0 + 70 * HOUR)];
    const registry = registryWith([], {
      pendingCreates: [{ key: TEAMS.key, clientStateRef: 'secrets-blob:p1', startedAt: iso(T0) }],
    });
    expect(plan([TEAMS], actual, registry, T0 + MIN)).toEqual([
      {
        kind: 'adopt',
        key: TEAMS.key,
        subscription: actual[0],
        createdByUs: true,
        clientStateRef: 'secrets-blob:p1',
      },
    ]);
  });

  it('adopts a foreign match without claiming it as ours (never deleted later)', () => {
    const actual = [graphSub(TEAMS, 's-foreign', T0 + 70 * HOUR)];
    expect(plan([TEAMS], actual, emptyRegistry(), T0 + MIN)).toMatchObject([
      { kind: 'adopt', createdByUs: false, clientStateRef: null },
    ]);
  });

  it('recreates a subscription Graph no longer has and records the gap since its last notification', () => {
    const { registry } = healthy();
    registry.subscriptions[0] = {
      ...(registry.subscriptions[0] as RegistryEntry),
      lastNotificationAt: iso(T0 + 2 * HOUR),
    };
    const now = T0 + 3 * HOUR;
    const actions = plan([TEAMS], [], registryWith(registry.subscriptions.slice(0, 1)), now);
    expect(actions).toEqual([
      {
        kind: 'record-gap',
        gap: {
          resource: TEAMS.resource,
          from: iso(T0 + 2 * HOUR),
          to: iso(now),
          reason: 'subscription-gone',
          subscriptionId: 's-teams',
          recordedAt: iso(now),
          open: true,
        },
      },
      { kind: 'forget', subscriptionId: 's-teams', reason: 'gone-from-graph' },
      { kind: 'create', key: TEAMS.key, desired: TEAMS, lifetimeMs: 70 * HOUR, reason: 'recreate' },
    ]);
  });

  it('treats a subscription past its expiry as gone even if Graph still lists it', () => {
    const actual = [graphSub(TEAMS, 's-teams', T0 + HOUR)];
    const registry = registryWith([entry(TEAMS, 's-teams', T0, T0 + HOUR)]);
    expect(kinds(plan([TEAMS], actual, registry, T0 + 2 * HOUR))).toEqual(['record-gap', 'forget', 'create']);
  });

  it('deletes a subscription we created that is no longer desired', () => {
    const { actual, registry, now } = healthy();
    expect(plan([TEAMS], actual, registry, now)).toEqual([
      { kind: 'delete', subscriptionId: 's-chats', reason: 'not-desired' },
      { kind: 'forget', subscriptionId: 's-chats', reason: 'deleted' },
    ]);
  });

  it('never deletes a subscription it did not create', () => {
    const { actual, now } = healthy();
    const registry = registryWith([
      entry(TEAMS, 's-teams', T0, T0 + 70 * HOUR),
      entry(CHATS, 's-chats', T0, T0 + 70 * HOUR, { createdByUs: false }),
    ]);
    const foreign = graphSub(
      { ...CHATS, resource: '/users/u1/chats/getAllMessages?model=B' },
      's-other',
      T0 + 70 * HOUR,
    );
    const actions = plan([TEAMS], [...actual, foreign], registry, now);
    expect(actions.filter((a) => a.kind === 'delete')).toEqual([]);
    expect(actions).toContainEqual({
      kind: 'ignore-foreign',
      subscriptionId: 's-other',
      resource: foreign.resource,
    });
    expect(actions).toContainEqual({
      kind: 'ignore-foreign',
      subscriptionId: 's-chats',
      resource: CHATS.resource,
    });
  });

  it('deletes our own duplicate of a desired subscription and keeps the registered one', () => {
    const actual = [graphSub(TEAMS, 's-teams', T0 + 70 * HOUR), graphSub(TEAMS, 's-dup', T0 + 69 * HOUR)];
    const registry = registryWith([
      entry(TEAMS, 's-teams', T0, T0 + 70 * HOUR),
      entry(TEAMS, 's-dup', T0, T0 + 69 * HOUR),
    ]);
    expect(plan([TEAMS], actual, registry, T0 + HOUR)).toEqual([
      { kind: 'delete', subscriptionId: 's-dup', reason: 'duplicate' },
      { kind: 'forget', subscriptionId: 's-dup', reason: 'deleted' },
    ]);
  });

  it('uses a shorter lifetime Graph accepted earlier', () => {
    const registry = { ...emptyRegistry(), learnedMaxLifetimeMs: { [TEAMS.key]: 60 * MIN } };
    expect(lifetimeFor(TEAMS, registry)).toBe(60 * MIN);
    expect(plan([TEAMS], [], registry, T0)).toMatchObject([{ kind: 'create', lifetimeMs: 60 * MIN }]);
  });

  it('steps lifetimes down after an expiration-limit refusal, and stops at one hour', () => {
    expect(shorterLifetimeMs(4_320 * MIN)).toBe(4_230 * MIN);
    expect(shorterLifetimeMs(4_230 * MIN)).toBe(1_440 * MIN);
    expect(shorterLifetimeMs(1_440 * MIN)).toBe(60 * MIN);
    expect(shorterLifetimeMs(60 * MIN)).toBeUndefined();
  });
});

describe('planReconcile: lifecycle events', () => {
  const request = (event: string, id = 'l1', receivedAt = T0 + 2 * HOUR, subscriptionId = 's-teams') => ({
    id,
    subscriptionId,
    event,
    receivedAt: iso(receivedAt),
  });

  it('reauthorizationRequired → reauthorize when no renewal is near', () => {
    const { actual, registry } = healthy();
    registry.pendingLifecycle = [request('reauthorizationRequired')];
    expect(plan([TEAMS, CHATS], actual, registry, T0 + 2 * HOUR + MIN)).toEqual([
      { kind: 'reauthorize', key: TEAMS.key, subscriptionId: 's-teams' },
      { kind: 'ack-lifecycle', lifecycleId: 'l1', outcome: 'reauthorized' },
    ]);
  });

  it('reauthorizationRequired → a single PATCH when the renewal is due within 10 minutes', () => {
    const { actual, registry } = healthyTeams();
    const renewAt = renewAtMs(
      actual[0] as GraphSubscription,
      registry.subscriptions[0],
      70 * HOUR,
      DEFAULT_PLAN_OPTIONS,
    );
    registry.pendingLifecycle = [request('reauthorizationRequired', 'l1', renewAt - 6 * MIN)];
    expect(plan([TEAMS], actual, registry, renewAt - 5 * MIN)).toEqual([
      {
        kind: 'renew',
        key: TEAMS.key,
        subscriptionId: 's-teams',
        lifetimeMs: 70 * HOUR,
        reason: 'reauthorization',
      },
      { kind: 'ack-lifecycle', lifecycleId: 'l1', outcome: 'renewed' },
    ]);
  });

  it('never reauthorizes within 10 minutes after a PATCH: the request waits', () => {
    const { actual, registry } = healthy();
    const patchedAt = T0 + 2 * HOUR;
    registry.subscriptions[0] = {
      ...(registry.subscriptions[0] as RegistryEntry),
      lastPatchAt: iso(patchedAt),
    };
    actual[0] = { ...(actual[0] as GraphSubscription), expirationDateTime: iso(patchedAt + 70 * HOUR) };
    registry.pendingLifecycle = [request('reauthorizationRequired', 'l1', patchedAt + MIN)];
    const actions = plan([TEAMS, CHATS], actual, registry, patchedAt + 4 * MIN);
    expect(actions).toEqual([
      {
        kind: 'wait',
        subscriptionId: 's-teams',
        until: iso(patchedAt + 10 * MIN),
        why: expect.stringContaining('10 minutes'),
      },
    ]);
    expect(kinds(plan([TEAMS, CHATS], actual, registry, patchedAt + 11 * MIN))).toEqual([
      'reauthorize',
      'ack-lifecycle',
    ]);
  });

  it('never PATCHes within 10 minutes after a reauthorize: a due renewal waits', () => {
    const { actual, registry } = healthyTeams();
    const renewAt = renewAtMs(
      actual[0] as GraphSubscription,
      registry.subscriptions[0],
      70 * HOUR,
      DEFAULT_PLAN_OPTIONS,
    );
    registry.subscriptions[0] = {
      ...(registry.subscriptions[0] as RegistryEntry),
      lastReauthorizeAt: iso(renewAt - 2 * MIN),
    };
    const actions = plan([TEAMS], actual, registry, renewAt + MIN);
    expect(kinds(actions)).toEqual(['wait']);
    expect(kinds(plan([TEAMS], actual, registry, renewAt + 9 * MIN))).toEqual(['renew']);
  });

  it('a request already answered by a later PATCH is acknowledged without a call', () => {
    const { actual, registry } = healthy();
    registry.subscriptions[0] = {
      ...(registry.subscriptions[0] as RegistryEntry),
      lastPatchAt: iso(T0 + 3 * HOUR),
    };
    registry.pendingLifecycle = [request('reauthorizationRequired', 'l1', T0 + 2 * HOUR)];
    expect(plan([TEAMS, CHATS], actual, registry, T0 + 4 * HOUR)).toEqual([
      { kind: 'ack-lifecycle', lifecycleId: 'l1', outcome: 'already-answered' },
    ]);
  });

  it('subscriptionRemoved → delete the remnant, record the gap, create a new one', () => {
    const { actual, registry } = healthy();
    registry.subscriptions[0] = {
      ...(registry.subscriptions[0] as RegistryEntry),
      lastNotificationAt: iso(T0 + 90 * MIN),
    };
    registry.pendingLifecycle = [request('subscriptionRemoved')];
    const now = T0 + 2 * HOUR + MIN;
    expect(plan([TEAMS, CHATS], actual, registry, now)).toEqual([
      {
        kind: 'record-gap',
        gap: {
          resource: TEAMS.resource,
          from: iso(T0 + 90 * MIN),
          to: iso(now),
          reason: 'subscriptionRemoved',
          subscriptionId: 's-teams',
          recordedAt: iso(now),
          open: true,
        },
      },
      { kind: 'ack-lifecycle', lifecycleId: 'l1', outcome: 'recreate' },
      { kind: 'delete', subscriptionId: 's-teams', reason: 'removed-by-graph' },
      { kind: 'forget', subscriptionId: 's-teams', reason: 'removed-by-graph' },
      { kind: 'create', key: TEAMS.key, desired: TEAMS, lifetimeMs: 70 * HOUR, reason: 'recreate' },
    ]);
  });

  it('missed → records a gap for backfill and changes nothing else', () => {
    const { actual, registry } = healthy();
    registry.subscriptions[0] = {
      ...(registry.subscriptions[0] as RegistryEntry),
      lastNotificationAt: iso(T0 + 30 * MIN),
    };
    registry.pendingLifecycle = [request('missed')];
    expect(plan([TEAMS, CHATS], actual, registry, T0 + 2 * HOUR + MIN)).toEqual([
      {
        kind: 'record-gap',
        gap: {
          resource: TEAMS.resource,
          from: iso(T0 + 30 * MIN),
          to: iso(T0 + 2 * HOUR),
          reason: 'missed',
          subscriptionId: 's-teams',
          recordedAt: iso(T0 + 2 * HOUR + MIN),
        },
      },
      { kind: 'ack-lifecycle', lifecycleId: 'l1', outcome: 'gap-recorded' },
    ]);
  });

  it('acknowledges events for unknown subscriptions and unknown event kinds without acting', () => {
    const { actual, registry, now } = healthy(T0 + 3 * HOUR);
    registry.pendingLifecycle = [
      request('reauthorizationRequired', 'l1', T0 + 2 * HOUR, 'someone-else'),
      request('brandNewEvent', 'l2'),
    ];
    expect(plan([TEAMS, CHATS], actual, registry, now)).toEqual([
      { kind: 'ack-lifecycle', lifecycleId: 'l1', outcome: 'unknown-subscription' },
      { kind: 'ack-lifecycle', lifecycleId: 'l2', outcome: 'unknown-event' },
    ]);
  });
});
