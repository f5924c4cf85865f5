import { EventHubConsumerClient, earliestEventPosition, type Subscription } from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../../src/crypto/certificate.js';
import type { KeyMaterial, KeySource } from '../../src/crypto/key-source.js';
import { createKeyring, type Keyring } from '../../src/crypto/keyring.js';
import { decryptNotificationContent } from '../../src/crypto/notification-cipher.js';
import { type AzuriteInstance, startAzurite } from '../../src/local/azurite/index.js';
import { type EventHubsEmulator, startEventHubsEmulator } from '../../src/local/eventhubs/index.js';
import { type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { isValidationMessage, type SubscriptionManager } from '../../src/subscriptions/manager.js';
import { managerFor, waitFor } from './subscriptions-helpers.js';

type Item = Record<string, unknown> & {
  subscriptionId: string;
  clientState?: string;
  tenantId?: string;
  lifecycleEvent?: string;
  encryptedContent?: Record<string, string>;
};

function memoryKeySource(): KeySource {
  const keys: KeyMaterial[] = [];
  return {
    kind: 'folder',
    description: 'memory',
    async load() {
      return { keys: [...keys], currentId: keys.at(-1)?.id };
    },
    async createCertificate() {
      const c = await createSelfSignedCertificate({ keyBits: 2048 });
      const m: KeyMaterial = {
        id: `key-${keys.length + 1}`,
        certificateDer: c.certificateDer,
        thumbprint: c.thumbprint,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        privateKey: c.privateKey,
        location: 'memory',
      };
      keys.push(m);
      return m;
    },
  };
}

let azurite: AzuriteInstance;
let emulator: EventHubsEmulator;
let sim: GraphSimulator;
let keyring: Keyring;
let manager: SubscriptionManager;
let consumer: EventHubConsumerClient;
let subscription: Subscription;
const items: Item[] = [];

beforeAll(async () => {
  [azurite, emulator] = await Promise.all([startAzurite(), startEventHubsEmulator()]);
  sim = await startGraphSimulator({
    eventHubsConnectionString: emulator.connectionString,
    seed: 5,
    sensitiveShare: 0.4,
  });
  keyring = await createKeyring({
    source: memoryKeySource(),
    createIfMissing: true,
    watch: false,
    reloadIntervalMs: 0,
  });
  manager = managerFor({
    sim,
    storageConnectionString: azurite.connectionString,
    certificate: () => ({ ...keyring.current(), privateKeyPem: '' }),
  }).manager;
  consumer = new EventHubConsumerClient('$default', emulator.connectionString, 'notifications');
  subscription = consumer.subscribe(
    {
      async processEvents(events) {
        for (const e of events) {
          const text = Buffer.isBuffer(e.body) ? e.body.toString('utf8') : String(e.body);
          items.push(...(JSON.parse(text) as { value: Item[] }).value);
        }
      },
      async processError() {},
    },
    { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true },
  );
}, 120_000);

afterAll(async () => {
  await subscription?.close();
  await consumer?.close();
  await manager?.close();
  await keyring?.close();
  await sim?.stop();
  await emulator?.stop();
  await azurite?.stop();
});

describe('subscriptions end to end: manager → Graph simulator → Event Hubs emulator → validate + decrypt', () => {
  it('every notification validates against the registry and decrypts with the keyring, across a rotation and a removal', async () => {
    const created = await manager.syncOnce();
    expect(created.created).toHaveLength(2);
    await sim.publish(30);
    await waitFor(() => items.length >= sim.sentEvents(), 60_000, 'the first notifications');
    expect(items.filter(isValidationMessage)).toHaveLength(2);

    const check = async (subset: Item[]) => {
      for (const item of subset.filter((i) => !isValidationMessage(i) && !i.lifecycleEvent)) {
        expect(await manager.validateItem(item)).toEqual({ ok: true });
        const content = item.encryptedContent as Record<string, string>;
        const key = await keyring.resolve(
          content.encryptionCertificateId as string,
          content.encryptionCertificateThumbprint,
        );
        const message = decryptNotificationContent(
          content,
          key.privateKey as NonNullable<typeof key.privateKey>,
        ) as { id: string; etag: string };
        const version = sim
          .groundTruth()
          .get(message.id)
          ?.versions.find((v) => v.etag === message.etag);
        expect(version).toBeDefined();
        for (const p of version?.planted ?? []) expect(JSON.stringify(message)).toContain(p.value);
      }
    };
    await check(items);
    const firstKey = keyring.current().id;
    expect(
      new Set(
        items.filter((i) => i.encryptedContent).map((i) => i.encryptedContent?.encryptionCertificateId),
      ),
    ).toEqual(new Set([firstKey]));

    // Rotation: the manager moves the subscriptions; the simulator then encrypts with the new certificate.
    await keyring.rotate({ keyBits: 2048 });
    const rotated = await manager.syncOnce();
    expect(rotated.renewed.map((r) => r.reason)).toEqual(['certificate-rotation', 'certificate-rotation']);
    const seen = items.length;
    await sim.publish(10);
    await waitFor(() => items.length >= sim.sentEvents(), 60_000, 'notifications after the rotation');
    const afterRotation = items.slice(seen);
    expect(
      new Set(
        afterRotation
          .filter((i) => i.encryptedContent)
          .map((i) => i.encryptedContent?.encryptionCertificateId),
      ),
    ).toEqual(new Set([keyring.current().id]));
    await check(afterRotation);

    // Graph removes a subscription and says so through the hub; the consumer hands it over; the leader recreates.
    const victim = sim.subscriptions()[0];
    await sim.removeSubscription(victim?.id as string, { notify: true });
    await waitFor(
      () => items.some((i) => i.lifecycleEvent === 'subscriptionRemoved'),
      60_000,
      'the subscriptionRemoved event',
    );
    const removed = items.find((i) => i.lifecycleEvent === 'subscriptionRemoved') as Item;
    expect(await manager.validateItem(removed)).toEqual({ ok: true });
    await manager.handleLifecycle(removed);
    const healed = await manager.syncOnce();
    expect(healed.recreated).toHaveLength(1);
    expect(healed.gaps.map((g) => g.reason)).toEqual(['subscriptionRemoved']);
    expect(sim.subscriptions()).toHaveLength(2);
  }, 180_000);
});
