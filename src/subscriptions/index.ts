export {
  buildDesiredSubscriptions,
  buildEventHubNotificationUrl,
  DEFAULT_CHANGE_TYPE,
  DEFAULT_RESOURCES,
  type DesiredSettings,
  type EventHubTarget,
  parseEventHubNotificationUrl,
  withPaymentModel,
} from './desired.js';
export { LeaderLease, type LeaderLeaseOptions } from './lease.js';
export {
  createSubscriptionManager,
  isValidationMessage,
  type LifecycleItem,
  type NotificationIdentity,
  type ReconcileReport,
  type SilenceStatus,
  SubscriptionErrorCodes,
  type SubscriptionManager,
  type SubscriptionManagerOptions,
  type ValidationVerdict,
} from './manager.js';
export {
  lifetimeFor,
  MIN_LIFETIME_MS,
  planReconcile,
  renewAtMs,
  shorterLifetimeMs,
  subscriptionKey,
} from './plan.js';
export { type ControlStore, createControlStore, REGISTRY_BLOB, SECRETS_BLOB } from './store.js';
export * from './types.js';
