import { execFileSync, spawn } from 'node:child_process';
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

  it('npm start mode stops cleanly on Ctrl-C (SIGINT) and leaves no process behind', async () => {
    const dir = tempDir('gdlp-demo-int-');
    try {
      const bin = fileURLToPath(new URL('../../bin/graph-dlp.js', import.meta.url));
      const child = spawn(process.execPath, [bin, 'demo', '--out', dir.path, '--rate', '10'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stdout.resume();
      const running = new Promise<void>((resolve) => {
        child.stderr.on('data', (d) => {
          err += d;
          if (/events\/s/.test(err)) resolve();
        });
      });
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      await Promise.race([running, exited]);
      const descendants = descendantsOf(child.pid!);
      expect(descendants.length).toBeGreaterThan(0);
      child.kill('SIGINT');
      expect(await exited, err).toBe(0);
      expect(err).toMatch(/SIGINT: stopping/);
      const isAlive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      // Children exit when their parent's pipe closes; give them a moment, then nothing may remain.
      const deadline = Date.now() + 15_000;
      while (descendants.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(descendants.filter(isAlive)).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});

function descendantsOf(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const [pid, ppid] of rows) {
      if (ppid === p) {
        out.push(pid);
        queue.push(pid);
      }
    }
  }
  return out;
}
