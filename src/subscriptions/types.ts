/** Shapes shared by the reconciler's pure core, its I/O shell and the registry blob. */

/** A subscription we want Graph to hold. `key` identifies it across recreations (resource + change types). */
export interface DesiredSubscription {
  key: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  includeResourceData: boolean;
  /** Requested lifetime; shortened automatically when Graph refuses it. */
  lifetimeMs: number;
  /** `encryptionCertificateId` of the keyring's current certificate (rich notifications). */
  certificateId?: string;
}

/** A subscription as Graph returns it (GET /subscriptions; `clientState` is never returned by list). */
export interface GraphSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string | null;
  expirationDateTime: string;
  includeResourceData?: boolean | null;
  encryptionCertificateId?: string | null;
  applicationId?: string | null;
  creatorId?: string | null;
}

/** One of our subscriptions as recorded in the registry blob. Graph stays the source of truth. */
export interface RegistryEntry {
  id: string;
  key: string;
  resource: string;
  changeType: string;
  /**
   * Reference into the clientState secrets document (`secrets-blob:<secretId>`; the prefix predates keeping that
   * document in Key Vault and is kept for registries already written); null when unknown (adopted, not ours).
   */
  clientStateRef: string | null;
  certificateId: string | null;
  expirationDateTime: string;
  /** Only subscriptions we created are ever deleted by us. */
  createdByUs: boolean;
  createdAt?: string;
  adoptedAt?: string;
  /** Last successful PATCH (renewal); also the start of the current lifetime. */
  lastPatchAt?: string;
  lastReauthorizeAt?: string;
  lastNotificationAt?: string;
}

/** A lifecycle notification waiting for the leader (written by whichever replica's consumer received it). */
export interface LifecycleRequest {
  id: string;
  subscriptionId: string;
  event: string;
  receivedAt: string;
}

/** A window in which notifications for `resource` may have been lost: backfill it (delta / getAllMessages). */
export interface Gap {
  resource: string;
  from: string;
  to: string;
  reason: 'missed' | 'subscriptionRemoved' | 'subscription-gone' | 'recreated-after-404';
  subscriptionId?: string;
  recordedAt: string;
  /**
   * The subscription is gone and no replacement exists yet: notifications are still being lost, so `to` is
   * provisional. Set when the gap is recorded; cleared, with `to` moved to the replacement's creation, when the
   * leader creates the replacement. Backfill waits for it to close.
   */
  open?: boolean;
}

/** A create about to be sent: its clientState secret is stored first, so a lost response can still be adopted on 409. */
export interface PendingCreate {
  key: string;
  clientStateRef: string;
  startedAt: string;
}

export interface Registry {
  version: 1;
  subscriptions: RegistryEntry[];
  pendingLifecycle: LifecycleRequest[];
  pendingCreates: PendingCreate[];
  gaps: Gap[];
  /**
   * Subscriptions that ended (deleted, expired, removed). Their clientState is kept for a while: notifications
   * they produced may still sit in the hub and must still validate.
   */
  retired: RetiredSubscription[];
  /** Lifetimes Graph accepted after refusing a longer one, per desired key. */
  learnedMaxLifetimeMs: Record<string, number>;
  updatedAt?: string;
  updatedBy?: string;
}

export interface RetiredSubscription {
  id: string;
  resource: string;
  clientStateRef: string | null;
  retiredAt: string;
}

export function emptyRegistry(): Registry {
  return {
    version: 1,
    subscriptions: [],
    pendingLifecycle: [],
    pendingCreates: [],
    gaps: [],
    retired: [],
    learnedMaxLifetimeMs: {},
  };
}

export type RenewReason = 'due' | 'certificate-rotation' | 'notification-url-changed' | 'reauthorization';

export type ReconcileAction =
  | {
      kind: 'create';
      key: string;
      desired: DesiredSubscription;
      lifetimeMs: number;
      reason: 'missing' | 'recreate';
    }
  | {
      kind: 'adopt';
      key: string;
      subscription: GraphSubscription;
      createdByUs: boolean;
      clientStateRef: string | null;
    }
  | {
      kind: 'renew';
      key: string;
      subscriptionId: string;
      lifetimeMs: number;
      reason: RenewReason;
      /** Set when the subscription must move to the current certificate. */
      certificateId?: string;
      notificationUrl?: string;
    }
  | { kind: 'reauthorize'; key: string; subscriptionId: string }
  | { kind: 'delete'; subscriptionId: string; reason: 'not-desired' | 'duplicate' | 'removed-by-graph' }
  | { kind: 'forget'; subscriptionId: string; reason: 'gone-from-graph' | 'deleted' | 'removed-by-graph' }
  | { kind: 'record-gap'; gap: Gap }
  | { kind: 'ack-lifecycle'; lifecycleId: string; outcome: string }
  | { kind: 'wait'; subscriptionId: string; until: string; why: string }
  | { kind: 'ignore-foreign'; subscriptionId: string; resource: string };

export interface PlanOptions {
  /** Renew once this fraction of the lifetime has passed. Default 0.5. */
  renewFraction: number;
  /** ± fraction of the lifetime added to the renewal time, derived from the subscription id (deterministic). */
  jitterFraction: number;
  /** Never a reauthorize and a PATCH for the same subscription closer than this. Graph: 10 minutes. */
  reauthorizePatchSpacingMs: number;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  renewFraction: 0.5,
  jitterFraction: 0.05,
  reauthorizePatchSpacingMs: 10 * 60_000,
};
