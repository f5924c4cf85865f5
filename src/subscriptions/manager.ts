import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { Counter, Gauge, type Registry as MetricsRegistry } from 'prom-client';
import { describeError, errorCodeOf, GraphDlpError, isGraphDlpError } from '../errors.js';
import type { GraphClient } from '../graph/client.js';
import { GraphErrorCodes } from '../graph/errors.js';
import type { Logger } from '../log.js';
import { createSilentLogger } from '../log.js';
import type { ClientStateSecrets } from './client-state-secrets.js';
import { buildDesiredSubscriptions, type DesiredSettings } from './desired.js';
import { LeaderLease } from './lease.js';
import { planReconcile, shorterLifetimeMs, subscriptionKey } from './plan.js';
import { type ControlStore, createControlStore, REGISTRY_BLOB, type SecretsDocument } from './store.js';
import type {
  DesiredSubscription,
  Gap,
  GraphSubscription,
  PlanOptions,
  ReconcileAction,
  Registry,
  RegistryEntry,
} from './types.js';
import { emptyRegistry } from './types.js';

export type ValidationVerdict = { ok: true } | { ok: false; code: string; reason: string };

export interface NotificationIdentity {
  subscriptionId: string;
  clientState?: string | null;
  tenantId?: string | null;
}

export interface LifecycleItem extends NotificationIdentity {
  lifecycleEvent?: string | null;
  changeType?: string | null;
}

export interface ReconcileReport {
  leader: boolean;
  created: Array<{ id: string; resource: string }>;
  recreated: Array<{ id: string; resource: string; previousId?: string }>;
  renewed: Array<{
    id: string;
    resource: string;
    reason: string;
    expirationDateTime: string;
    certificateId?: string;
  }>;
  reauthorized: Array<{ id: string; resource: string }>;
  adopted: Array<{ id: string; resource: string; createdByUs: boolean }>;
  deleted: Array<{ id: string; resource: string; reason: string }>;
  gaps: Gap[];
  waiting: Array<{ id: string; until: string; why: string }>;
  ignored: Array<{ id: string; resource: string }>;
  errors: Array<{ action: string; subscriptionId?: string; code: string; message: string }>;
}

export interface SilenceStatus {
  subscriptionId: string;
  resource: string;
  lastNotificationAt?: string;
  secondsSince: number;
  quiet: boolean;
}

export interface SubscriptionManager {
  /** Prepares the control container, loads the registry and starts leader election and the reconcile loop. */
  start(): Promise<void>;
  /** Stops timers, releases the lease, flushes last-seen times. Idempotent. */
  close(): Promise<void>;
  /** One reconcile pass now; only the leader acts (others get a report with `leader: false`). */
  reconcileNow(): Promise<ReconcileReport>;
  /** For one-shot commands: takes the lease (waiting up to `waitMs`), reconciles once, releases it. */
  syncOnce(options?: { waitMs?: number }): Promise<ReconcileReport>;
  /** A lifecycle notification the consumer received (any replica); the leader acts on it. */
  handleLifecycle(item: LifecycleItem): Promise<void>;
  /** The consumer saw a notification of this subscription (silence watch). Cheap; flushed periodically. */
  recordNotification(subscriptionId: string, at?: Date): void;
  /** subscriptionId ours (current or recently retired), clientState matches (constant time), tenant expected. */
  validateItem(item: NotificationIdentity): Promise<ValidationVerdict>;
  /** The registry as last read or written (no secrets). */
  snapshot(): Registry;
  isLeader(): boolean;
  silence(): SilenceStatus[];
  /** Changes the desired state (takes effect at the next reconcile). */
  updateDesired(settings: Omit<DesiredSettings, 'certificateId'>): void;
}

export interface SubscriptionManagerOptions {
  graph: GraphClient;
  /** Control container on the checkpoint storage account. */
  container: ContainerClient;
  /** Where the clientState secrets are kept. Default: a blob in the control container. */
  clientStateSecrets?: ClientStateSecrets;
  desired: Omit<DesiredSettings, 'certificateId'>;
  /** The keyring's current certificate: `keyring.current()` fits. */
  currentCertificate: () => { id: string; certificate: string };
  replicaId: string;
  /** Tenant GUID notifications must carry; unset = not checked. */
  expectedTenantId?: string;
  renewFraction?: number;
  jitterFraction?: number;
  reconcileIntervalMs?: number;
  leaseMs?: number;
  silenceWarnMs?: number;
  /** Followers re-read the registry and secrets this often. Default 15 s. */
  registryRefreshMs?: number;
  /** Last-seen times are written this often. Default 30 s. */
  lastSeenFlushMs?: number;
  /** clientState of ended subscriptions stays valid this long (hub retention). Default 8 days. */
  retiredRetentionMs?: number;
  logger?: Logger;
  metrics?: MetricsRegistry;
  /** Clock for renewal decisions (tests move it forward). Graph-facing times always use the real clock. */
  clock?: () => number;
}

export const SubscriptionErrorCodes = {
  notLeader: 'GDLP_SUBSCRIPTIONS_NOT_LEADER',
  unknownSubscription: 'GDLP_SUBSCRIPTIONS_UNKNOWN_SUBSCRIPTION',
  registryUnavailable: 'GDLP_SUBSCRIPTIONS_REGISTRY_UNAVAILABLE',
  clientStateMismatch: 'GDLP_SUBSCRIPTIONS_CLIENT_STATE_MISMATCH',
  clientStateUnknown: 'GDLP_SUBSCRIPTIONS_CLIENT_STATE_UNKNOWN',
  tenantMismatch: 'GDLP_SUBSCRIPTIONS_TENANT_MISMATCH',
  createFailed: 'GDLP_SUBSCRIPTIONS_CREATE_FAILED',
} as const;

/** Graph's Event Hubs reachability message, written on each subscription creation: recognise and ignore. */
export function isValidationMessage(item: { subscriptionId?: unknown; changeType?: unknown }): boolean {
  return (
    item.subscriptionId === 'NA' ||
    (typeof item.changeType === 'string' && item.changeType.startsWith('Validation:'))
  );
}

const SECRET_REF_PREFIX = 'secrets-blob:';
const emptyReport = (leader: boolean): ReconcileReport => ({
  leader,
  created: [],
  recreated: [],
  renewed: [],
  reauthorized: [],
  adopted: [],
  deleted: [],
  gaps: [],
  waiting: [],
  ignored: [],
  errors: [],
});

function digestEqual(a: string, b: string): boolean {
  // Hash first: timingSafeEqual needs equal lengths, and the length of the secret must not leak either.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function createSubscriptionManager(options: SubscriptionManagerOptions): SubscriptionManager {
  const log = options.logger ?? createSilentLogger();
  const store: ControlStore = createControlStore(options.container, options.clientStateSecrets);
  const leaseMs = options.leaseMs ?? 30_000;
  const reconcileIntervalMs = options.reconcileIntervalMs ?? 60_000;
  const silenceWarnMs = options.silenceWarnMs ?? 6 * 3_600_000;
  const retiredRetentionMs = options.retiredRetentionMs ?? 8 * 24 * 3_600_000;
  const planOptions: PlanOptions = {
    renewFraction: options.renewFraction ?? 0.5,
    jitterFraction: options.jitterFraction ?? 0.05,
    reauthorizePatchSpacingMs: 10 * 60_000,
  };
  let desiredSettings = options.desired;
  let registry: Registry = emptyRegistry();
  let secrets: SecretsDocument = { version: 1, secrets: {} };
  const localLastSeen = new Map<string, string>();
  let lastSeenDirty = false;
  const warnedQuiet = new Set<string>();
  let lastRefreshAt = 0;
  let refreshing: Promise<void> | undefined;
  let reconciling: Promise<ReconcileReport> | undefined;
  let tickController: AbortController | undefined;
  let started = false;
  let closed = false;
  const timers: NodeJS.Timeout[] = [];

  const metrics = options.metrics
    ? {
        actions: new Counter({
          name: 'graph_dlp_subscription_actions_total',
          help: 'Subscription reconciler actions by kind and outcome',
          labelNames: ['action', 'outcome'],
          registers: [options.metrics],
        }),
        silenceWarnings: new Counter({
          name: 'graph_dlp_subscription_silence_warnings_total',
          help: 'Warnings about subscriptions that delivered nothing for the quiet period',
          registers: [options.metrics],
        }),
        leader: new Gauge({
          name: 'graph_dlp_subscription_leader',
          help: '1 while this replica is the subscription leader',
          registers: [options.metrics],
          collect() {
            this.set(lease.isLeader() ? 1 : 0);
          },
        }),
        sinceLast: new Gauge({
          name: 'graph_dlp_subscription_seconds_since_last_notification',
          help: 'Seconds since the last notification of each subscription (since creation when none yet)',
          labelNames: ['subscription_id', 'resource'],
          registers: [options.metrics],
          collect() {
            this.reset();
            for (const s of manager.silence())
              this.set({ subscription_id: s.subscriptionId, resource: s.resource }, s.secondsSince);
          },
        }),
      }
    : undefined;

  const lease = new LeaderLease({
    blob: options.container.getBlobClient(REGISTRY_BLOB),
    leaseMs,
    logger: log,
    onAcquired: () => {
      if (started && !closed) void manager.reconcileNow().catch(() => undefined);
    },
    onLost: () =>
      tickController?.abort(
        new GraphDlpError(SubscriptionErrorCodes.notLeader, 'transient', 'leadership lost'),
      ),
  });

  const certificateFor = () => options.currentCertificate();
  const desiredNow = (): DesiredSubscription[] =>
    buildDesiredSubscriptions({ ...desiredSettings, certificateId: certificateFor().id });

  async function refresh(force = false): Promise<void> {
    if (!force && Date.now() - lastRefreshAt < 2_000) return refreshing;
    refreshing ??= (async () => {
      try {
        const [r, s] = await Promise.all([store.readRegistry(), store.readSecrets()]);
        registry = r;
        secrets = s.doc;
        lastRefreshAt = Date.now();
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  async function flushLastSeen(): Promise<void> {
    if (!lastSeenDirty) return;
    lastSeenDirty = false;
    try {
      await store.writeLastSeen(options.replicaId, Object.fromEntries(localLastSeen));
    } catch (err) {
      lastSeenDirty = true;
      log.warn({ err: describeError(err) }, 'subscriptions: could not write last-seen times');
    }
  }

  function guard(): void {
    if (!lease.isLeader())
      throw new GraphDlpError(
        SubscriptionErrorCodes.notLeader,
        'transient',
        'this replica is not (or no longer) the subscription leader',
      );
  }

  async function reconcile(): Promise<ReconcileReport> {
    const report = emptyReport(lease.isLeader());
    if (!lease.isLeader()) return report;
    const controller = new AbortController();
    tickController = controller;
    const signal = controller.signal;
    try {
      const [fresh, secretsRead, inbox, lastSeen] = await Promise.all([
        store.readRegistry(),
        store.readSecrets(),
        store.readInbox(),
        store.readLastSeen(),
      ]);
      guard();
      const reg: Registry = structuredClone(fresh);
      let secretsDoc = secretsRead.doc;
      let secretsEtag = secretsRead.etag;
      const knownLifecycle = new Set(reg.pendingLifecycle.map((l) => l.id));
      for (const request of inbox) {
        if (!knownLifecycle.has(request.id))
          reg.pendingLifecycle.push({
            id: request.id,
            subscriptionId: request.subscriptionId,
            event: request.event,
            receivedAt: request.receivedAt,
          });
      }
      for (const [id, at] of localLastSeen) if (!lastSeen[id] || lastSeen[id] < at) lastSeen[id] = at;
      for (const e of reg.subscriptions) {
        const seen = lastSeen[e.id];
        if (seen && (!e.lastNotificationAt || e.lastNotificationAt < seen)) e.lastNotificationAt = seen;
      }
      const actual = await options.graph.listAll<GraphSubscription>('/subscriptions', { signal });
      guard();
      const certificate = certificateFor();
      const desired = buildDesiredSubscriptions({ ...desiredSettings, certificateId: certificate.id });
      const desiredByKey = new Map(desired.map((d) => [d.key, d]));
      const nowMs = (options.clock ?? Date.now)();
      const actions = planReconcile(desired, actual, reg, nowMs, planOptions);
      const entryById = (id: string) => reg.subscriptions.find((e) => e.id === id);
      const resourceOf = (id: string) =>
        entryById(id)?.resource ?? actual.find((s) => s.id === id)?.resource ?? 'unknown';

      const persistSecrets = async () => {
        guard();
        secretsEtag = await store.writeSecrets(secretsDoc, secretsEtag);
      };
      const retire = (entry: RegistryEntry) => {
        reg.subscriptions = reg.subscriptions.filter((e) => e.id !== entry.id);
        if (!reg.retired.some((r) => r.id === entry.id))
          reg.retired.push({
            id: entry.id,
            resource: entry.resource,
            clientStateRef: entry.clientStateRef,
            retiredAt: new Date().toISOString(),
          });
      };

      const withShorterLifetimes = async <T>(
        key: string,
        lifetimeMs: number,
        call: (lifetime: number) => Promise<T>,
      ): Promise<T> => {
        let lifetime = lifetimeMs;
        for (;;) {
          try {
            const result = await call(lifetime);
            if (lifetime < lifetimeMs) {
              reg.learnedMaxLifetimeMs[key] = lifetime;
              log.warn(
                { key, lifetimeMinutes: lifetime / 60_000 },
                'subscriptions: Graph refused the requested lifetime; using a shorter one from now on',
              );
            }
            return result;
          } catch (err) {
            const next =
              errorCodeOf(err) === GraphErrorCodes.expirationLimit ? shorterLifetimeMs(lifetime) : undefined;
            if (next === undefined) throw err;
            lifetime = next;
          }
        }
      };

      const create = async (
        d: DesiredSubscription,
        lifetimeMs: number,
        recreatedFrom?: string,
      ): Promise<void> => {
        // A create that failed earlier without an answer left its secret pending: reuse it, so if that create did
        // reach Graph, the 409 we get now adopts a subscription whose clientState we know.
        let pending = reg.pendingCreates.find((p) => p.key === d.key);
        const hadPending = pending !== undefined;
        if (!pending) {
          const secretId = randomUUID();
          secretsDoc = {
            ...secretsDoc,
            secrets: { ...secretsDoc.secrets, [secretId]: randomBytes(48).toString('base64url') },
          };
          await persistSecrets();
          pending = {
            key: d.key,
            clientStateRef: `${SECRET_REF_PREFIX}${secretId}`,
            startedAt: new Date().toISOString(),
          };
          reg.pendingCreates.push(pending);
          guard();
          await store.writeRegistry(reg, lease.leaseId);
        }
        const clientState = secretsDoc.secrets[
          pending.clientStateRef.slice(SECRET_REF_PREFIX.length)
        ] as string;
        let sentExpiry = 0;
        try {
          const created = await withShorterLifetimes(d.key, lifetimeMs, (lifetime) => {
            guard();
            sentExpiry = Date.now() + lifetime;
            return options.graph.post<GraphSubscription>(
              '/subscriptions',
              {
                changeType: d.changeType,
                notificationUrl: d.notificationUrl,
                lifecycleNotificationUrl: d.lifecycleNotificationUrl,
                resource: d.resource,
                expirationDateTime: new Date(sentExpiry).toISOString(),
                clientState,
                includeResourceData: d.includeResourceData,
                ...(d.includeResourceData
                  ? {
                      encryptionCertificate: certificate.certificate,
                      encryptionCertificateId: certificate.id,
                    }
                  : {}),
                latestSupportedTlsVersion: 'v1_2',
              },
              { signal },
            );
          });
          reg.pendingCreates = reg.pendingCreates.filter((p) => p !== pending);
          // Notifications flow again from here: close the gaps the missing subscription left open.
          const createdAt = new Date().toISOString();
          for (const g of reg.gaps) {
            if (g.open && (g.resource === (created.resource ?? d.resource) || g.resource === d.resource)) {
              if (createdAt > g.to) g.to = createdAt;
              delete g.open;
            }
          }
          reg.subscriptions.push({
            id: created.id,
            key: d.key,
            resource: created.resource ?? d.resource,
            changeType: created.changeType ?? d.changeType,
            clientStateRef: pending.clientStateRef,
            certificateId: d.includeResourceData ? certificate.id : null,
            expirationDateTime: created.expirationDateTime,
            createdByUs: true,
            // The same instant that closed the gaps above: a second clock read could fall a millisecond later and leave
            // the replacement's creation outside the window a backfill reads.
            createdAt,
          });
          if (recreatedFrom !== undefined)
            report.recreated.push({
              id: created.id,
              resource: d.resource,
              ...(recreatedFrom ? { previousId: recreatedFrom } : {}),
            });
          else report.created.push({ id: created.id, resource: d.resource });
          metrics?.actions.inc({
            action: recreatedFrom !== undefined ? 'recreate' : 'create',
            outcome: 'ok',
          });
        } catch (err) {
          if (errorCodeOf(err) !== GraphErrorCodes.conflict) throw err;
          // 409: Graph already has this (resource, changeType) for our app. Adopt it.
          guard();
          const list = await options.graph.listAll<GraphSubscription>('/subscriptions', { signal });
          const existing = list.find((s) => subscriptionKey(s.resource, s.changeType) === d.key);
          if (!existing) throw err;
          reg.pendingCreates = reg.pendingCreates.filter((p) => p !== pending);
          // Ours if an earlier create for this key never got its answer, or if this very create reached Graph and
          // only the answer was lost (the SDK retried it): then Graph holds exactly what we sent.
          const sameAsSent =
            Math.abs(Date.parse(existing.expirationDateTime) - sentExpiry) < 1_000 &&
            existing.notificationUrl === d.notificationUrl &&
            (!d.includeResourceData || existing.encryptionCertificateId === certificate.id);
          const ours = hadPending || sameAsSent;
          adopt(existing, d.key, ours, ours ? pending.clientStateRef : null);
        }
      };

      const adopt = (
        s: GraphSubscription,
        key: string,
        createdByUs: boolean,
        clientStateRef: string | null,
      ) => {
        if (reg.subscriptions.some((e) => e.id === s.id)) return;
        reg.subscriptions.push({
          id: s.id,
          key,
          resource: s.resource,
          changeType: s.changeType,
          clientStateRef,
          certificateId: s.encryptionCertificateId ?? null,
          expirationDateTime: s.expirationDateTime,
          createdByUs,
          adoptedAt: new Date().toISOString(),
        });
        report.adopted.push({ id: s.id, resource: s.resource, createdByUs });
        metrics?.actions.inc({ action: 'adopt', outcome: 'ok' });
        if (!clientStateRef) {
          log.warn(
            { subscriptionId: s.id, resource: s.resource },
            'subscriptions: adopted a subscription whose clientState is unknown (created outside this registry); its notifications will be dead-lettered as unverifiable. Fix: `graph-dlp subscriptions delete --id <id>` then `sync`.',
          );
        }
      };

      const recreateAfter404 = async (subscriptionId: string, key: string) => {
        const entry = entryById(subscriptionId);
        const now = new Date().toISOString();
        const gap: Gap = {
          resource: entry?.resource ?? resourceOf(subscriptionId),
          from:
            entry?.lastNotificationAt ?? entry?.lastPatchAt ?? entry?.createdAt ?? entry?.adoptedAt ?? now,
          to: now,
          reason: 'recreated-after-404',
          subscriptionId,
          recordedAt: now,
          open: true,
        };
        reg.gaps.push(gap);
        report.gaps.push(gap);
        if (entry) retire(entry);
        const d = desiredByKey.get(key);
        if (d) await create(d, reg.learnedMaxLifetimeMs[key] ?? d.lifetimeMs, subscriptionId);
      };

      for (const action of actions) {
        if (signal.aborted || !lease.isLeader())
          throw new GraphDlpError(
            SubscriptionErrorCodes.notLeader,
            'transient',
            'leadership lost during reconcile',
          );
        try {
          await execute(action);
        } catch (err) {
          if (errorCodeOf(err) === SubscriptionErrorCodes.notLeader || signal.aborted) throw err;
          report.errors.push({
            action: action.kind,
            ...('subscriptionId' in action ? { subscriptionId: action.subscriptionId } : {}),
            code: errorCodeOf(err),
            message: describeError(err),
          });
          metrics?.actions.inc({ action: action.kind, outcome: 'error' });
          log.error(
            {
              action: action.kind,
              err: describeError(err),
              kind: isGraphDlpError(err) ? err.kind : 'transient',
            },
            'subscriptions: action failed',
          );
        }
      }

      async function execute(action: ReconcileAction): Promise<void> {
        switch (action.kind) {
          case 'create':
            await create(action.desired, action.lifetimeMs, action.reason === 'recreate' ? '' : undefined);
            return;
          case 'adopt':
            adopt(action.subscription, action.key, action.createdByUs, action.clientStateRef);
            reg.pendingCreates = reg.pendingCreates.filter((p) => p.key !== action.key);
            return;
          case 'renew': {
            const entry = entryById(action.subscriptionId);
            try {
              const updated = await withShorterLifetimes(action.key, action.lifetimeMs, (lifetime) => {
                guard();
                return options.graph.patch<GraphSubscription>(
                  `/subscriptions/${encodeURIComponent(action.subscriptionId)}`,
                  {
                    expirationDateTime: new Date(Date.now() + lifetime).toISOString(),
                    ...(action.certificateId
                      ? {
                          encryptionCertificate: certificate.certificate,
                          encryptionCertificateId: certificate.id,
                        }
                      : {}),
                    ...(action.notificationUrl ? { notificationUrl: action.notificationUrl } : {}),
                  },
                  { signal },
                );
              });
              const target = entryById(action.subscriptionId);
              if (target) {
                target.expirationDateTime = updated.expirationDateTime;
                target.lastPatchAt = new Date().toISOString();
                if (action.certificateId) target.certificateId = certificate.id;
              }
              report.renewed.push({
                id: action.subscriptionId,
                resource: entry?.resource ?? resourceOf(action.subscriptionId),
                reason: action.reason,
                expirationDateTime: updated.expirationDateTime,
                ...(action.certificateId ? { certificateId: certificate.id } : {}),
              });
              metrics?.actions.inc({ action: 'renew', outcome: 'ok' });
            } catch (err) {
              // Graph: PATCH 404 = already expired or removed; create a new one, do not retry.
              if (errorCodeOf(err) !== GraphErrorCodes.notFound) throw err;
              await recreateAfter404(action.subscriptionId, action.key);
            }
            return;
          }
          case 'reauthorize':
            try {
              guard();
              await options.graph.post(
                `/subscriptions/${encodeURIComponent(action.subscriptionId)}/reauthorize`,
                {},
                { signal },
              );
              const target = entryById(action.subscriptionId);
              if (target) target.lastReauthorizeAt = new Date().toISOString();
              report.reauthorized.push({
                id: action.subscriptionId,
                resource: resourceOf(action.subscriptionId),
              });
              metrics?.actions.inc({ action: 'reauthorize', outcome: 'ok' });
            } catch (err) {
              if (errorCodeOf(err) !== GraphErrorCodes.notFound) throw err;
              await recreateAfter404(action.subscriptionId, action.key);
            }
            return;
          case 'delete':
            try {
              guard();
              await options.graph.delete(`/subscriptions/${encodeURIComponent(action.subscriptionId)}`, {
                signal,
              });
            } catch (err) {
              if (errorCodeOf(err) !== GraphErrorCodes.notFound) throw err;
            }
            report.deleted.push({
              id: action.subscriptionId,
              resource: resourceOf(action.subscriptionId),
              reason: action.reason,
            });
            metrics?.actions.inc({ action: 'delete', outcome: 'ok' });
            return;
          case 'forget': {
            const entry = entryById(action.subscriptionId);
            if (entry) retire(entry);
            return;
          }
          case 'record-gap':
            reg.gaps.push(action.gap);
            report.gaps.push(action.gap);
            log.warn(
              {
                resource: action.gap.resource,
                from: action.gap.from,
                to: action.gap.to,
                reason: action.gap.reason,
              },
              'subscriptions: notification gap recorded for backfill',
            );
            return;
          case 'ack-lifecycle':
            reg.pendingLifecycle = reg.pendingLifecycle.filter((l) => l.id !== action.lifecycleId);
            return;
          case 'wait':
            report.waiting.push({ id: action.subscriptionId, until: action.until, why: action.why });
            return;
          case 'ignore-foreign':
            report.ignored.push({ id: action.subscriptionId, resource: action.resource });
            return;
        }
      }

      // Housekeeping: drop retired secrets past hub retention; keep the gap list bounded.
      reg.pendingCreates = reg.pendingCreates.filter((p) => desiredByKey.has(p.key));
      const cutoff = Date.now() - retiredRetentionMs;
      const expired = reg.retired.filter((r) => Date.parse(r.retiredAt) < cutoff);
      if (expired.length > 0) {
        reg.retired = reg.retired.filter((r) => Date.parse(r.retiredAt) >= cutoff);
        const inUse = new Set(
          [...reg.subscriptions, ...reg.retired].map((e) => e.clientStateRef).filter(Boolean),
        );
        const kept = Object.fromEntries(
          Object.entries(secretsDoc.secrets).filter(
            ([id]) =>
              inUse.has(`${SECRET_REF_PREFIX}${id}`) ||
              reg.pendingCreates.some((p) => p.clientStateRef === `${SECRET_REF_PREFIX}${id}`),
          ),
        );
        secretsDoc = { ...secretsDoc, secrets: kept };
        await persistSecrets();
      }
      if (reg.gaps.length > 1_000) reg.gaps = reg.gaps.slice(-1_000);
      reg.updatedAt = new Date().toISOString();
      reg.updatedBy = options.replicaId;
      guard();
      await store.writeRegistry(reg, lease.leaseId);
      const consumed = inbox
        .filter((i) => !reg.pendingLifecycle.some((l) => l.id === i.id))
        .map((i) => i.blobName);
      await store.deleteInbox(consumed);
      registry = reg;
      secrets = secretsDoc;
      lastRefreshAt = Date.now();
      warnAboutSilence();
      return report;
    } catch (err) {
      if (errorCodeOf(err) === SubscriptionErrorCodes.notLeader || signal.aborted) {
        log.warn('subscriptions: reconcile stopped, this replica lost leadership');
        return { ...report, leader: false };
      }
      throw err;
    } finally {
      if (tickController === controller) tickController = undefined;
    }
  }

  function warnAboutSilence(): void {
    for (const s of manager.silence()) {
      if (!s.quiet) {
        warnedQuiet.delete(s.subscriptionId);
        continue;
      }
      if (warnedQuiet.has(s.subscriptionId)) continue;
      warnedQuiet.add(s.subscriptionId);
      metrics?.silenceWarnings.inc();
      log.warn(
        {
          subscriptionId: s.subscriptionId,
          resource: s.resource,
          secondsSince: s.secondsSince,
          lastNotificationAt: s.lastNotificationAt,
        },
        'subscriptions: no notification for longer than the quiet period (GDLP_SILENCE_WARN_MS); check the subscription, hub permissions and licensing',
      );
    }
  }

  const manager: SubscriptionManager = {
    async start() {
      if (started || closed) return;
      started = true;
      await store.ensure();
      await refresh(true);
      lease.start();
      const tick = setInterval(() => {
        if (lease.isLeader())
          void manager
            .reconcileNow()
            .catch((err) => log.error({ err: describeError(err) }, 'subscriptions: reconcile failed'));
        else
          void refresh().catch((err) =>
            log.warn({ err: describeError(err) }, 'subscriptions: registry refresh failed'),
          );
      }, reconcileIntervalMs);
      const follower = setInterval(() => {
        if (!lease.isLeader()) void refresh(true).catch(() => undefined);
        void flushLastSeen();
        warnAboutSilenceIfLeader();
      }, options.registryRefreshMs ?? 15_000);
      const flush = setInterval(() => void flushLastSeen(), options.lastSeenFlushMs ?? 30_000);
      for (const t of [tick, follower, flush]) {
        t.unref();
        timers.push(t);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      tickController?.abort(new GraphDlpError(SubscriptionErrorCodes.notLeader, 'transient', 'closing'));
      // Graph calls are aborted above; a hung storage call must not hang shutdown either.
      if (reconciling) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          reconciling.catch(() => undefined),
          new Promise<void>((r) => {
            timer = setTimeout(r, 10_000);
          }),
        ]);
        if (timer) clearTimeout(timer);
      }
      await lease.close();
      await flushLastSeen();
    },
    reconcileNow() {
      reconciling ??= reconcile().finally(() => {
        reconciling = undefined;
      });
      return reconciling;
    },
    async syncOnce(opts = {}) {
      await store.ensure();
      const deadline = Date.now() + (opts.waitMs ?? leaseMs + 5_000);
      while (!(await lease.tryAcquire())) {
        if (Date.now() >= deadline) {
          throw new GraphDlpError(
            SubscriptionErrorCodes.notLeader,
            'transient',
            'another replica holds the subscription leader lease; it keeps subscriptions in sync (try again, or stop it)',
          );
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
      try {
        return await manager.reconcileNow();
      } finally {
        if (!started) await lease.release();
      }
    },
    async handleLifecycle(item) {
      if (isValidationMessage(item)) return;
      const verdict = await manager.validateItem(item);
      if (!verdict.ok) {
        log.warn(
          { subscriptionId: item.subscriptionId, code: verdict.code },
          'subscriptions: lifecycle notification failed validation; ignored',
        );
        return;
      }
      const event = item.lifecycleEvent ?? 'unknown';
      await store.postLifecycle({
        subscriptionId: item.subscriptionId,
        event,
        receivedAt: new Date().toISOString(),
      });
      log.info(
        { subscriptionId: item.subscriptionId, lifecycleEvent: event },
        'subscriptions: lifecycle notification queued for the leader',
      );
      if (lease.isLeader())
        void manager
          .reconcileNow()
          .catch((err) =>
            log.error({ err: describeError(err) }, 'subscriptions: reconcile after lifecycle failed'),
          );
    },
    recordNotification(subscriptionId, at = new Date()) {
      const iso = at.toISOString();
      const previous = localLastSeen.get(subscriptionId);
      if (!previous || previous < iso) {
        localLastSeen.set(subscriptionId, iso);
        lastSeenDirty = true;
        warnedQuiet.delete(subscriptionId);
      }
    },
    async validateItem(item) {
      const find = () =>
        registry.subscriptions.find((e) => e.id === item.subscriptionId) ??
        registry.retired.find((r) => r.id === item.subscriptionId);
      let entry = find();
      if (!entry) {
        try {
          await refresh();
        } catch (err) {
          // We cannot tell a forged id from a brand-new subscription while storage is down: hold the
          // event (transient, retried) rather than dead-letter a notification that may be genuine.
          log.warn({ err: describeError(err) }, 'subscriptions: registry refresh failed');
          throw new GraphDlpError(
            SubscriptionErrorCodes.registryUnavailable,
            'transient',
            'the subscription registry could not be read to validate a notification',
            { cause: err },
          );
        }
        entry = find();
      }
      if (!entry)
        return {
          ok: false,
          code: SubscriptionErrorCodes.unknownSubscription,
          reason: 'subscriptionId is not one of our subscriptions',
        };
      if (
        options.expectedTenantId &&
        (typeof item.tenantId === 'string' ? item.tenantId : '').toLowerCase() !==
          options.expectedTenantId.toLowerCase()
      ) {
        return {
          ok: false,
          code: SubscriptionErrorCodes.tenantMismatch,
          reason: 'tenantId is not the expected tenant',
        };
      }
      const ref = entry.clientStateRef;
      let expected = ref?.startsWith(SECRET_REF_PREFIX)
        ? secrets.secrets[ref.slice(SECRET_REF_PREFIX.length)]
        : undefined;
      if (ref && expected === undefined) {
        await refresh(true).catch(() => undefined);
        expected = secrets.secrets[ref.slice(SECRET_REF_PREFIX.length)];
      }
      if (expected === undefined)
        return {
          ok: false,
          code: SubscriptionErrorCodes.clientStateUnknown,
          reason: 'the clientState of this subscription is unknown to graph-dlp (adopted)',
        };
      if (typeof item.clientState !== 'string' || !digestEqual(item.clientState, expected)) {
        return {
          ok: false,
          code: SubscriptionErrorCodes.clientStateMismatch,
          reason: 'clientState does not match',
        };
      }
      return { ok: true };
    },
    snapshot: () => structuredClone(registry),
    isLeader: () => lease.isLeader(),
    silence() {
      const now = Date.now();
      return registry.subscriptions.map((e) => {
        const local = localLastSeen.get(e.id);
        const last = [e.lastNotificationAt, local]
          .filter((x): x is string => !!x)
          .sort()
          .at(-1);
        const since = last ?? e.createdAt ?? e.adoptedAt ?? registry.updatedAt ?? new Date(now).toISOString();
        const ms = Math.max(0, now - Date.parse(since));
        return {
          subscriptionId: e.id,
          resource: e.resource,
          ...(last ? { lastNotificationAt: last } : {}),
          secondsSince: Math.round(ms / 1000),
          quiet: ms > silenceWarnMs,
        };
      });
    },
    updateDesired(settings) {
      desiredSettings = settings;
      desiredNow(); // validate now, not at the next tick
    },
  };
  function warnAboutSilenceIfLeader() {
    if (lease.isLeader()) warnAboutSilence();
  }
  return manager;
}
