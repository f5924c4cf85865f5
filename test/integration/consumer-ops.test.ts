import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { createSilentLogger } from '../../src/log.js';
import { composeWorker } from '../../src/worker/compose.js';
import {
  createTestDomain,
  createTestKeys,
  readFindings,
  richNotificationBody,
  runCli,
  sendBodies,
  tempDir,
  testSettings,
  waitFor,
} from '../e2e/worker-helpers.js';

const cli = runCli;

describe('worker operations: health, metrics, reset safety', () => {
  let stack: LocalStack;
  const dir = tempDir('gdlp-ops-');
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    stack = await startLocalStack();
    const env = {
      EVENTHUB_CONNECTION_STRING: stack.eventHubsConnectionString,
      STORAGE_CONNECTION_STRING: stack.storageConnectionString,
      GDLP_OWNERSHIP_EXPIRY_MS: '4000',
      GDLP_LOAD_BALANCING_INTERVAL_MS: '1000',
    };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await stack?.stop();
    dir.remove();
  });

  it('serves /healthz, /readyz and Prometheus /metrics, refuses a reset while it owns partitions, and closes idempotently', async () => {
    const keyring = await createTestKeys(`${dir.path}/keys`);
    const findingsFile = `${dir.path}/findings.jsonl`;
    await sendBodies(stack.eventHubsConnectionString, 'notifications', [
      richNotificationBody(keyring, { id: 'o1', text: '4111111111111111' }),
      richNotificationBody(keyring, { id: 'o2', text: 'hello' }),
      '{"value":[{"subscriptionId":"NA","changeType":"Validation: Testing client application reachability for subscription Request-Id: 1"}]}',
    ]);
    const worker = await composeWorker(testSettings(stack, { findingsFile }), {
      logger: createSilentLogger(),
      domain: await createTestDomain(keyring),
    });
    expect(worker.state).toBe('created');
    await worker.start();
    expect(worker.state).toBe('running');
    const url = worker.healthUrl!;
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ready = await waitFor('ready with partitions', async () => {
        const r = await fetch(`${url}/readyz`);
        const body = (await r.json()) as { ownedPartitions: string[] };
        return r.status === 200 && body.ownedPartitions.length === 4 ? body : undefined;
      });
      expect(ready.ownedPartitions).toEqual(['0', '1', '2', '3']);
      await waitFor('finding', () => readFindings(findingsFile).length === 1);
      const metrics = await waitFor('metrics after processing', async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return /tdlp_validation_events_skipped_total 1/.test(text) ? text : undefined;
      });
      for (const name of [
        'messaging_client_consumed_messages_total',
        'messaging_process_duration_seconds_bucket',
        'tdlp_notifications_total',
        'tdlp_findings_total{type="credit_card",severity="high"} 1',
        'tdlp_partition_lag_events',
        'tdlp_partitions_owned 4',
        'tdlp_subscription_seconds_to_expiry',
        'tdlp_enqueue_to_process_seconds_bucket',
      ]) {
        expect(metrics, name).toContain(name);
      }
      const refused = await cli(['checkpoints', 'reset', '--to-earliest', '--execute']);
      expect(refused.code).toBe(4);
      expect(refused.err).toMatch(/refusing to reset: live consumers own partition/);
      const forced = await cli([
        'checkpoints',
        'reset',
        '--to-latest',
        '--execute',
        '--force',
        '--partition',
        '0',
      ]);
      expect(forced.code, forced.err).toBe(0);
    } finally {
      const [a, b] = await Promise.all([worker.stop(), worker.stop()]);
      expect(a).toBe(b);
    }
    expect(worker.state).toBe('stopped');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('does not write a checkpoint for a partition whose ownership blob names another replica (stale-owner fence)', async () => {
    const keyring = await createTestKeys(`${dir.path}/keys-fence`);
    const findingsFile = `${dir.path}/fence.jsonl`;
    const settings = testSettings(stack, {
      findingsFile,
      consumerGroup: '$default',
      loadBalancingIntervalMs: 60_000,
      ownershipExpiryMs: 180_000,
      checkpointEveryEvents: 1,
      checkpointEveryMs: 0,
    });
    const worker = await composeWorker(
      { ...settings, replicaId: 'fenced-replica' },
      { logger: createSilentLogger(), domain: await createTestDomain(keyring), healthServer: false },
    );
    await worker.start();
    try {
      await waitFor('owns all partitions', () => worker.consumer.ownedPartitions.length === 4);
      const store = new BlobCheckpointStore(
        BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient(
          'checkpoints',
        ),
      );
      const client = new EventHubConsumerClient('$default', stack.eventHubsConnectionString, 'notifications');
      const fqns = client.fullyQualifiedNamespace;
      const p0 = await client.getPartitionProperties('0');
      await client.close();
      // Starting from earliest, the worker first replays what the earlier test sent: let its checkpoint for
      // partition 0 land before the intruder claims it, or that write (fence passed, blob not yet written)
      // races the reading of `before` below.
      if (!p0.isEmpty) {
        await waitFor('earlier events on partition 0 checkpointed', async () => {
          const cps = await store.listCheckpoints(fqns, 'notifications', '$default');
          return cps.find((c) => c.partitionId === '0')?.sequenceNumber === p0.lastEnqueuedSequenceNumber;
        });
      }
      // Another replica claims partition 0 behind our back (we will not notice for a whole balancing cycle).
      const own = (await store.listOwnership(fqns, 'notifications', '$default')).find(
        (o) => o.partitionId === '0',
      )!;
      await store.claimOwnership([{ ...own, ownerId: 'intruder' }]);
      const before = (await store.listCheckpoints(fqns, 'notifications', '$default')).find(
        (c) => c.partitionId === '0',
      )?.sequenceNumber;
      await sendBodies(stack.eventHubsConnectionString, 'notifications', [
        richNotificationBody(keyring, { id: 'f0', text: '4111111111111111' }),
        richNotificationBody(keyring, { id: 'f1', text: '4111111111111111' }),
        richNotificationBody(keyring, { id: 'f2', text: '4111111111111111' }),
        richNotificationBody(keyring, { id: 'f3', text: '4111111111111111' }),
      ]);
      await waitFor('all four processed', () => readFindings(findingsFile).length === 4);
      const fenced = await waitFor('fenced checkpoint attempt', async () => {
        const m = await worker.metrics.ownershipChanges.get();
        return m.values.find((v) => v.labels.reason === 'fenced')?.value;
      });
      expect(fenced).toBeGreaterThan(0);
      const checkpoints = await store.listCheckpoints(fqns, 'notifications', '$default');
      expect(checkpoints.find((c) => c.partitionId === '0')?.sequenceNumber).toBe(before);
      await waitFor('other partitions checkpointed', async () => {
        const cps = await store.listCheckpoints(fqns, 'notifications', '$default');
        return ['1', '2', '3'].every((p) => cps.some((c) => c.partitionId === p));
      });
    } finally {
      await worker.stop();
    }
  });
});
