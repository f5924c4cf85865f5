import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { OptionSpec } from '../../src/config/schema.js';
import { isGraphDlpError } from '../../src/errors.js';

const options: OptionSpec[] = [
  { key: 'a.portNumber', env: 'T_PORT', type: 'int', min: 1, max: 65535, default: 8080, description: 'port' },
  {
    key: 'a.mode',
    env: 'T_MODE',
    type: 'enum',
    values: ['local', 'azure'],
    default: 'local',
    description: 'mode',
  },
  {
    key: 'a.secret',
    env: 'T_SECRET',
    type: 'string',
    secret: true,
    description: 'secret',
    requiredWhen: (v) => v('a.mode') === 'azure',
  },
];

describe('loadConfig', () => {
  it('applies defaults and returns a frozen tree', () => {
    const config = loadConfig({ env: {}, options });
    expect(config).toEqual({ a: { portNumber: 8080, mode: 'local' } });
    expect(Object.isFrozen(config.a)).toBe(true);
  });

  it('reports every problem at once, in operator words', () => {
    let caught: unknown;
    try {
      loadConfig({ env: { T_PORT: 'abc', T_MODE: 'cloud' }, options });
    } catch (err) {
      caught = err;
    }
    expect(isGraphDlpError(caught)).toBe(true);
    const err = caught as Error & { code: string; kind: string; details: { problems: string[] } };
    expect(err.code).toBe('GDLP_CONFIG_INVALID');
    expect(err.kind).toBe('fatal');
    expect(err.details.problems).toHaveLength(2);
    expect(err.message).toContain("T_PORT: expected a whole number, got 'abc'");
    expect(err.message).toContain('T_MODE: must be one of local, azure');
  });

  it('requires conditional options and never echoes a secret value', () => {
    expect(() => loadConfig({ env: { T_MODE: 'azure' }, options })).toThrow(/T_SECRET is required/);
    const config = loadConfig({ env: { T_MODE: 'azure', T_SECRET: 'hunter2' }, options });
    expect((config.a as { secret: string }).secret).toBe('hunter2');
  });
});

describe('loadConfig with a file', () => {
  it('accepts keys of other areas when a command validates only its own options, and rejects unknown keys', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'gdlp-config-'));
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'a:\n  portNumber: 9090\nlogLevel: debug\n');
    const config = loadConfig({ env: {}, file, options });
    expect((config.a as { portNumber: number }).portNumber).toBe(9090);
    await writeFile(file, 'a:\n  portNumbr: 9090\n');
    expect(() => loadConfig({ env: {}, file, options })).toThrow(
      /config file key 'a.portNumbr' is not a known option/,
    );
  });
});

describe('cross-option rules', () => {
  it('reports rule problems together with option problems, and worker-only rules only for the worker', async () => {
    const { ALL_OPTIONS } = await import('../../src/config/options/index.js');
    const env = { GDLP_START_POSITION: 'yesterday', GDLP_SINKS: 'file,bogus', GDLP_HEALTH_PORT: 'abc' };
    let problems: string[] = [];
    try {
      loadConfig({ env, options: ALL_OPTIONS, purpose: 'worker' });
    } catch (err) {
      problems = (err as { details: { problems: string[] } }).details.problems;
    }
    expect(problems.some((p) => p.startsWith('GDLP_HEALTH_PORT'))).toBe(true);
    expect(problems.some((p) => p.startsWith("GDLP_START_POSITION: 'yesterday'"))).toBe(true);
    expect(problems.some((p) => p.includes("unknown sink 'bogus'"))).toBe(true);
    expect(problems.some((p) => p.startsWith('EVENTHUB_CONNECTION_STRING'))).toBe(true);
    expect(problems.some((p) => p.startsWith('GDLP_TENANT_DOMAIN'))).toBe(true);

    // A tool (keys, emulator graph) does not need the worker's connection settings.
    expect(() => loadConfig({ env: {}, options: ALL_OPTIONS })).not.toThrow();
  });

  it('refuses basic-notification subscriptions when fetching their messages is switched off', async () => {
    const { ALL_OPTIONS } = await import('../../src/config/options/index.js');
    const problemsFor = (env: Record<string, string>) => {
      try {
        loadConfig({ env, options: ALL_OPTIONS, purpose: 'worker' });
        return [];
      } catch (err) {
        return (err as { details: { problems: string[] } }).details.problems;
      }
    };
    const both = { GDLP_INCLUDE_RESOURCE_DATA: 'false', GDLP_FETCH_BASIC_NOTIFICATIONS: 'false' };
    expect(problemsFor(both).filter((p) => p.includes('nothing would be scanned')).length).toBe(1);
    expect(
      problemsFor({ GDLP_INCLUDE_RESOURCE_DATA: 'false' }).filter((p) =>
        p.includes('nothing would be scanned'),
      ),
    ).toEqual([]);
  });
  it('requires a vault for clientState secrets in Key Vault, and then keeps them there', async () => {
    const { ALL_OPTIONS } = await import('../../src/config/options/index.js');
    const { clientStateSecretsFromConfig } = await import('../../src/subscriptions/from-config.js');
    const { BlobServiceClient } = await import('@azure/storage-blob');
    expect(() => loadConfig({ env: { GDLP_CLIENT_STATE_STORE: 'keyvault' }, options: ALL_OPTIONS })).toThrow(
      /GDLP_CLIENT_STATE_STORE=keyvault needs a vault/,
    );
    const container = BlobServiceClient.fromConnectionString(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1',
    ).getContainerClient('control');
    const inVault = loadConfig({
      env: { GDLP_CLIENT_STATE_STORE: 'keyvault', GDLP_KEYVAULT_URL: 'https://contoso-dlp.vault.azure.net' },
      options: ALL_OPTIONS,
    });
    const kv = clientStateSecretsFromConfig(inVault, container);
    expect([kv.kind, kv.description]).toEqual([
      'keyvault',
      "Key Vault https://contoso-dlp.vault.azure.net secret 'graph-dlp-client-states'",
    ]);
    expect(clientStateSecretsFromConfig(loadConfig({ env: {}, options: ALL_OPTIONS }), container).kind).toBe(
      'blob',
    );
  });
});
