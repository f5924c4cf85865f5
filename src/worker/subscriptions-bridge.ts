/**
 * Where the worker gets its subscription registry (validator) and lifecycle handler from: the
 * subscription manager of src/subscriptions. Loaded lazily so the worker area compiles and runs its own
 * tests independently of that area's progress.
 */
import type { ConfigTree } from '../config/index.js';
import { GraphDlpError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ItemValidator, LifecycleHandler } from './ports.js';

export interface SubscriptionPart {
  validator: ItemValidator;
  lifecycle: LifecycleHandler;
  close?: () => Promise<void>;
}

type Factory = (input: { config: ConfigTree; logger: Logger }) => Promise<SubscriptionPart>;

export async function loadSubscriptionPart(config: ConfigTree, logger: Logger): Promise<SubscriptionPart> {
  const modulePath = '../subscriptions/worker-bridge.js';
  let factory: Factory | undefined;
  try {
    const mod = (await import(modulePath)) as { createWorkerSubscriptionPart?: Factory };
    factory = mod.createWorkerSubscriptionPart;
  } catch {
    factory = undefined;
  }
  if (!factory) {
    throw new GraphDlpError(
      'GDLP_WORKER_NO_SUBSCRIPTION_REGISTRY',
      'fatal',
      'the subscription manager (src/subscriptions/worker-bridge.ts: createWorkerSubscriptionPart) is not available, so notifications cannot be validated; see README Limitations',
    );
  }
  return factory({ config, logger });
}
