import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFolderKeySource,
  createKeyring,
  createSelfSignedCertificate,
  DECRYPT_ERROR,
  decryptNotificationContent,
  describeCertificate,
  encryptNotificationContent,
  type Keyring,
  SUPPORTED_KEY_BITS,
} from '../../src/crypto/index.js';

const message = {
  '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Aa')/messages/$entity",
  id: '1700000000000',
  etag: '1700000000000',
  body: { contentType: 'html', content: '<p>card 4111 1111 1111 1111 — ünïcødé ✓</p>' },
};

function expectPoison(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toMatchObject({ code, kind: 'poison' });
}

describe('encrypt/decrypt round trip with our self-signed certificates', () => {
  for (const keyBits of SUPPORTED_KEY_BITS) {
    it(`RSA-${keyBits}: what the test encryptor produces decrypts to the same resource`, async () => {
      const cert = await createSelfSignedCertificate({ keyBits });
      const info = describeCertificate(cert.certificateDer);
      expect(info.keyBits).toBe(keyBits);
      const encrypted = encryptNotificationContent(message, { id: 'cert-a', certificate: info.certificate });
      expect(encrypted.encryptionCertificateThumbprint).toBe(cert.thumbprint);
      expect(Buffer.from(encrypted.dataKey, 'base64').length).toBe(keyBits / 8);
      expect(
        decryptNotificationContent(encrypted, cert.privateKey, { expectedThumbprint: cert.thumbprint }),
      ).toEqual(message);
    }, 120_000);
  }

  it('uses a fresh symmetric key for every notification', async () => {
    const cert = await createSelfSignedCertificate();
    const a = encryptNotificationContent(message, { id: 'x', certificatePem: cert.certificatePem });
    const b = encryptNotificationContent(message, { id: 'x', certificatePem: cert.certificatePem });
    expect(a.data).not.toBe(b.data);
    expect(a.dataKey).not.toBe(b.dataKey);
  });

  it('a notification for another certificate fails to unwrap with a coded error', async () => {
    const [one, two] = await Promise.all([createSelfSignedCertificate(), createSelfSignedCertificate()]);
    const encrypted = encryptNotificationContent(message, { id: 'one', certificatePem: one.certificatePem });
    expectPoison(
      () => decryptNotificationContent(encrypted, two.privateKey),
      DECRYPT_ERROR.KEY_UNWRAP_FAILED,
    );
  });
});

describe('keyring over a key folder: rotation and retirement', () => {
  let folder: string;
  let keyring: Keyring;
  let clock = Date.now();
  const retireAfterMs = 60_000;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gdlp-keys-'));
    keyring = await createKeyring({
      source: createFolderKeySource({ folder }),
      retireAfterMs,
      createIfMissing: true,
      watch: false,
      reloadIntervalMs: 0,
      now: () => clock,
    });
  });
  afterAll(async () => {
    await keyring.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('creates a first certificate when the folder is empty', () => {
    const current = keyring.current();
    expect(current.id).toMatch(/^gdlp-/);
    expect(describeCertificate(current.certificate).thumbprint).toBe(current.thumbprint);
  });

  it('during a rotation both certificate ids decrypt; after the retire window the old one fails cleanly', async () => {
    const old = keyring.current();
    const oldNotification = encryptNotificationContent(message, { id: old.id, certificate: old.certificate });
    const changes: string[] = [];
    keyring.onCurrentChange((c) => changes.push(c.id));
    const rotated = await keyring.rotate();
    expect(rotated.id).not.toBe(old.id);
    expect(keyring.current().id).toBe(rotated.id);
    expect(changes).toEqual([rotated.id]);
    const newNotification = encryptNotificationContent(message, {
      id: rotated.id,
      certificate: rotated.certificate,
    });

    for (const n of [oldNotification, newNotification]) {
      const key = keyring.lookup(n.encryptionCertificateId, n.encryptionCertificateThumbprint);
      expect(decryptNotificationContent(n, key.privateKey!)).toEqual(message);
    }
    // Still in use: the clock restarts with every use.
    clock += retireAfterMs - 1;
    expect(keyring.lookup(old.id).id).toBe(old.id);
    clock += retireAfterMs - 1;
    expect(keyring.list().find((e) => e.id === old.id)?.retired).toBe(false);
    clock += 2;
    expect(keyring.list().find((e) => e.id === old.id)?.retired).toBe(true);
    expectPoison(() => keyring.lookup(old.id, old.thumbprint), DECRYPT_ERROR.RETIRED_CERTIFICATE);
    // The current certificate never retires.
    expect(keyring.lookup(rotated.id).id).toBe(rotated.id);
  }, 60_000);

  it('an unknown id and a wrong thumbprint fail with their codes', async () => {
    expectPoison(() => keyring.lookup('no-such-certificate'), DECRYPT_ERROR.UNKNOWN_CERTIFICATE);
    await expect(keyring.resolve('no-such-certificate')).rejects.toMatchObject({
      code: DECRYPT_ERROR.UNKNOWN_CERTIFICATE,
      kind: 'poison',
    });
    expectPoison(
      () => keyring.lookup(keyring.current().id, 'AB'.repeat(20)),
      DECRYPT_ERROR.THUMBPRINT_MISMATCH,
    );
  });

  it('hot reload: a certificate written by another process is found by resolve() without restart', async () => {
    const other = createFolderKeySource({ folder });
    const created = await other.createCertificate();
    clock += 30_000; // unknown-id reloads are rate-limited (the previous test just used one)
    const key = await keyring.resolve(created.id, created.thumbprint);
    expect(key.thumbprint).toBe(created.thumbprint);
    expect(keyring.current().id).toBe(created.id);
  }, 60_000);
});

describe('keyring hot reload (folder watch, periodic reload as fallback), and logs', () => {
  it('picks up a rotation done by another process without any decrypt traffic, notifies listeners, and never logs key material', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gdlp-keys-watch-'));
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const keyring = await createKeyring({
      source: createFolderKeySource({ folder, logger }),
      createIfMissing: true,
      // The folder watch normally fires first; the periodic reload covers filesystems without inotify.
      reloadIntervalMs: 3_000,
      logger,
    });
    try {
      const first = keyring.current();
      const changed = new Promise<string>((resolve) => keyring.onCurrentChange((c) => resolve(c.id)));
      const created = await createFolderKeySource({ folder }).createCertificate();
      // Wait for the reload (no fixed sleep; generous test timeout for a loaded machine).
      expect(await changed).toBe(created.id);
      expect(keyring.current().id).toBe(created.id);
      expect(keyring.lookup(first.id).id).toBe(first.id);
      // An unreadable file in the folder is skipped with a warning; the others still load.
      await writeFile(
        join(folder, 'broken.pem'),
        '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
      );
      await keyring.reload();
      expect(keyring.list().map((e) => e.id)).toHaveLength(2);
      const all = lines.join('\n');
      expect(all).toMatch(/keyring: current certificate/);
      expect(all).toMatch(/unreadable key file skipped/);
      expect(all).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    } finally {
      await keyring.close();
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
