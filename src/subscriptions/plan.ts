import type {
  DesiredSubscription,
  Gap,
  GraphSubscription,
  LifecycleRequest,
  PlanOptions,
  ReconcileAction,
  Registry,
  RegistryEntry,
  RenewReason,
} from './types.js';

const MINUTE = 60_000;
/** Graph raises shorter expirations to 45 minutes; nothing shorter is worth asking for. */
export const MIN_LIFETIME_MS = 45 * MINUTE;

/** `resource|changeTypes` with the resource's path normalised (leading slash, case) so Graph's echo matches ours. */
export function subscriptionKey(resource: string, changeType: string): string {
  const [path = '', query] = resource.trim().replace(/^\/+/, '').split('?');
  const types = changeType
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(',');
  return `${path.toLowerCase()}${query ? `?${query.toLowerCase()}` : ''}|${types}`;
}

/** 32-bit FNV-1a, mapped to [0,1): a stable per-subscription jitter without randomness in the core. */
export function stableUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

/** The lifetime to request for a desired subscription: its configured one, or less if Graph refused that before. */
export function lifetimeFor(
  desired: DesiredSubscription,
  registry: Pick<Registry, 'learnedMaxLifetimeMs'>,
): number {
  const learned = registry.learnedMaxLifetimeMs[desired.key];
  return Math.max(
    MIN_LIFETIME_MS,
    learned !== undefined ? Math.min(learned, desired.lifetimeMs) : desired.lifetimeMs,
  );
}

/**
 * After Graph refused `currentMs` as too long: the next lifetime to try, stepping down through the limits
 * Graph has documented over time (4,230 min as Graph's own error text says, 1 day, 1 hour), or undefined when
 * nothing shorter is useful.
 */
export function shorterLifetimeMs(currentMs: number): number | undefined {
  const ladder = [4_230 * MINUTE, 1_440 * MINUTE, 60 * MINUTE];
  for (const step of ladder) if (step < currentMs) return step;
  return undefined;
}

/** When a subscription is due for renewal: issued + fraction × lifetime ± jitter. */
export function renewAtMs(
  subscription: GraphSubscription,
  entry: RegistryEntry | undefined,
  desiredLifetimeMs: number,
  options: PlanOptions,
): number {
  const expiry = Date.parse(subscription.expirationDateTime);
  const issuedText = entry?.lastPatchAt ?? entry?.createdAt;
  const issued = issuedText ? Date.parse(issuedText) : expiry - desiredLifetimeMs;
  const lifetime = Math.max(MINUTE, expiry - issued);
  const jitter =
    (stableUnit(`${subscription.id}|${subscription.expirationDateTime}`) * 2 - 1) *
    options.jitterFraction *
    lifetime;
  // Never later than 5 minutes before expiry, whatever the fraction and jitter say.
  return Math.min(issued + options.renewFraction * lifetime + jitter, expiry - 5 * MINUTE);
}

function withinSpacing(previous: string | undefined, nowMs: number, spacingMs: number): boolean {
  return previous !== undefined && nowMs - Date.parse(previous) < spacingMs;
}

function gapStart(entry: RegistryEntry | undefined, fallback: string): string {
  return entry?.lastNotificationAt ?? entry?.lastPatchAt ?? entry?.createdAt ?? entry?.adoptedAt ?? fallback;
}

/**
 * The reconciler's decision core: no I/O, no clock, no randomness. Given what we want (`desired`), what Graph
 * has (`actual`, from GET /subscriptions) and what we remember (`registry`, incl. pending lifecycle events),
 * returns the actions to take, in order. The shell executes them and feeds results back into the registry.
 */
export function planReconcile(
  desired: readonly DesiredSubscription[],
  actual: readonly GraphSubscription[],
  registry: Registry,
  nowMs: number,
  options: PlanOptions,
): ReconcileAction[] {
  const now = new Date(nowMs).toISOString();
  const actions: ReconcileAction[] = [];
  const entries = new Map(registry.subscriptions.map((e) => [e.id, e]));
  const live = new Map(actual.filter((s) => Date.parse(s.expirationDateTime) > nowMs).map((s) => [s.id, s]));
  const desiredByKey = new Map(desired.map((d) => [d.key, d]));
  const gap = (g: Omit<Gap, 'recordedAt'>) =>
    actions.push({ kind: 'record-gap', gap: { ...g, recordedAt: now } });

  // 1. Lifecycle events the consumers handed over.
  const removedByGraph = new Set<string>();
  const reauthRequests = new Map<string, LifecycleRequest[]>();
  for (const request of [...registry.pendingLifecycle].sort((a, b) =>
    a.receivedAt.localeCompare(b.receivedAt),
  )) {
    const entry = entries.get(request.subscriptionId);
    if (!entry && !live.has(request.subscriptionId)) {
      actions.push({ kind: 'ack-lifecycle', lifecycleId: request.id, outcome: 'unknown-subscription' });
      continue;
    }
    const resource = entry?.resource ?? live.get(request.subscriptionId)?.resource ?? 'unknown';
    switch (request.event) {
      case 'missed':
        gap({
          resource,
          from: gapStart(entry, request.receivedAt),
          to: request.receivedAt,
          reason: 'missed',
          subscriptionId: request.subscriptionId,
        });
        actions.push({ kind: 'ack-lifecycle', lifecycleId: request.id, outcome: 'gap-recorded' });
        break;
      case 'subscriptionRemoved':
        if (!removedByGraph.has(request.subscriptionId)) {
          removedByGraph.add(request.subscriptionId);
          gap({
            resource,
            from: gapStart(entry, request.receivedAt),
            to: now,
            reason: 'subscriptionRemoved',
            subscriptionId: request.subscriptionId,
            open: true,
          });
        }
        actions.push({ kind: 'ack-lifecycle', lifecycleId: request.id, outcome: 'recreate' });
        break;
      case 'reauthorizationRequired': {
        const list = reauthRequests.get(request.subscriptionId) ?? [];
        list.push(request);
        reauthRequests.set(request.subscriptionId, list);
        break;
      }
      default:
        actions.push({ kind: 'ack-lifecycle', lifecycleId: request.id, outcome: 'unknown-event' });
    }
  }

  // 2. Registry entries Graph no longer has (expired, removed while we were not looking, or removed by lifecycle).
  for (const entry of registry.subscriptions) {
    if (removedByGraph.has(entry.id)) {
      if (live.has(entry.id))
        actions.push({ kind: 'delete', subscriptionId: entry.id, reason: 'removed-by-graph' });
      actions.push({ kind: 'forget', subscriptionId: entry.id, reason: 'removed-by-graph' });
    } else if (!live.has(entry.id)) {
      gap({
        resource: entry.resource,
        from: gapStart(entry, now),
        to: now,
        reason: 'subscription-gone',
        subscriptionId: entry.id,
        open: true,
      });
      actions.push({ kind: 'forget', subscriptionId: entry.id, reason: 'gone-from-graph' });
    }
  }
  for (const id of removedByGraph) live.delete(id);

  // 3. Desired subscriptions: create, adopt, renew, reauthorize.
  const claimed = new Set<string>();
  for (const d of desired) {
    const candidates = [...live.values()]
      .filter((s) => subscriptionKey(s.resource, s.changeType) === d.key)
      .sort(
        (a, b) =>
          Number(entries.has(b.id)) - Number(entries.has(a.id)) ||
          b.expirationDateTime.localeCompare(a.expirationDateTime),
      );
    const [chosen, ...extra] = candidates;
    if (!chosen) {
      const wasOurs = registry.subscriptions.some((e) => e.key === d.key);
      actions.push({
        kind: 'create',
        key: d.key,
        desired: d,
        lifetimeMs: lifetimeFor(d, registry),
        reason: wasOurs ? 'recreate' : 'missing',
      });
      continue;
    }
    claimed.add(chosen.id);
    for (const dup of extra) {
      claimed.add(dup.id);
      if (entries.get(dup.id)?.createdByUs) {
        actions.push({ kind: 'delete', subscriptionId: dup.id, reason: 'duplicate' });
        actions.push({ kind: 'forget', subscriptionId: dup.id, reason: 'deleted' });
      } else actions.push({ kind: 'ignore-foreign', subscriptionId: dup.id, resource: dup.resource });
    }
    let entry = entries.get(chosen.id);
    if (!entry) {
      const pending = registry.pendingCreates.find((p) => p.key === d.key);
      actions.push({
        kind: 'adopt',
        key: d.key,
        subscription: chosen,
        createdByUs: pending !== undefined,
        clientStateRef: pending?.clientStateRef ?? null,
      });
      entry = undefined;
    }
    planRenewal(d, chosen, entry, reauthRequests.get(chosen.id) ?? [], registry, nowMs, options, actions);
    reauthRequests.delete(chosen.id);
  }

  // 4. Reauthorization requests for subscriptions we hold but no longer desire: nothing to do but acknowledge.
  for (const requests of reauthRequests.values()) {
    for (const r of requests)
      actions.push({ kind: 'ack-lifecycle', lifecycleId: r.id, outcome: 'not-desired' });
  }

  // 5. Live subscriptions nobody desires: delete ours, leave everybody else's alone.
  for (const s of live.values()) {
    if (claimed.has(s.id) || desiredByKey.has(subscriptionKey(s.resource, s.changeType))) continue;
    const entry = entries.get(s.id);
    if (entry?.createdByUs) {
      actions.push({ kind: 'delete', subscriptionId: s.id, reason: 'not-desired' });
      actions.push({ kind: 'forget', subscriptionId: s.id, reason: 'deleted' });
    } else actions.push({ kind: 'ignore-foreign', subscriptionId: s.id, resource: s.resource });
  }
  return actions;
}

function planRenewal(
  d: DesiredSubscription,
  s: GraphSubscription,
  entry: RegistryEntry | undefined,
  reauthRequests: LifecycleRequest[],
  registry: Registry,
  nowMs: number,
  options: PlanOptions,
  actions: ReconcileAction[],
): void {
  const spacing = options.reauthorizePatchSpacingMs;
  const lifetimeMs = lifetimeFor(d, registry);
  const renewAt = renewAtMs(s, entry, lifetimeMs, options);
  const certificateMismatch =
    d.includeResourceData && d.certificateId !== undefined && s.encryptionCertificateId !== d.certificateId;
  const urlMismatch = s.notificationUrl !== d.notificationUrl;
  const reauthWanted = reauthRequests.length > 0;
  let reason: RenewReason | undefined;
  if (certificateMismatch) reason = 'certificate-rotation';
  else if (urlMismatch) reason = 'notification-url-changed';
  else if (nowMs >= renewAt) reason = 'due';
  // A renewal soon anyway: one PATCH answers the reauthorization too (Graph: "to do both, send only a PATCH").
  else if (reauthWanted && renewAt - nowMs <= spacing) reason = 'reauthorization';
  const ack = (outcome: string) => {
    for (const r of reauthRequests) actions.push({ kind: 'ack-lifecycle', lifecycleId: r.id, outcome });
  };

  if (reason) {
    if (withinSpacing(entry?.lastReauthorizeAt, nowMs, spacing)) {
      const until = new Date(Date.parse(entry?.lastReauthorizeAt as string) + spacing).toISOString();
      actions.push({
        kind: 'wait',
        subscriptionId: s.id,
        until,
        why: `renewal (${reason}) waits 10 minutes after the last reauthorize`,
      });
      // A reauthorize just happened: it answered any request received before it.
      ack('satisfied-by-recent-reauthorize');
      return;
    }
    actions.push({
      kind: 'renew',
      key: d.key,
      subscriptionId: s.id,
      lifetimeMs,
      reason,
      ...(certificateMismatch && d.certificateId ? { certificateId: d.certificateId } : {}),
      ...(urlMismatch ? { notificationUrl: d.notificationUrl } : {}),
    });
    ack('renewed');
    return;
  }
  if (!reauthWanted) return;
  const lastPatch = entry?.lastPatchAt;
  const lastReauth = entry?.lastReauthorizeAt;
  const newestRequest = reauthRequests[reauthRequests.length - 1] as LifecycleRequest;
  // Answered already by a PATCH or reauthorize sent after the request arrived.
  if (
    (lastPatch && lastPatch >= newestRequest.receivedAt) ||
    (lastReauth && lastReauth >= newestRequest.receivedAt)
  ) {
    ack('already-answered');
    return;
  }
  if (withinSpacing(lastPatch, nowMs, spacing)) {
    const until = new Date(Date.parse(lastPatch as string) + spacing).toISOString();
    actions.push({
      kind: 'wait',
      subscriptionId: s.id,
      until,
      why: 'reauthorize waits 10 minutes after the last PATCH',
    });
    return; // requests stay pending
  }
  if (withinSpacing(lastReauth, nowMs, spacing)) {
    ack('coalesced');
    return;
  }
  actions.push({ kind: 'reauthorize', key: d.key, subscriptionId: s.id });
  ack('reauthorized');
}
