/**
 * Builds the subscription manager (src/subscriptions) from the frozen config for the worker: it is the
 * registry the pipeline validates every notification against (subscriptionId, clientState in constant
 * time, tenantId) and the handler of lifecycle items. Every replica runs one; only the lease holder
 * creates/renews subscriptions.
 */

import type { ContainerClient } from '@azure/storage-blob';
import { type ConfigTree, configSection } from '../config/index.js';
import { GraphDlpError } from '../errors.js';
import { createGraphCredential } from '../graph/credential.js';
import { createGraphClient, type GraphClient } from '../graph/index.js';
import type { Logger } from '../log.js';
import { clientStateSecretsFromConfig, type GraphConfig } from '../subscriptions/from-config.js';
import {
  buildEventHubNotificationUrl,
  createSubscriptionManager,
  type SubscriptionManager,
} from '../subscriptions/index.js';
import type { ItemValidator, LifecycleHandler } from './ports.js';

export interface SubscriptionPart {
  validator: ItemValidator;
  lifecycle: LifecycleHandler;
  manager: SubscriptionManager;
  graph: GraphClient;
  close: () => Promise<void>;
}

/** The config section the subscription area declares (defaults applied by loadConfig). */
type GraphSection = GraphConfig;

export function createGraphFromConfig(config: ConfigTree): GraphClient {
  const g = configSection<GraphSection>(config, 'graph');
  return createGraphClient({
    baseUrl: g.baseUrl,
    credential: createGraphCredential({
      baseUrl: g.baseUrl,
      tenantId: g.tenantId,
      clientId: g.clientId,
      clientSecret: g.clientSecret,
    }),
  });
}

export async function createSubscriptionPart(input: {
  config: ConfigTree;
  logger: Logger;
  storage: { getContainerClient(name: string): ContainerClient };
  eventHubsNamespace: string;
  eventHubName: string;
  currentCertificate: () => { id: string; certificate: string };
  replicaId: string;
  graph?: GraphClient;
}): Promise<SubscriptionPart> {
  const g = configSection<GraphSection>(input.config, 'graph');
  const notificationUrl =
    g.notificationUrl ??
    (g.tenantDomain
      ? buildEventHubNotificationUrl({
          namespace: input.eventHubsNamespace,
          hub: input.eventHubName,
          tenantId: g.tenantDomain,
        })
      : undefined);
  if (!notificationUrl) {
    throw new GraphDlpError(
      'GDLP_CONFIG_INVALID',
      'fatal',
      'GDLP_TENANT_DOMAIN (or GDLP_NOTIFICATION_URL) is required to build the Event Hubs notificationUrl of the subscriptions',
    );
  }
  const graph = input.graph ?? createGraphFromConfig(input.config);
  const container = input.storage.getContainerClient(g.controlContainer);
  await container.createIfNotExists();
  const manager = createSubscriptionManager({
    graph,
    container,
    clientStateSecrets: clientStateSecretsFromConfig(input.config, container),
    desired: {
      resources: g.subscriptionResources,
      paymentModel: g.paymentModel,
      notificationUrl,
      lifetimeMs: g.subscriptionLifetimeMs,
      includeResourceData: g.includeResourceData !== false,
    },
    currentCertificate: input.currentCertificate,
    replicaId: input.replicaId,
    expectedTenantId: g.tenantId,
    renewFraction: g.renewFraction,
    jitterFraction: g.renewJitterFraction,
    reconcileIntervalMs: g.reconcileIntervalMs,
    leaseMs: g.leaderLeaseMs,
    silenceWarnMs: g.silenceWarnMs,
    logger: input.logger.child({ component: 'subscriptions' }),
  });
  await manager.start();
  return {
    manager,
    graph,
    validator: {
      async validateItem(item) {
        const verdict = await manager.validateItem(item);
        if (verdict.ok) manager.recordNotification(item.subscriptionId);
        return verdict;
      },
    },
    lifecycle: { handleLifecycle: (item) => manager.handleLifecycle(item) },
    close: () => manager.close(),
  };
}
