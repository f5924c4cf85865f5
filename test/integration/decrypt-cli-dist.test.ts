import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function run(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 180_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * The decrypt pool resolves its worker relative to its own module: `.ts` + tsx under the sources (every other
 * test), `.js` from a compiled build. This compiles src/crypto with the project's compiler into a temporary
 * dist/ and decrypts the real Graph vector through the pool from there, without tsx.
 */
describe('decrypt pool from compiled JavaScript (dist), without tsx', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'gdlp-dist-'));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('compiles and decrypts the real vector and a batch with a tampered item, in order', async () => {
    const tsc = await run(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        ...[
          '--outDir',
          join(out, 'dist'),
          '--rootDir',
          join(root, 'src'),
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
        ],
        ...['--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', '--declaration', 'false'],
        join(root, 'src/crypto/index.ts'),
        join(root, 'src/crypto/decrypt-worker.ts'),
      ],
      root,
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    // Resolve @azure/* from the project while running the compiled files from the temp folder.
    await writeFile(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
    await symlink(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');
    const vector = join(root, 'test/fixtures/graph-sdk-rich-notification-vector');
    await writeFile(
      join(out, 'check.mjs'),
      `
      import { readFileSync } from 'node:fs';
      import { createDecryptPool, readKeyFile } from './dist/crypto/index.js';
      const ec = JSON.parse(readFileSync(${JSON.stringify(join(vector, 'encryptedContent.json'))}, 'utf8'));
      const tampered = JSON.parse(readFileSync(${JSON.stringify(join(vector, 'negative_tampered_data.encryptedContent.json'))}, 'utf8'));
      const { privateKey } = await readKeyFile(${JSON.stringify(join(vector, 'private_key.pem'))});
      const pool = createDecryptPool({ size: 2, maxChunkItems: 2 });
      const results = await pool.decryptBatch([ec, tampered, ec, ec, tampered].map((encryptedContent) => ({ encryptedContent, privateKey })));
      await pool.close();
      console.log(JSON.stringify(results.map((r) => (r.ok ? r.value.etag : r.error.code))));
      `,
    );
    const check = await run(process.execPath, ['check.mjs'], out);
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout)).toEqual([
      '1625126194597',
      'GDLP_DECRYPT_SIGNATURE_MISMATCH',
      '1625126194597',
      '1625126194597',
      'GDLP_DECRYPT_SIGNATURE_MISMATCH',
    ]);
  }, 240_000);
});
