import { randomUUID } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { createSelfSignedCertificate } from '../../src/crypto/certificate.js';
import {
  createGraphClient,
  type GraphClient,
  LocalSimulatorCredential,
  type RetryEvent,
} from '../../src/graph/index.js';
import type { GraphSimulator } from '../../src/local/graph/index.js';
import { buildEventHubNotificationUrl } from '../../src/subscriptions/desired.js';
import {
  createSubscriptionManager,
  type SubscriptionManager,
  type SubscriptionManagerOptions,
} from '../../src/subscriptions/manager.js';

export interface TestCertificate {
  id: string;
  certificate: string;
  privateKeyPem: string;
}

export async function makeCertificate(id: string): Promise<TestCertificate> {
  const cert = await createSelfSignedCertificate({ keyBits: 2048, validityDays: 30 });
  return { id, certificate: cert.certificateDer.toString('base64'), privateKeyPem: cert.privateKeyPem };
}

export function graphClientFor(sim: GraphSimulator, retries: RetryEvent[] = []): GraphClient {
  return createGraphClient({
    baseUrl: sim.url,
    credential: new LocalSimulatorCredential({ tenantId: sim.tenantId, clientId: 'test-app' }),
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    onRetry: (e) => retries.push(e),
  });
}

export function notificationUrlFor(sim: GraphSimulator, hub = 'notifications'): string {
  return buildEventHubNotificationUrl({
    namespace: 'graph-dlp-local.servicebus.windows.net',
    hub,
    tenantId: sim.tenantDomain,
  });
}

export function freshContainer(storageConnectionString: string) {
  return BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(
    `ctl-${randomUUID().slice(0, 8)}`,
  );
}

export interface ManagerSetup {
  sim: GraphSimulator;
  storageConnectionString: string;
  certificate: () => TestCertificate;
  resources?: string[];
  container?: ReturnType<typeof freshContainer>;
  retries?: RetryEvent[];
  overrides?: Partial<SubscriptionManagerOptions>;
}

export function managerFor(setup: ManagerSetup): {
  manager: SubscriptionManager;
  container: ReturnType<typeof freshContainer>;
} {
  const container = setup.container ?? freshContainer(setup.storageConnectionString);
  const manager = createSubscriptionManager({
    graph: graphClientFor(setup.sim, setup.retries),
    container,
    desired: {
      resources: setup.resources ?? ['/teams/getAllMessages', '/chats/getAllMessages'],
      paymentModel: 'A',
      notificationUrl: notificationUrlFor(setup.sim),
      lifetimeMs: 4_200 * 60_000,
    },
    currentCertificate: () => {
      const c = setup.certificate();
      return { id: c.id, certificate: c.certificate };
    },
    replicaId: `replica-${randomUUID().slice(0, 4)}`,
    expectedTenantId: setup.sim.tenantId,
    leaseMs: 15_000,
    ...(setup.overrides ?? {}),
  });
  return { manager, container };
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
