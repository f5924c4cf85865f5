import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobDeadLetterStore } from '../../src/deadletter/store.js';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import { createSilentLogger } from '../../src/log.js';
import { composeWorker } from '../../src/worker/compose.js';
import {
  createTestDomain,
  createTestKeys,
  readFindings,
  richNotificationBody,
  sendBodies,
  tempDir,
  testSettings,
  waitFor,
} from './worker-helpers.js';

describe('worker end to end on the local stack', () => {
  let stack: LocalStack;
  const dir = tempDir('gdlp-e2e-flow-');
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
    dir.remove();
  });

  it('N notifications in → exactly the expected findings out once; tampered, forged and garbage events dead-lettered while partitions keep flowing', async () => {
    const keyring = await createTestKeys(`${dir.path}/keys`);
    const domain = await createTestDomain(keyring);
    const total = 40;
    const bodies: Array<string | Uint8Array> = [];
    const expectedMessages = new Set<string>();
    for (let i = 0; i < total; i++) {
      const sensitive = i % 2 === 0;
      if (sensitive) expectedMessages.add(`m${i}`);
      bodies.push(
        richNotificationBody(keyring, {
          id: `m${i}`,
          text: sensitive ? `pay with 4111111111111111 please (${i})` : `hello ${i}`,
        }),
      );
      if (i === 10) {
        const tampered = JSON.parse(
          richNotificationBody(keyring, { id: 'tampered', text: 'card 4111111111111111' }),
        );
        const enc = tampered.value[0].encryptedContent;
        enc.data = Buffer.from(
          Buffer.from(enc.data, 'base64').map((b: number, j: number) => (j === 5 ? b ^ 1 : b)),
        ).toString('base64');
        bodies.push(JSON.stringify(tampered));
      }
      if (i === 20)
        bodies.push(
          richNotificationBody(
            keyring,
            { id: 'forged', text: 'card 4111111111111111' },
            { clientState: 'attacker-guess' },
          ),
        );
      if (i === 30) bodies.push(new Uint8Array([0x7b, 0x7b, 0x00, 0xff]));
    }
    await sendBodies(stack.eventHubsConnectionString, 'notifications', bodies);

    const findingsFile = `${dir.path}/findings.jsonl`;
    const worker = await composeWorker(testSettings(stack, { findingsFile }), {
      logger: createSilentLogger(),
      domain,
      healthServer: false,
    });
    await worker.start();
    try {
      const findings = await waitFor('all findings', () => {
        const f = readFindings(findingsFile);
        return f.length >= expectedMessages.size ? f : undefined;
      });
      const dlq = new BlobDeadLetterStore(
        BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient(
          'deadletters',
        ),
      );
      const dead = await waitFor('3 dead letters', async () => {
        const l = await dlq.list();
        return l.length >= 3 ? l : undefined;
      });
      expect(new Set(findings.map((f) => f.messageId))).toEqual(expectedMessages);
      expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
      expect(findings.every((f) => f.type === 'credit_card')).toBe(true);
      expect(dead.map((d) => d.errorCode).sort()).toEqual([
        'GDLP_DECRYPT_SIGNATURE_MISMATCH',
        'GDLP_EVENT_NOT_UTF8',
        'GDLP_NOTIFICATION_CLIENT_STATE_MISMATCH',
      ]);
      const garbage = await dlq.get(dead.find((d) => d.errorCode === 'GDLP_EVENT_NOT_UTF8')!.name);
      expect([...garbage.rawBody]).toEqual([0x7b, 0x7b, 0x00, 0xff]);
      expect(garbage.partitionId).toMatch(/^\d+$/);
      expect(garbage.offset).not.toBe('');
    } finally {
      const stopped = await worker.stop();
      expect(stopped.drained).toBe(true);
    }
    // After the drain every partition's checkpoint is at its last event: a restart processes nothing again.
    const container = BlobServiceClient.fromConnectionString(
      stack.storageConnectionString,
    ).getContainerClient('checkpoints');
    const checkpoints: Record<string, string> = {};
    for await (const b of container.listBlobsFlat({ includeMetadata: true })) {
      if (b.name.includes('/checkpoint/'))
        checkpoints[b.name.split('/').pop()!] = b.metadata?.sequencenumber ?? '';
    }
    expect(Object.keys(checkpoints).length).toBeGreaterThan(0);
    expect(Object.values(checkpoints).every((s) => /^\d+$/.test(s))).toBe(true);
  });
});
