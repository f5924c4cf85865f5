import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, encryptNotificationContent } from '../../src/crypto/index.js';

const root = join(import.meta.dirname, '../..');
const vector = join(root, 'test/fixtures/graph-sdk-rich-notification-vector');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI entry point (bin/graph-dlp.js) as a child process. */
function cli(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(root, 'bin/graph-dlp.js'), ...args],
      { cwd: root, timeout: 110_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

const expectedLine = JSON.stringify(
  JSON.parse(readFileSync(join(vector, 'expected_plaintext.json'), 'utf8')),
);
const encryptedContent = JSON.parse(readFileSync(join(vector, 'encryptedContent.json'), 'utf8'));
const notification = (ec: unknown, extra: Record<string, unknown> = {}) => ({
  subscriptionId: '0f1f7a8e-0000-4000-8000-000000000001',
  changeType: 'created',
  resource: "chats('19:x')/messages('1')",
  clientState: 'secret-client-state',
  tenantId: '8afd02d6-0000-4000-8000-000000000000',
  encryptedContent: ec,
  ...extra,
});

describe('graph-dlp decrypt (CLI contract)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gdlp-decrypt-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('decrypts the real vector from a PKCS#12 key (--password) to exactly the expected plaintext, one compact line', async () => {
    const input = join(dir, 'one.json');
    await writeFile(input, JSON.stringify(notification(encryptedContent)));
    const run = await cli([
      'decrypt',
      '--key',
      join(vector, 'certificate.pfx.b64'),
      '--password',
      'rich',
      '--input',
      input,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${expectedLine}\n`);
  }, 120_000);

  it('reads an Event Hubs body from stdin with a PEM key; skips validation and lifecycle items with a note on stderr', async () => {
    // Shapes of graph-notifications.md §2.3 (Event Hubs validation message) and §3.4 (lifecycle notification).
    const validation = {
      subscriptionId: 'NA',
      subscriptionExpirationDateTime: 'NA',
      clientState: 'NA',
      changeType:
        'Validation: Testing client application reachability for subscription Request-Id: 522a8e7e-096a-494c-aaf1-ac0dcfca45b7',
      resource: 'NA',
      resourceData: { '@odata.type': 'NA', '@odata.id': 'NA', id: 'NA' },
    };
    const lifecycle = {
      subscriptionId: '00000000-1111-2222-3333-444444444444',
      subscriptionExpirationDateTime: '2021-07-01T08:56:34.0000000+00:00',
      tenantId: '8afd02d6-ebdd-4270-a515-c749898ea5c5',
      clientState: 'synthetic-client-state',
      lifecycleEvent: 'missed',
    };
    const body = {
      value: [validation, notification(encryptedContent), lifecycle, notification(encryptedContent)],
    };
    const run = await cli(['decrypt', '--key', join(vector, 'private_key.pem')], JSON.stringify(body));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${expectedLine}\n${expectedLine}\n`);
    expect(run.stderr).toMatch(/skipped .*validation message/);
    expect(run.stderr).toMatch(/skipped .*lifecycle event missed/);
  }, 120_000);

  it('keeps input order across a collection of many items encrypted with our certificate', async () => {
    const cert = await createSelfSignedCertificate();
    await writeFile(join(dir, 'key.pem'), cert.privateKeyPem + cert.certificatePem);
    const items = Array.from({ length: 12 }, (_, i) =>
      notification(encryptNotificationContent({ seq: i }, { id: 'c1', certificatePem: cert.certificatePem })),
    );
    const run = await cli(['decrypt', '--key', join(dir, 'key.pem')], JSON.stringify({ value: items }));
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(items.map((_, i) => JSON.stringify({ seq: i })));
  }, 120_000);

  it('a tampered item prints its error code on stderr, no plaintext of it, the others still print, exit 1', async () => {
    const tampered = JSON.parse(
      readFileSync(join(vector, 'negative_tampered_signature.encryptedContent.json'), 'utf8'),
    );
    const body = {
      value: [notification(encryptedContent), notification(tampered), notification(encryptedContent)],
    };
    const run = await cli(['decrypt', '--key', join(vector, 'private_key.pem')], JSON.stringify(body));
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe(`${expectedLine}\n${expectedLine}\n`);
    expect(run.stderr).toMatch(/^GDLP_DECRYPT_SIGNATURE_MISMATCH: /m);
    expect(run.stderr).not.toContain('Hello World');
  }, 120_000);

  it('JSON Lines of notifications and a bare encryptedContent are accepted', async () => {
    const lines = `${JSON.stringify(notification(encryptedContent))}\n${JSON.stringify(encryptedContent)}\n`;
    const run = await cli(['decrypt', '--key', join(vector, 'private_key.pkcs1.pem')], lines);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${expectedLine}\n${expectedLine}\n`);
  }, 120_000);

  it('failures exit non-zero with a coded line: wrong key, wrong password, garbage input, missing --key', async () => {
    const other = await createSelfSignedCertificate();
    await writeFile(join(dir, 'other.pem'), other.privateKeyPem);
    // Independent processes: run them side by side.
    const [wrongKey, wrongPassword, garbage, badBase64, noKey] = await Promise.all([
      cli(['decrypt', '--key', join(dir, 'other.pem')], JSON.stringify(notification(encryptedContent))),
      cli(['decrypt', '--key', join(vector, 'certificate.pfx.b64'), '--password', 'nope'], '{}'),
      cli(['decrypt', '--key', join(vector, 'private_key.pem')], '{not json'),
      cli(
        ['decrypt', '--key', join(vector, 'private_key.pem')],
        JSON.stringify(notification({ ...encryptedContent, data: '***' })),
      ),
      cli(['decrypt'], '{}'),
    ]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^GDLP_DECRYPT_KEY_UNWRAP_FAILED: /m);
    expect(wrongKey.stdout).toBe('');
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stderr).toMatch(/^GDLP_KEYS_BAD_PASSWORD: /m);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/^GDLP_DECRYPT_BAD_INPUT: /m);
    expect(badBase64.code).toBe(1);
    expect(badBase64.stderr).toMatch(/^GDLP_DECRYPT_BAD_BASE64: /m);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--key is required/);
  }, 180_000);

  it('--help documents the options', async () => {
    const run = await cli(['decrypt', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--key FILE/);
    expect(run.stdout).toMatch(/--password P/);
    expect(run.stdout).toMatch(/--input FILE/);
  }, 120_000);
});
