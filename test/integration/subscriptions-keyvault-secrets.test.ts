import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVaultCredential, keyVaultClientOptions } from '../../src/crypto/index.js';
import { type AzuriteInstance, startAzurite } from '../../src/local/azurite/index.js';
import { createMemorySink, type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { startKeyVaultStandIn } from '../../src/local/keyvault/index.js';
import { createKeyVaultClientStateSecrets } from '../../src/subscriptions/client-state-secrets.js';
import { SECRETS_BLOB } from '../../src/subscriptions/store.js';
import { makeCertificate, managerFor, type TestCertificate } from './subscriptions-helpers.js';

describe('clientState secrets in Key Vault (GDLP_CLIENT_STATE_STORE=keyvault), against the stand-in', () => {
  let azurite: AzuriteInstance;
  let sim: GraphSimulator;
  let vault: Awaited<ReturnType<typeof startKeyVaultStandIn>>;
  let cert: TestCertificate;
  beforeAll(async () => {
    [azurite, sim, vault, cert] = await Promise.all([
      startAzurite(),
      startGraphSimulator({ sink: createMemorySink() }),
      startKeyVaultStandIn(),
      makeCertificate('cert-kv'),
    ]);
  });
  afterAll(async () => {
    await sim?.stop();
    await vault?.stop();
    await azurite?.stop();
  });

  it('keeps the clientStates in one Key Vault secret (not in blob storage) and validates notifications with them', async () => {
    const secretName = 'graph-dlp-client-states-test';
    const clientStateSecrets = createKeyVaultClientStateSecrets({
      vaultUrl: vault.url,
      secretName,
      credential: createLocalVaultCredential(),
    });
    const { manager, container } = managerFor({
      sim,
      storageConnectionString: azurite.connectionString,
      certificate: () => cert,
      overrides: { clientStateSecrets },
    });
    try {
      const report = await manager.syncOnce();
      expect(report.created).toHaveLength(2);
      const subs = sim.subscriptions();
      for (const s of subs)
        expect(
          await manager.validateItem({
            subscriptionId: s.id,
            clientState: s.clientState,
            tenantId: sim.tenantId,
          }),
        ).toEqual({ ok: true });

      // Read with the real Key Vault secrets client: the document holds exactly the subscriptions' clientStates.
      const client = new SecretClient(
        vault.url,
        createLocalVaultCredential(),
        keyVaultClientOptions(vault.url),
      );
      const stored = JSON.parse((await client.getSecret(secretName)).value ?? '') as {
        secrets: Record<string, string>;
      };
      expect(Object.values(stored.secrets).sort()).toEqual(subs.map((s) => s.clientState).sort());
      expect(await container.getBlobClient(SECRETS_BLOB).exists()).toBe(false);
      expect(JSON.stringify(manager.snapshot())).not.toContain(subs[0]?.clientState as string);
    } finally {
      await manager.close();
    }
  });

  it('refuses a write based on a stale version, so a deposed leader cannot overwrite newer secrets', async () => {
    const store = createKeyVaultClientStateSecrets({
      vaultUrl: vault.url,
      secretName: 'graph-dlp-client-states-race',
      credential: createLocalVaultCredential(),
    });
    const empty = await store.read();
    expect(empty).toEqual({ doc: { version: 1, secrets: {} }, etag: undefined });
    const v1 = await store.write({ version: 1, secrets: { a: 'one' } }, undefined);
    const v2 = await store.write({ version: 1, secrets: { a: 'one', b: 'two' } }, v1);
    await expect(store.write({ version: 1, secrets: { c: 'three' } }, v1)).rejects.toMatchObject({
      code: 'GDLP_SUBSCRIPTIONS_SECRETS_CONFLICT',
      kind: 'transient',
    });
    expect(await store.read()).toEqual({ doc: { version: 1, secrets: { a: 'one', b: 'two' } }, etag: v2 });
  });
});
