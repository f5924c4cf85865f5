import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { policyViolationFor, wantsWriteBack, writeBackPath } from '../../src/sinks/graph-writeback-sink.js';
import {
  adaptCryptoDecryptor,
  adaptDlpEngine,
  constantTimeEquals,
  createRegistryValidator,
} from '../../src/worker/adapters.js';
import { parseStartPosition, workerSettingsFrom } from '../../src/worker/compose.js';
import type { Finding } from '../../src/worker/ports.js';

describe('registry validator', () => {
  const v = createRegistryValidator((id) =>
    id === 's1' ? { clientState: 'secret', tenantId: 'T-1' } : undefined,
  );
  it('accepts a known subscription with the right clientState and tenant', () => {
    expect(v.validateItem({ subscriptionId: 's1', clientState: 'secret', tenantId: 't-1' })).toEqual({
      ok: true,
    });
  });
  it('rejects unknown subscriptions, forged clientState and foreign tenants with distinct codes', () => {
    expect(v.validateItem({ subscriptionId: 's2', clientState: 'secret', tenantId: 'T-1' })).toMatchObject({
      ok: false,
      code: 'GDLP_NOTIFICATION_UNKNOWN_SUBSCRIPTION',
    });
    expect(v.validateItem({ subscriptionId: 's1', clientState: 'secreT', tenantId: 'T-1' })).toMatchObject({
      ok: false,
      code: 'GDLP_NOTIFICATION_CLIENT_STATE_MISMATCH',
    });
    expect(v.validateItem({ subscriptionId: 's1', tenantId: 'T-1' })).toMatchObject({
      ok: false,
      code: 'GDLP_NOTIFICATION_CLIENT_STATE_MISMATCH',
    });
    expect(v.validateItem({ subscriptionId: 's1', clientState: 'secret', tenantId: 'T-2' })).toMatchObject({
      ok: false,
      code: 'GDLP_NOTIFICATION_TENANT_MISMATCH',
    });
  });
  it('compares in constant time over equal-length digests', () => {
    expect(constantTimeEquals('a', 'a')).toBe(true);
    expect(constantTimeEquals('a', 'ab')).toBe(false);
  });
});

describe('crypto adapter', () => {
  it('maps poison failures to per-item reasons and throws on a transient one so the batch is retried', async () => {
    const d = adaptCryptoDecryptor({
      decryptBatch: async () => [
        { ok: true, value: { id: '1' } },
        { ok: false, error: { code: 'GDLP_DECRYPT_SIGNATURE_MISMATCH', kind: 'poison', message: 'bad' } },
        { ok: true, value: 'not an object' },
      ],
    });
    expect(await d.decryptBatch([])).toEqual([
      { ok: true, resource: { id: '1' } },
      { ok: false, code: 'GDLP_DECRYPT_SIGNATURE_MISMATCH', reason: 'bad' },
      { ok: false, code: 'GDLP_DECRYPT_NOT_A_RESOURCE', reason: 'decrypted content is not a JSON object' },
    ]);
    const flaky = adaptCryptoDecryptor({
      decryptBatch: async () => [
        { ok: false, error: { code: 'GDLP_DECRYPT_POOL_WORKER_FAILED', kind: 'transient', message: 'x' } },
      ],
    });
    await expect(flaky.decryptBatch([])).rejects.toMatchObject({ kind: 'transient' });
  });
});

describe('DLP adapter', () => {
  it('aggregates engine findings per type and takes the strongest matching rule', async () => {
    const scanner = adaptDlpEngine({
      scanMessage: () => ({
        findings: [
          {
            type: 'credit_card',
            confidence: 'high',
            confidenceScore: 85,
            count: 1,
            masked: '4111********1111',
          },
          {
            type: 'credit_card',
            confidence: 'medium',
            confidenceScore: 75,
            count: 2,
            masked: '5500********0004',
          },
          { type: 'email', confidence: 'high', confidenceScore: 85, count: 1, masked: 'a***@x.com' },
        ],
        matchedRules: [
          { ruleId: 'pci-report', action: 'report', severity: 'medium', types: ['credit_card'] },
          { ruleId: 'pci-block', action: 'blockAccess', severity: 'high', types: ['credit_card'] },
        ],
      }),
    });
    const out = await scanner.scanMessage({});
    expect(out).toEqual([
      {
        ruleId: 'pci-block:credit_card',
        type: 'credit_card',
        severity: 'high',
        confidence: 'high',
        count: 3,
        evidence: ['4111********1111', '5500********0004'],
        actions: ['blockAccess', 'report'],
      },
      {
        ruleId: 'detected:email',
        type: 'email',
        severity: 'low',
        confidence: 'high',
        count: 1,
        evidence: ['a***@x.com'],
        actions: [],
      },
    ]);
  });
});

describe('graph write-back decisions', () => {
  const f = (extra: Partial<Finding>): Finding =>
    ({
      id: 'i',
      type: 'credit_card',
      ruleId: 'r',
      count: 1,
      evidence: [],
      actions: [],
      tenantId: 't',
      subscriptionId: 's',
      changeType: 'created',
      messageId: 'm1',
      messageVersion: '1',
      partitionId: '0',
      sequenceNumber: 0,
      detectedAt: '',
      ...extra,
    }) as Finding;
  it('writes back only when a policy action enforces', () => {
    expect(wantsWriteBack(f({ actions: ['report'] }))).toBe(false);
    expect(wantsWriteBack(f({ actions: ['notifySender'] }))).toBe(true);
  });
  it('builds chat, channel and reply paths with model=A', () => {
    expect(writeBackPath(f({ chatId: '19:a' }))).toBe('/chats/19%3Aa/messages/m1?model=A');
    expect(writeBackPath(f({ teamId: 'T', channelId: 'C' }))).toBe('/teams/T/channels/C/messages/m1?model=A');
    expect(writeBackPath(f({ teamId: 'T', channelId: 'C', replyToId: 'root' }))).toBe(
      '/teams/T/channels/C/messages/root/replies/m1?model=A',
    );
    expect(writeBackPath(f({}))).toBeUndefined();
  });
  it('derives dlpAction from the enforcing actions', () => {
    expect(policyViolationFor(f({ actions: ['blockAccess', 'report'] }))).toMatchObject({
      dlpAction: 'blockAccess',
    });
  });
});

describe('worker settings', () => {
  it('reports every missing or inconsistent worker setting at once', () => {
    let message = '';
    try {
      // Options and cross-option rules are checked together at load, before any client exists.
      workerSettingsFrom(
        loadConfig({
          purpose: 'worker',
          env: {
            GDLP_SINKS: 'file,carrier-pigeon,http',
            GDLP_START_POSITION: 'yesterday',
            GDLP_OWNERSHIP_EXPIRY_MS: '2000',
            GDLP_WEBHOOK_URL: 'http://x',
          },
        }),
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/EVENTHUB_CONNECTION_STRING/);
    expect(message).toMatch(/STORAGE_CONNECTION_STRING/);
    expect(message).toMatch(/carrier-pigeon/);
    expect(message).toMatch(/GDLP_START_POSITION/);
    expect(message).toMatch(/GDLP_OWNERSHIP_EXPIRY_MS/);
  });
  it('requires the webhook URL when the http sink is on (declared option)', () => {
    expect(() => loadConfig({ env: { GDLP_SINKS: 'http' } })).toThrow(/GDLP_WEBHOOK_URL/);
  });
  it('parses start positions', () => {
    expect(parseStartPosition('earliest')).toBe('earliest');
    expect(parseStartPosition('2026-11-23T05:00:00Z')).toEqual(new Date('2026-11-23T05:00:00Z'));
    expect(() => parseStartPosition('soon')).toThrow();
  });
  it('has defaults for everything in local mode except the connection strings', () => {
    const s = workerSettingsFrom(
      loadConfig({
        env: {
          EVENTHUB_CONNECTION_STRING: 'Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=b',
          STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        },
      }),
    );
    expect(s.eventHubs).toMatchObject({
      name: 'notifications',
      consumerGroup: 'graph-dlp',
      findingsName: 'findings',
    });
    expect(s.worker.shutdownDeadlineMs).toBeLessThan(30_000);
    expect(s.sinks.enabled).toEqual(['file']);
  });
});
