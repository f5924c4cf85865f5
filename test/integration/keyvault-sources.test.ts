import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDecryptPool,
  createKeyring,
  createNotificationDecryptor,
  DECRYPT_ERROR,
  type DecryptPool,
  encryptNotificationContent,
  KEY_ERROR,
  parsePkcs12,
} from '../../src/crypto/index.js';
import { createKeyVaultKeySource, keyVaultClientOptions } from '../../src/crypto/sources/keyvault.js';
import {
  createStandInCredential,
  type KeyVaultStandIn,
  STAND_IN_TOKEN,
  startKeyVaultStandIn,
} from '../../src/local/keyvault/index.js';

const message = { id: '1', body: { contentType: 'text', content: 'Hello from the vault' } };

describe('Key Vault key sources against the stand-in, with the real @azure/keyvault-* clients', () => {
  let vault: KeyVaultStandIn;
  let pool: DecryptPool;

  beforeAll(async () => {
    vault = await startKeyVaultStandIn({ expectedToken: STAND_IN_TOKEN });
    pool = createDecryptPool({ size: 2 });
  });
  afterAll(async () => {
    await pool.close();
    await vault.stop();
  });

  it('the clients complete the 401 challenge: token requested for the resource and tenant named in WWW-Authenticate', async () => {
    const credential = createStandInCredential();
    const client = new CertificateClient(vault.url, credential, keyVaultClientOptions(vault.url));
    await expect(client.getCertificate('does-not-exist')).rejects.toMatchObject({
      statusCode: 404,
      code: 'CertificateNotFound',
    });
    expect(vault.stats().challenge).toBeGreaterThanOrEqual(1);
    expect(credential.requests[0]).toEqual({
      scopes: ['https://vault.azure.net/.default'],
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    });
  });

  it('without disableChallengeResourceVerification the SDK refuses to send a token to a non-vault host', async () => {
    const { additionalPolicies } = keyVaultClientOptions(vault.url);
    const client = new CertificateClient(vault.url, createStandInCredential(), { additionalPolicies });
    await expect(client.getCertificate('x')).rejects.toThrow(/does not match the requested domain/);
  });

  it('a wrong token keeps getting the challenge (401)', async () => {
    const client = new SecretClient(
      vault.url,
      createStandInCredential('not-the-token'),
      keyVaultClientOptions(vault.url, { maxRetries: 0 }),
    );
    await expect(client.getSecret('x')).rejects.toMatchObject({ statusCode: 401 });
  });

  it('in-memory mode: creates a self-signed certificate (create → pending → get), loads the key from the secret, rotates, decrypts both versions', async () => {
    const source = createKeyVaultKeySource({
      vaultUrl: vault.url,
      certificateName: 'notif-inmem',
      credential: createStandInCredential(),
      disableChallengeResourceVerification: true,
      createPollIntervalMs: 50,
    });
    const keyring = await createKeyring({ source, createIfMissing: true, watch: false, reloadIntervalMs: 0 });
    try {
      const first = keyring.current();
      expect(first.id).toMatch(/^notif-inmem-[0-9a-f]{32}$/);
      expect(keyring.list()[0]?.mode).toBe('in-memory');
      const second = await keyring.rotate({ keyBits: 3072 });
      expect(second.id).not.toBe(first.id);
      const decryptor = createNotificationDecryptor({ keyring, pool });
      const results = await decryptor.decryptBatch([
        encryptNotificationContent(message, { id: first.id, certificate: first.certificate }),
        encryptNotificationContent(message, { id: second.id, certificate: second.certificate }),
        encryptNotificationContent(message, { id: 'notif-inmem-unknown', certificate: second.certificate }),
      ]);
      expect(results[0]).toEqual({ ok: true, value: message });
      expect(results[1]).toEqual({ ok: true, value: message });
      expect(results[2]).toMatchObject({
        ok: false,
        error: { code: DECRYPT_ERROR.UNKNOWN_CERTIFICATE, kind: 'poison' },
      });
      // The secret is a password-less PKCS#12 holding the certificate and its key, like the service returns.
      const secret = await new SecretClient(
        vault.url,
        createStandInCredential(),
        keyVaultClientOptions(vault.url),
      ).getSecret('notif-inmem');
      expect(secret.properties.contentType).toBe('application/x-pkcs12');
      expect(parsePkcs12(Buffer.from(secret.value!, 'base64')).certificates).toHaveLength(1);
    } finally {
      await keyring.close();
    }
  }, 60_000);

  it('remote mode: the vault unwraps every data key (private key never loaded), bad data keys are poison, vault errors are transient', async () => {
    const source = createKeyVaultKeySource({
      vaultUrl: vault.url,
      certificateName: 'notif-remote',
      mode: 'remote',
      credential: createStandInCredential(),
      disableChallengeResourceVerification: true,
      createPollIntervalMs: 50,
      maxRetries: 0,
    });
    const keyring = await createKeyring({ source, createIfMissing: true, watch: false, reloadIntervalMs: 0 });
    try {
      const current = keyring.current();
      expect(keyring.list()[0]?.mode).toBe('remote');
      const decryptor = createNotificationDecryptor({ keyring, pool, remoteUnwrapConcurrency: 4 });
      const good = encryptNotificationContent(message, { id: current.id, certificate: current.certificate });
      const before = vault.stats().unwrapKey ?? 0;
      const results = await decryptor.decryptBatch([
        good,
        { ...good, dataKey: Buffer.alloc(256, 7).toString('base64') },
        good,
      ]);
      expect(results[0]).toEqual({ ok: true, value: message });
      expect(results[1]).toMatchObject({
        ok: false,
        error: { code: DECRYPT_ERROR.KEY_UNWRAP_FAILED, kind: 'poison' },
      });
      expect(results[2]).toEqual({ ok: true, value: message });
      expect((vault.stats().unwrapKey ?? 0) - before).toBe(3);

      vault.injectFault({
        method: 'POST',
        path: '/unwrapkey',
        status: 503,
        code: 'ServiceUnavailable',
        times: 1,
      });
      const [failed, next] = await decryptor.decryptBatch([good, good]);
      expect([failed, next].filter((r) => !r?.ok)).toHaveLength(1);
      expect([failed, next].find((r) => !r?.ok)).toMatchObject({
        ok: false,
        error: { code: KEY_ERROR.REMOTE_UNWRAP_FAILED, kind: 'transient' },
      });
    } finally {
      await keyring.close();
    }
  }, 60_000);

  it('in-memory mode on a non-exportable certificate (its secret holds no key) fails with a coded hint to use remote mode', async () => {
    // 'notif-remote' was created by the remote-mode test above with a non-exportable key.
    const source = createKeyVaultKeySource({
      vaultUrl: vault.url,
      certificateName: 'notif-remote',
      credential: createStandInCredential(),
    });
    await expect(createKeyring({ source, watch: false, reloadIntervalMs: 0 })).rejects.toMatchObject({
      code: KEY_ERROR.KEYVAULT_NOT_EXPORTABLE,
      kind: 'fatal',
      message: expect.stringMatching(/keyvault-remote/),
    });
  });

  it('throttling (429 with Retry-After) on unwrap is absorbed by the SDK retry policy: the notification still decrypts', async () => {
    const source = createKeyVaultKeySource({
      vaultUrl: vault.url,
      certificateName: 'notif-throttled',
      mode: 'remote',
      credential: createStandInCredential(),
      createPollIntervalMs: 50,
    });
    const keyring = await createKeyring({ source, createIfMissing: true, watch: false, reloadIntervalMs: 0 });
    try {
      const current = keyring.current();
      const decryptor = createNotificationDecryptor({ keyring, pool });
      const faultsBefore = vault.stats().fault ?? 0;
      vault.injectFault({
        method: 'POST',
        path: '/unwrapkey',
        status: 429,
        code: 'Throttled',
        times: 2,
        headers: { 'retry-after': '0' },
      });
      const [result] = await decryptor.decryptBatch([
        encryptNotificationContent(message, { id: current.id, certificate: current.certificate }),
      ]);
      expect(result).toEqual({ ok: true, value: message });
      expect((vault.stats().fault ?? 0) - faultsBefore).toBe(2);
    } finally {
      await keyring.close();
    }
  }, 60_000);

  it('a vault error while loading surfaces as a coded Key Vault error', async () => {
    const source = createKeyVaultKeySource({
      vaultUrl: vault.url,
      certificateName: 'notif-inmem',
      credential: createStandInCredential(),
      disableChallengeResourceVerification: true,
      maxRetries: 0,
    });
    vault.injectFault({
      method: 'GET',
      path: '/certificates/notif-inmem/versions',
      status: 403,
      code: 'Forbidden',
      message: 'Caller is not authorized',
    });
    await expect(createKeyring({ source, watch: false, reloadIntervalMs: 0 })).rejects.toMatchObject({
      code: KEY_ERROR.KEYVAULT,
      kind: 'fatal',
    });
  });
});
