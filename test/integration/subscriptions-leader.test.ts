import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzuriteInstance, startAzurite } from '../../src/local/azurite/index.js';
import { createMemorySink, type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { REGISTRY_BLOB } from '../../src/subscriptions/store.js';
import {
  freshContainer,
  makeCertificate,
  managerFor,
  type TestCertificate,
  waitFor,
} from './subscriptions-helpers.js';

const LEASE_MS = 15_000; // Azure's (and Azurite's) minimum lease duration

let azurite: AzuriteInstance;
let sim: GraphSimulator;
let cert: TestCertificate;

beforeAll(async () => {
  [azurite, sim, cert] = await Promise.all([
    startAzurite(),
    startGraphSimulator({ sink: createMemorySink() }),
    makeCertificate('cert-1'),
  ]);
});
afterAll(async () => {
  await sim?.stop();
  await azurite?.stop();
});

describe('two replicas share one subscription leader (blob lease)', () => {
  it('exactly one reconciles; when its lease is lost it stops acting within one lease period and the other takes over', async () => {
    const container = freshContainer(azurite.connectionString);
    const common = {
      sim,
      storageConnectionString: azurite.connectionString,
      certificate: () => cert,
      container,
    };
    const a = managerFor({
      ...common,
      overrides: { leaseMs: LEASE_MS, reconcileIntervalMs: 1_000, registryRefreshMs: 1_000 },
    }).manager;
    const b = managerFor({
      ...common,
      overrides: { leaseMs: LEASE_MS, reconcileIntervalMs: 1_000, registryRefreshMs: 1_000 },
    }).manager;
    try {
      await Promise.all([a.start(), b.start()]);
      await waitFor(() => a.isLeader() || b.isLeader(), 30_000, 'a leader');
      await waitFor(
        () => sim.subscriptions().length === 2,
        30_000,
        'the leader to create both subscriptions',
      );
      // Several reconcile ticks pass; still exactly one leader and exactly one create per subscription.
      await waitFor(
        () =>
          sim.requests().filter((r) => r.method === 'GET' && r.path === '/v1.0/subscriptions').length >= 4,
        30_000,
        'more reconcile passes',
      );
      expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
      expect(
        sim.requests().filter((r) => r.method === 'POST' && r.path === '/v1.0/subscriptions'),
      ).toHaveLength(2);
      const [leader, follower] = a.isLeader() ? [a, b] : [b, a];

      // The follower learns the registry from the blob and validates items too.
      const s = sim.subscriptions()[0];
      await waitFor(
        async () =>
          (
            await follower.validateItem({
              subscriptionId: s?.id as string,
              clientState: s?.clientState,
              tenantId: sim.tenantId,
            })
          ).ok,
        30_000,
        'the follower to validate',
      );

      // Someone breaks the lease (as Azure does when it expires under a stalled renewer).
      await container.getBlobClient(REGISTRY_BLOB).getBlobLeaseClient().breakLease(0);
      // The bound: the old leader must stop acting within one lease period of the loss.
      await waitFor(() => !leader.isLeader(), LEASE_MS, 'the old leader to stop acting');
      const report = await leader.reconcileNow();
      expect(report.leader).toBe(false);

      await waitFor(() => a.isLeader() || b.isLeader(), 3 * LEASE_MS, 'a new leader');
      expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
      // Nothing was created twice across the hand-over.
      expect(sim.subscriptions()).toHaveLength(2);
      expect(
        sim.requests().filter((r) => r.method === 'POST' && r.path === '/v1.0/subscriptions'),
      ).toHaveLength(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 120_000);
});
