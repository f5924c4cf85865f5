import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type KeyVaultStandIn,
  STAND_IN_TOKEN,
  startKeyVaultStandIn,
} from '../../src/local/keyvault/index.js';

const root = join(import.meta.dirname, '../..');

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/graph-dlp.js'), ...args],
      { cwd: root, timeout: 90_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const field = (text: string, name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(text)?.[1];

describe('graph-dlp keys (CLI) against a key folder and the Key Vault stand-in', () => {
  let dir: string;
  let vault: KeyVaultStandIn;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gdlp-keys-cli-'));
    vault = await startKeyVaultStandIn({ expectedToken: STAND_IN_TOKEN });
  });
  afterAll(async () => {
    await vault.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('folder: create prints encryptionCertificate (base64 DER, parseable X.509, RSA-3072) and its id; create again is idempotent; rotate makes a new current; list shows both', async () => {
    const folder = join(dir, 'keys');
    const created = await cli(['keys', 'create', '--folder', folder, '--bits', '3072']);
    expect(created.code).toBe(0);
    const id = field(created.stdout, 'encryptionCertificateId')!;
    const der = field(created.stdout, 'encryptionCertificate')!;
    const x509 = new X509Certificate(Buffer.from(der, 'base64'));
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.fingerprint.replaceAll(':', '')).toBe(field(created.stdout, 'thumbprint'));
    expect(await readdir(folder)).toContain(`${id}.pem`);

    const again = await cli(['keys', 'create', '--json'], { GDLP_KEY_FOLDER: folder });
    expect(JSON.parse(again.stdout).encryptionCertificateId).toBe(id);
    expect(again.stderr).toMatch(/already exists/);

    const rotated = await cli(['keys', 'rotate', '--folder', folder, '--json']);
    expect(rotated.code).toBe(0);
    const newId = JSON.parse(rotated.stdout).encryptionCertificateId as string;
    expect(newId).not.toBe(id);

    const list = await cli(['keys', 'list', '--folder', folder, '--json']);
    const entries = JSON.parse(list.stdout) as Array<{ encryptionCertificateId: string; current: boolean }>;
    expect(entries.map((e) => [e.encryptionCertificateId, e.current]).sort()).toEqual(
      [
        [id, false],
        [newId, true],
      ].sort(),
    );
  }, 240_000);

  it('Key Vault (stand-in, remote mode): create through the real CertificateClient, then list and current', async () => {
    const created = await cli([
      'keys',
      'create',
      '--source',
      'keyvault-remote',
      '--vault-url',
      vault.url,
      '--certificate-name',
      'cli-cert',
    ]);
    expect(created.code).toBe(0);
    const id = field(created.stdout, 'encryptionCertificateId')!;
    expect(id).toMatch(/^cli-cert-[0-9a-f]{32}$/);
    expect(vault.stats().createCertificate).toBe(1);
    expect(vault.stats().challenge).toBeGreaterThanOrEqual(1);

    const current = await cli(['keys', 'current', '--json'], {
      GDLP_KEY_SOURCE: 'keyvault-remote',
      GDLP_KEYVAULT_URL: vault.url,
      GDLP_KEYVAULT_CERTIFICATE_NAME: 'cli-cert',
    });
    expect(JSON.parse(current.stdout).encryptionCertificateId).toBe(id);
    const list = await cli([
      'keys',
      'list',
      '--source',
      'keyvault-remote',
      '--vault-url',
      vault.url,
      '--certificate-name',
      'cli-cert',
    ]);
    expect(list.stdout).toMatch(new RegExp(`\\*\\s+${id}`));
    expect(list.stdout).toMatch(/remote /);
  }, 120_000);

  it('configuration errors are reported in operator words: keyvault source without a URL, bad key size', async () => {
    const run = await cli(['keys', 'list', '--source', 'keyvault', '--bits', '1024']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/GDLP_CONFIG_INVALID/);
    expect(run.stderr).toMatch(/GDLP_KEYVAULT_URL is required/);
    expect(run.stderr).toMatch(/must be one of 2048, 3072, 4096/);
  }, 120_000);

  it('--help lists subcommands, options, defaults and units', async () => {
    const run = await cli(['keys', '--help']);
    expect(run.stdout).toMatch(/create/);
    expect(run.stdout).toMatch(/rotate/);
    expect(run.stdout).toMatch(/--bits N\s+RSA key size in bits/);
  }, 120_000);

  it('`graph-dlp emulator keyvault` serves the stand-in until SIGTERM, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'bin/graph-dlp.js'), 'emulator', 'keyvault', '--log-level', 'silent'],
      { cwd: root },
    );
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Key Vault stand-in: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
      });
      const created = await cli(['keys', 'create', '--source', 'keyvault', '--vault-url', url, '--json']);
      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout).encryptionCertificateId).toMatch(/^graph-dlp-notifications-/);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
