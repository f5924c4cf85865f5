import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SENSITIVE_TYPES } from '../../src/dlp/types.js';
import { tempDir } from './worker-helpers.js';

describe('graph-dlp demo', () => {
  it('--duration --out runs the whole local flow, writes findings.jsonl with canonical types and exits 0', async () => {
    const dir = tempDir('gdlp-demo-');
    try {
      const bin = fileURLToPath(new URL('../../bin/graph-dlp.js', import.meta.url));
      const child = spawn(
        process.execPath,
        [bin, 'demo', '--duration', '8', '--out', dir.path, '--rate', '30'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      child.stdout.resume();
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code, err).toBe(0);
      expect(err).toMatch(/subscription [0-9a-f-]{36}/);
      expect(err).toMatch(/drained, final checkpoints written/);
      const lines = readFileSync(`${dir.path}/findings.jsonl`, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      const findings = lines.map((l) => JSON.parse(l) as { id: string; type: string });
      expect(findings.every((f) => (SENSITIVE_TYPES as readonly string[]).includes(f.type))).toBe(true);
      expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    } finally {
      dir.remove();
    }
  });
});
