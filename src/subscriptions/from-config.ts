/**
 * Composition from the loaded configuration: the Graph client, the control container, the notificationUrl and the
 * subscription manager. The worker, the CLI and the local stack go through here.
 */
import { hostname } from 'node:os';
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { Registry as MetricsRegistry } from 'prom-client';
import { type ConfigTree, configSection } from '../config/index.js';
import { createLocalVaultCredential, isLoopbackVaultUrl } from '../crypto/sources/keyvault.js';
import { GraphDlpError } from '../errors.js';
import { createGraphClient, type GraphClient, type RetryEvent } from '../graph/client.js';
import { createGraphCredential, isLoopbackUrl } from '../graph/credential.js';
import type { Logger } from '../log.js';
import {
  type ClientStateSecrets,
  createBlobClientStateSecrets,
  createKeyVaultClientStateSecrets,
} from './client-state-secrets.js';
import { buildEventHubNotificationUrl, type DesiredSettings } from './desired.js';
import { createSubscriptionManager, type SubscriptionManager } from './manager.js';

export interface GraphConfig {
  baseUrl: string;
  tenantId?: string;
  tenantDomain?: string;
  clientId?: string;
  clientSecret?: string;
  subscriptionResources: string[];
  /** Absent in hand-built configs: then true. */
  includeResourceData?: boolean;
  /** Absent in hand-built configs: then blob. */
  clientStateStore?: 'blob' | 'keyvault';
  clientStateVaultUrl?: string;
  clientStateSecretName?: string;
  paymentModel: 'A' | 'B' | 'none';
  subscriptionLifetimeMs: number;
  renewFraction: number;
  renewJitterFraction: number;
  reconcileIntervalMs: number;
  silenceWarnMs: number;
  controlContainer: string;
  leaderLeaseMs: number;
  notificationUrl?: string;
}

/** Label used as the namespace of the local emulator in Event Hubs URLs (the simulator maps any namespace to it). */
export const LOCAL_NAMESPACE_LABEL = 'graph-dlp-local.servicebus.windows.net';
/** The Graph simulator's default tenant domain, used locally when GDLP_TENANT_DOMAIN is unset. */
export const LOCAL_TENANT_DOMAIN = 'contoso.onmicrosoft.com';

export function graphConfigOf(config: ConfigTree): GraphConfig {
  return configSection<GraphConfig>(config, 'graph');
}

export function graphClientFromConfig(
  config: ConfigTree,
  options: { onRetry?: (e: RetryEvent) => void } = {},
): GraphClient {
  const g = graphConfigOf(config);
  return createGraphClient({
    baseUrl: g.baseUrl,
    credential: createGraphCredential({
      baseUrl: g.baseUrl,
      ...(g.tenantId ? { tenantId: g.tenantId } : {}),
      ...(g.clientId ? { clientId: g.clientId } : {}),
      ...(g.clientSecret ? { clientSecret: g.clientSecret } : {}),
    }),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
}

/** The Event Hubs namespace host: EVENTHUB_NAMESPACE, or the connection string's Endpoint (loopback → a label). */
export function eventHubNamespaceOf(config: ConfigTree): string | undefined {
  const eh = configSection<{ namespace?: string; connectionString?: string }>(config, 'eventHubs');
  if (eh.namespace) return eh.namespace.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  const endpoint = /Endpoint=sb:\/\/([^/;]+)/i.exec(eh.connectionString ?? '')?.[1];
  if (!endpoint) return undefined;
  const host = endpoint.split(':')[0] ?? endpoint;
  return host === '127.0.0.1' || host === 'localhost' ? LOCAL_NAMESPACE_LABEL : endpoint;
}

export function notificationUrlFromConfig(config: ConfigTree): string {
  const g = graphConfigOf(config);
  if (g.notificationUrl) return g.notificationUrl;
  const namespace = eventHubNamespaceOf(config);
  const hub = configSection<{ name?: string }>(config, 'eventHubs').name ?? 'notifications';
  const tenant = g.tenantDomain ?? (isLoopbackUrl(g.baseUrl) ? LOCAL_TENANT_DOMAIN : undefined);
  const missing = [
    !namespace && 'EVENTHUB_NAMESPACE (or EVENTHUB_CONNECTION_STRING)',
    !tenant && 'GDLP_TENANT_DOMAIN',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new GraphDlpError(
      'GDLP_SUBSCRIPTIONS_NOTIFICATION_URL',
      'fatal',
      `Cannot build the Event Hubs notificationUrl: set ${missing.join(' and ')} (or GDLP_NOTIFICATION_URL).`,
    );
  }
  return buildEventHubNotificationUrl({ namespace: namespace as string, hub, tenantId: tenant as string });
}

export function desiredSettingsFromConfig(config: ConfigTree): Omit<DesiredSettings, 'certificateId'> {
  const g = graphConfigOf(config);
  return {
    resources: g.subscriptionResources,
    paymentModel: g.paymentModel,
    notificationUrl: notificationUrlFromConfig(config),
    lifetimeMs: g.subscriptionLifetimeMs,
    includeResourceData: g.includeResourceData !== false,
  };
}

/** The control container on the checkpoint storage account (connection string locally, managed identity on Azure). */
export function controlContainerFromConfig(config: ConfigTree): ContainerClient {
  const s = configSection<{ connectionString?: string; accountUrl?: string }>(config, 'storage');
  const name = graphConfigOf(config).controlContainer;
  if (s.connectionString)
    return BlobServiceClient.fromConnectionString(s.connectionString).getContainerClient(name);
  if (s.accountUrl)
    return new BlobServiceClient(s.accountUrl, new DefaultAzureCredential()).getContainerClient(name);
  throw new GraphDlpError(
    'GDLP_SUBSCRIPTIONS_NO_STORAGE',
    'fatal',
    'The subscription registry needs STORAGE_CONNECTION_STRING or STORAGE_ACCOUNT_URL (the checkpoint storage account).',
  );
}

export function createSubscriptionManagerFromConfig(
  config: ConfigTree,
  deps: {
    currentCertificate: () => { id: string; certificate: string };
    logger?: Logger;
    metrics?: MetricsRegistry;
    graph?: GraphClient;
  },
): SubscriptionManager {
  const g = graphConfigOf(config);
  const replicaId = configSection<string | undefined>(config, 'replicaId') || `${hostname()}-${process.pid}`;
  const container = controlContainerFromConfig(config);
  return createSubscriptionManager({
    graph:
      deps.graph ??
      graphClientFromConfig(config, {
        onRetry: (e) =>
          deps.logger?.warn(
            { status: e.status, attempt: e.attempt, delayMs: e.delayMs, path: e.path },
            'graph: retrying after throttling or unavailability',
          ),
      }),
    container,
    clientStateSecrets: clientStateSecretsFromConfig(config, container),
    desired: desiredSettingsFromConfig(config),
    currentCertificate: deps.currentCertificate,
    replicaId: typeof replicaId === 'string' ? replicaId : `${hostname()}-${process.pid}`,
    ...(g.tenantId ? { expectedTenantId: g.tenantId } : {}),
    renewFraction: g.renewFraction,
    jitterFraction: g.renewJitterFraction,
    reconcileIntervalMs: g.reconcileIntervalMs,
    leaseMs: g.leaderLeaseMs,
    silenceWarnMs: g.silenceWarnMs,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}

/**
 * Where the clientState secrets live, from config: the control container's blob (default) or a Key Vault
 * secret (managed identity on Azure; the stand-in's fixed token on a loopback URL).
 */
export function clientStateSecretsFromConfig(
  config: ConfigTree,
  container: ContainerClient,
  credential?: TokenCredential,
): ClientStateSecrets {
  const g = graphConfigOf(config);
  if (g.clientStateStore !== 'keyvault') return createBlobClientStateSecrets(container);
  const vaultUrl =
    g.clientStateVaultUrl ?? configSection<{ keyVaultUrl?: string }>(config, 'keys').keyVaultUrl ?? '';
  return createKeyVaultClientStateSecrets({
    vaultUrl,
    ...(g.clientStateSecretName ? { secretName: g.clientStateSecretName } : {}),
    credential:
      credential ??
      (isLoopbackVaultUrl(vaultUrl) ? createLocalVaultCredential() : new DefaultAzureCredential()),
  });
}
