import { readFileSync } from 'node:fs';
import { EventHubConsumerClient, earliestEventPosition } from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../../src/crypto/certificate.js';
import type { KeyMaterial, KeySource } from '../../src/crypto/key-source.js';
import { createKeyring, type Keyring } from '../../src/crypto/keyring.js';
import { decryptNotificationContent } from '../../src/crypto/notification-cipher.js';
import { createGraphClient, type GraphClient, LocalSimulatorCredential } from '../../src/graph/index.js';
import { type EventHubsEmulator, startEventHubsEmulator } from '../../src/local/eventhubs/index.js';
import { isLuhnValid } from '../../src/local/graph/content.js';
import { type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { buildEventHubNotificationUrl } from '../../src/subscriptions/desired.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/graph-eventhub-bodies/${name}`, import.meta.url), 'utf8'));
const vectorPlaintext = JSON.parse(
  readFileSync(
    new URL('../fixtures/graph-sdk-rich-notification-vector/expected_plaintext.json', import.meta.url),
    'utf8',
  ),
);
const keysOf = (o: object) => Object.keys(o).sort();

/** An in-memory key source: the keyring under test decrypts what the simulator encrypted. */
function memoryKeySource(): KeySource {
  const keys: KeyMaterial[] = [];
  const make = async (): Promise<KeyMaterial> => {
    const c = await createSelfSignedCertificate({ keyBits: 2048 });
    const m: KeyMaterial = {
      id: `mem-${keys.length + 1}`,
      certificateDer: c.certificateDer,
      thumbprint: c.thumbprint,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      privateKey: c.privateKey,
      location: 'memory',
    };
    keys.push(m);
    return m;
  };
  return {
    kind: 'folder',
    description: 'memory',
    async load() {
      return { keys: [...keys], currentId: keys.at(-1)?.id };
    },
    createCertificate: make,
  };
}

async function readEvents(
  connectionString: string,
  hub: string,
  count: number,
  timeoutMs = 30_000,
): Promise<string[]> {
  const client = new EventHubConsumerClient('$default', connectionString, hub);
  const bodies: string[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const sub = client.subscribe(
    {
      async processEvents(events) {
        for (const e of events)
          bodies.push(
            Buffer.isBuffer(e.body)
              ? e.body.toString('utf8')
              : typeof e.body === 'string'
                ? e.body
                : JSON.stringify(e.body),
          );
        if (bodies.length >= count) resolveDone();
      },
      async processError() {},
    },
    { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true },
  );
  const timer = setTimeout(resolveDone, timeoutMs);
  await done;
  clearTimeout(timer);
  await sub.close();
  await client.close();
  return bodies;
}

let emulator: EventHubsEmulator;
let sim: GraphSimulator;
let graph: GraphClient;
let keyring: Keyring;

beforeAll(async () => {
  emulator = await startEventHubsEmulator();
  sim = await startGraphSimulator({
    eventHubsConnectionString: emulator.connectionString,
    seed: 42,
    sensitiveShare: 0.5,
    editShare: 0.15,
    deleteShare: 0.05,
    duplicateShare: 0.1,
  });
  graph = createGraphClient({
    baseUrl: sim.url,
    credential: new LocalSimulatorCredential({ tenantId: sim.tenantId, clientId: 'test' }),
    retry: { baseDelayMs: 20 },
  });
  keyring = await createKeyring({
    source: memoryKeySource(),
    createIfMissing: true,
    watch: false,
    reloadIntervalMs: 0,
  });
}, 120_000);

afterAll(async () => {
  await keyring?.close();
  await sim?.stop();
  await emulator?.stop();
});

describe('Graph simulator publishing into the Event Hubs emulator', () => {
  it('writes the validation message, encrypted chatMessages that decrypt with the keyring, and lifecycle events, in the documented shapes', async () => {
    const current = keyring.current();
    const notificationUrl = buildEventHubNotificationUrl({
      namespace: 'graph-dlp-local.servicebus.windows.net',
      hub: 'notifications',
      tenantId: sim.tenantDomain,
    });
    const created = await graph.post<{ id: string; clientState: string }>('/subscriptions', {
      changeType: 'created,updated,deleted',
      notificationUrl,
      lifecycleNotificationUrl: notificationUrl,
      resource: '/chats/getAllMessages?model=A',
      includeResourceData: true,
      encryptionCertificate: current.certificate,
      encryptionCertificateId: current.id,
      expirationDateTime: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      clientState: 'sim-test-client-state',
    });
    await graph.post('/subscriptions', {
      changeType: 'created,updated,deleted',
      notificationUrl,
      lifecycleNotificationUrl: notificationUrl,
      resource: '/teams/getAllMessages?model=A',
      includeResourceData: true,
      encryptionCertificate: current.certificate,
      encryptionCertificateId: current.id,
      expirationDateTime: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      clientState: 'sim-test-client-state',
    });
    const changes = await sim.publish(40);
    await sim.sendLifecycle(created.id, 'reauthorizationRequired');
    const expected = sim.sentEvents(); // validation messages, notifications (duplicates included) and the lifecycle event
    const bodies = await readEvents(emulator.connectionString, 'notifications', expected);
    expect(bodies.length).toBe(expected);

    const parsed = bodies.map((b) => JSON.parse(b) as { value: Array<Record<string, unknown>> });
    const validation = parsed.filter((p) => p.value[0]?.subscriptionId === 'NA');
    const lifecycle = parsed.filter((p) => p.value[0]?.lifecycleEvent);
    const rich = parsed.filter((p) => p.value[0]?.encryptedContent);
    expect(validation).toHaveLength(2);
    expect(lifecycle).toHaveLength(1);
    expect(rich.length).toBe(parsed.length - 3);

    const validationFixture = fixture('eventhub_body_validation_message.json');
    expect(keysOf(validation[0]?.value[0] as object)).toEqual(keysOf(validationFixture.value[0]));
    expect(String(validation[0]?.value[0]?.changeType)).toMatch(
      /^Validation: Testing client application reachability for subscription Request-Id: [0-9a-f-]{36}$/,
    );
    expect(keysOf(lifecycle[0]?.value[0] as object)).toEqual(
      keysOf(fixture('lifecycle_reauthorizationRequired.json').value[0]),
    );

    const richFixture = fixture('eventhub_body_rich_chatmessage.json').value[0];
    const truth = sim.groundTruth();
    const seenPlanted = new Set<string>();
    for (const body of rich) {
      const item = body.value[0] as Record<string, unknown> & {
        encryptedContent: Record<string, string>;
        resource: string;
        resourceData: Record<string, string>;
      };
      expect(keysOf(item)).toEqual(keysOf(richFixture));
      expect(keysOf(item.encryptedContent)).toEqual(keysOf(richFixture.encryptedContent));
      expect(keysOf(item.resourceData)).toEqual(keysOf(richFixture.resourceData));
      expect(item.clientState).toBe('sim-test-client-state');
      expect(item.tenantId).toBe(sim.tenantId);
      expect(String(item.subscriptionExpirationDateTime)).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/,
      );
      const key = keyring.lookup(
        item.encryptedContent.encryptionCertificateId as string,
        item.encryptedContent.encryptionCertificateThumbprint,
      );
      const message = decryptNotificationContent(
        item.encryptedContent,
        key.privateKey as NonNullable<typeof key.privateKey>,
      ) as Record<string, unknown>;
      expect(keysOf(message)).toEqual(keysOf(vectorPlaintext));
      expect(message.id).toBe(item.resourceData.id);
      expect(item.resource).toBe(item.resourceData['@odata.id']);
      // Planted values of this version are really in the message (body, code, card or attachment name).
      const entry = truth.get(message.id as string);
      expect(entry).toBeDefined();
      const version = entry?.versions.find((v) => v.etag === message.etag);
      for (const p of version?.planted ?? []) {
        expect(JSON.stringify(message)).toContain(
          p.value.includes('&') ? p.value.replace(/&/g, '&amp;') : p.value,
        );
        seenPlanted.add(p.type);
        if (p.type === 'credit_card') expect(isLuhnValid(p.value)).toBe(true);
      }
    }
    expect(changes.some((c) => c.changeType === 'updated')).toBe(true);
    expect(seenPlanted.size).toBeGreaterThanOrEqual(3);
    // Channel posts, replies and chats all occur.
    expect(new Set([...truth.values()].map((t) => t.kind))).toEqual(
      new Set(['channel-post', 'channel-reply', 'chat']),
    );
  }, 120_000);

  it('serves the messages it published, accepts only policyViolation in a PATCH, and pages channel delta', async () => {
    const [first] = [...sim.groundTruth().values()].filter((t) => t.kind === 'channel-post');
    expect(first).toBeDefined();
    const m = /^teams\('([^']+)'\)\/channels\('([^']+)'\)\/messages\('([^']+)'\)$/.exec(
      first?.resource as string,
    ) as RegExpExecArray;
    const path = `/teams/${m[1]}/channels/${encodeURIComponent(m[2] as string)}/messages/${m[3]}`;
    const got = await graph.get<{ id: string }>(path);
    expect(got.id).toBe(m[3]);
    const pv = {
      dlpAction: 'blockAccess',
      verdictDetails: 'allowFalsePositiveOverride',
      policyTip: {
        generalText: 'Blocked',
        matchedConditionDescriptions: ['Credit Card Number'],
        complianceUrl: 'https://contoso.com/dlp',
      },
    };
    const patched = await graph.patch<{ policyViolation: unknown }>(path, { policyViolation: pv });
    expect(patched.policyViolation).toEqual(pv);
    await expect(graph.patch(path, { body: { content: 'x' } })).rejects.toMatchObject({
      code: 'GDLP_GRAPH_FORBIDDEN',
    });
    expect(sim.policyViolations()).toHaveLength(1);
    const delta = await graph.listAll<{ id: string }>(
      `/teams/${m[1]}/channels/${encodeURIComponent(m[2] as string)}/messages/delta?$top=2`,
    );
    expect(delta.map((d) => d.id)).toContain(m[3]);
  });

  it('chat delta pages with nextLink, ends with a deltaLink, and the deltaLink returns only later changes', async () => {
    const chat = [...sim.groundTruth().values()].find((t) => t.kind === 'chat' && !t.deleted) as {
      resource: string;
    };
    const [, chatId, messageId] = /^chats\('([^']+)'\)\/messages\('([^']+)'\)$/.exec(
      chat.resource,
    ) as RegExpExecArray;
    const message = await graph.get<{ from: { user: { id: string } } }>(
      `/chats/${encodeURIComponent(chatId as string)}/messages/${messageId}`,
    );
    const user = message.from.user.id;
    type Page = {
      value: Array<{ id: string; chatId: string }>;
      '@odata.nextLink'?: string;
      '@odata.deltaLink'?: string;
    };
    const drain = async (first: string) => {
      const ids: string[] = [];
      let page = await graph.get<Page>(first);
      let pages = 1;
      for (;;) {
        ids.push(...page.value.map((v) => v.id));
        if (!page['@odata.nextLink']) break;
        page = await graph.get<Page>(page['@odata.nextLink']);
        pages++;
      }
      return { ids, pages, deltaLink: page['@odata.deltaLink'] as string };
    };
    const initial = await drain(`/users/${user}/chats/getAllMessages/delta?$top=2`);
    expect(initial.ids).toContain(messageId);
    expect(initial.deltaLink).toContain('$deltatoken=');
    await new Promise((r) => setTimeout(r, 5));
    await sim.publish(30);
    const later = await drain(initial.deltaLink);
    expect(
      later.ids.every((id) => !initial.ids.includes(id) || sim.groundTruth().get(id)?.versions.length !== 1),
    ).toBe(true);
  });
});
