/**
 * Shared setup for the worker's end-to-end tests: the real local stack (our Event Hubs emulator + Azurite),
 * real keys and the real decrypt pool, notifications encrypted exactly as Graph does, sent with the real
 * EventHubProducerClient.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventHubProducerClient } from '@azure/event-hubs';
import {
  createDecryptPool,
  createFolderKeySource,
  createKeyring,
  createNotificationDecryptor,
  encryptNotificationContent,
  type Keyring,
} from '../../src/crypto/index.js';
import type { Logger } from '../../src/log.js';
import { adaptCryptoDecryptor, createRegistryValidator } from '../../src/worker/adapters.js';
import type { DomainParts, WorkerSettings } from '../../src/worker/compose.js';
import type { Finding, MessageScanner } from '../../src/worker/ports.js';

export const SUBSCRIPTION_ID = '6f1c2a8e-0000-4000-8000-000000000001';
export const CLIENT_STATE = 'planted-client-state-S3cr3t!';
export const TENANT_ID = '8afd02d6-ebdd-4270-a515-c749898ea5c5';

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function createTestKeys(folder: string): Promise<Keyring> {
  return createKeyring({
    source: createFolderKeySource({ folder }),
    createIfMissing: true,
    watch: false,
    reloadIntervalMs: 0,
  });
}

/**
 * Stand-in scanner for worker tests: one rule, a 16-digit card-like number, masked evidence. The DLP
 * engine has its own tests; these tests are about delivery (exactly once, dead letters, replay).
 */
export const cardScanner: MessageScanner = {
  scanMessage(message) {
    const text = String((message.body as { content?: string } | undefined)?.content ?? '');
    const matches = text.match(/\b4\d{15}\b/g) ?? [];
    return matches.length === 0
      ? []
      : [
          {
            ruleId: 'test-card',
            type: 'credit_card',
            severity: 'high',
            count: matches.length,
            evidence: matches.map((m) => `${m.slice(0, 4)}********${m.slice(-4)}`),
            actions: ['alert'],
          },
        ];
  },
};

export async function createTestDomain(
  keyring: Keyring,
  scanner: MessageScanner = cardScanner,
): Promise<DomainParts> {
  const pool = createDecryptPool({ size: 2 });
  const decryptor = adaptCryptoDecryptor(createNotificationDecryptor({ keyring, pool }));
  return {
    decryptor,
    scanner,
    validator: createRegistryValidator((id) =>
      id === SUBSCRIPTION_ID ? { clientState: CLIENT_STATE, tenantId: TENANT_ID } : undefined,
    ),
    lifecycle: { handleLifecycle: async () => {} },
    close: async () => {
      await pool.close();
      await keyring.close();
    },
  };
}

export interface TestMessage {
  id: string;
  text: string;
  chatId?: string;
}

export function chatMessage(m: TestMessage): Record<string, unknown> {
  const now = '2026-11-23T05:00:00.000Z';
  return {
    '@odata.context': "https://graph.microsoft.com/$metadata#chats('x')/messages/$entity",
    id: m.id,
    replyToId: null,
    etag: m.id,
    messageType: 'message',
    createdDateTime: now,
    lastModifiedDateTime: now,
    chatId: m.chatId ?? '19:test-chat@unq.gbl.spaces',
    from: { user: { id: 'user-1', displayName: 'Test User', userIdentityType: 'aadUser' } },
    body: { contentType: 'text', content: m.text },
    attachments: [],
    mentions: [],
  };
}

export function richNotificationBody(
  keyring: Keyring,
  m: TestMessage,
  overrides: Record<string, unknown> = {},
): string {
  const cert = keyring.current();
  const message = chatMessage(m);
  return JSON.stringify({
    value: [
      {
        subscriptionId: SUBSCRIPTION_ID,
        changeType: 'created',
        clientState: CLIENT_STATE,
        subscriptionExpirationDateTime: '2026-11-24T05:00:00.0000000+00:00',
        resource: `chats('${message.chatId}')/messages('${m.id}')`,
        resourceData: {
          id: m.id,
          '@odata.type': '#Microsoft.Graph.chatMessage',
          '@odata.id': `chats('${message.chatId}')/messages('${m.id}')`,
        },
        encryptedContent: encryptNotificationContent(message, { id: cert.id, certificate: cert.certificate }),
        tenantId: TENANT_ID,
        ...overrides,
      },
    ],
  });
}

/** Sends bodies as raw bytes (like Graph: UTF-8 JSON), spread round-robin over every partition. */
export async function sendBodies(
  connectionString: string,
  hub: string,
  bodies: Array<string | Uint8Array>,
): Promise<void> {
  const producer = new EventHubProducerClient(connectionString, hub);
  try {
    const partitionIds = await producer.getPartitionIds();
    for (const [p, partitionId] of partitionIds.entries()) {
      const mine = bodies.filter((_, i) => i % partitionIds.length === p);
      let batch = await producer.createBatch({ partitionId });
      for (const b of mine) {
        const event = { body: typeof b === 'string' ? new TextEncoder().encode(b) : b };
        if (!batch.tryAdd(event)) {
          await producer.sendBatch(batch);
          batch = await producer.createBatch({ partitionId });
          batch.tryAdd(event);
        }
      }
      if (batch.count > 0) await producer.sendBatch(batch);
    }
  } finally {
    await producer.close();
  }
}

export function testSettings(
  stack: { eventHubsConnectionString: string; storageConnectionString: string },
  overrides: Partial<WorkerSettings['consumer']> & {
    findingsFile: string;
    consumerGroup?: string;
    sinks?: string[];
  },
): WorkerSettings {
  return {
    mode: 'local',
    eventHubs: {
      connectionString: stack.eventHubsConnectionString,
      name: 'notifications',
      consumerGroup: overrides.consumerGroup ?? 'graph-dlp',
      findingsName: 'findings',
    },
    storage: {
      connectionString: stack.storageConnectionString,
      checkpointContainer: 'checkpoints',
      deadLetterContainer: 'deadletters',
      findingsContainer: 'findings',
    },
    consumer: {
      startPosition: 'earliest',
      maxBatchSize: 50,
      maxWaitTimeMs: 500,
      prefetchCount: 300,
      maxBatchesInFlight: 2,
      checkpointEveryEvents: 10,
      checkpointEveryMs: 500,
      loadBalancingIntervalMs: 1000,
      ownershipExpiryMs: 4000,
      loadBalancingStrategy: 'greedy',
      ...overrides,
    },
    sinks: {
      enabled: overrides.sinks ?? ['file'],
      file: overrides.findingsFile,
      webhookTimeoutMs: 5000,
      retryBaseMs: 20,
      retryMaxMs: 200,
      bestEffortAttempts: 3,
    },
    worker: { healthPort: 0, healthHost: '127.0.0.1', shutdownDeadlineMs: 20_000, tracing: false },
  };
}

/** A finding as the pipeline emits it, for sink tests (a card finding on message `m-<id>`). */
export function sampleFinding(id: string, extra: Partial<Finding> = {}): Finding {
  return {
    id,
    type: 'credit_card',
    ruleId: 'pci:credit_card',
    severity: 'high',
    count: 1,
    evidence: ['4111********1111'],
    actions: ['report'],
    tenantId: 't',
    subscriptionId: 's',
    changeType: 'created',
    messageId: `m-${id}`,
    messageVersion: '1',
    chatId: '19:chat',
    lastModifiedDateTime: '2026-11-23T05:10:00.000Z',
    partitionId: '0',
    sequenceNumber: 1,
    detectedAt: '2026-11-23T05:10:00.000Z',
    ...extra,
  };
}

export function readFindings(path: string): Array<{ id: string; type: string; messageId: string }> {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  // The worker may be appending while we read: a line is complete only once its newline is there, so a trailing
  // fragment (seen once in CI as "Unterminated string in JSON") waits for the next read, as a tailing reader does.
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export type { Logger };

export interface ChildWorker {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  healthUrl: Promise<string>;
}

const childScript = fileURLToPath(new URL('../fixtures/worker/child-worker.ts', import.meta.url));

export function spawnChildWorker(
  settings: WorkerSettings,
  keysFolder: string,
  logLevel = 'info',
): ChildWorker {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', childScript, JSON.stringify({ settings, keysFolder, logLevel })],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  let resolveUrl!: (u: string) => void;
  const healthUrl = new Promise<string>((r) => {
    resolveUrl = r;
  });
  child.stderr!.on('data', (d) => {
    err += d;
    const m = /READY (\S+)/.exec(err);
    if (m) resolveUrl(m[1]!);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited, healthUrl };
}

export async function killQuietly(w: ChildWorker | undefined): Promise<void> {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGKILL');
  await w.exited;
}

/** Runs a `graph-dlp` command in this process with captured output (the CLI's own `main`, real arguments). */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { PassThrough } = await import('node:stream');
  const { main } = await import('../../src/cli/main.js');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  const code = await main(args, { stdout, stderr, stdin: new PassThrough() });
  return { code, out, err };
}
