import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = join(__dirname, '../../bin/graph-dlp.js');

// Every command and subcommand, with `--help` also after other flags: it must print usage and run nothing
// (`local up --help` must not start a stack on fixed ports, `run ... --help` must not start a worker).
const invocations: string[][] = [
  ['--help'],
  ['demo', '--duration', '5', '--help'],
  ['run', '--consumer-group', 'side', '--help'],
  ['local', 'up', '--help'],
  ['emulator', 'eventhubs', '--help'],
  ['emulator', 'graph', '--help'],
  ['emulator', 'keyvault', '--help'],
  ['keys', 'create', '--help'],
  ['keys', 'list', '--help'],
  ['keys', 'rotate', '--help'],
  ['decrypt', '--help'],
  ['scan', '--help'],
  ['subscriptions', 'sync', '--help'],
  ['subscriptions', 'list', '--help'],
  ['subscriptions', 'delete', '--help'],
  ['subscriptions', 'preflight', '--help'],
  ['checkpoints', 'show', '--help'],
  ['checkpoints', 'reset', '--to-earliest', '--help'],
  ['deadletter', 'list', '--help'],
  ['deadletter', 'show', '--help'],
  ['deadletter', 'redrive', '--help'],
  ['config', 'check', '--help'],
  ['config', 'options', '--help'],
];

describe('graph-dlp --help', () => {
  it('answers on every command and subcommand with usage and exit 0, without starting anything', async () => {
    const results: Array<{ args: string; code: number; stdout: string }> = [];
    // Four at a time: each invocation is a Node start-up.
    for (let i = 0; i < invocations.length; i += 4) {
      const chunk = invocations.slice(i, i + 4);
      results.push(
        ...(await Promise.all(
          chunk.map(async (args) => {
            try {
              // Generous: a loaded 2-core machine once took over 30 s to start one of them (a kill reads as code -1).
              const { stdout } = await run(process.execPath, [bin, ...args], { timeout: 120_000 });
              return { args: args.join(' '), code: 0, stdout };
            } catch (err) {
              const e = err as { code?: number; stdout?: string };
              return { args: args.join(' '), code: e.code ?? -1, stdout: e.stdout ?? '' };
            }
          }),
        )),
      );
    }
    for (const r of results) {
      expect({ args: r.args, code: r.code }).toEqual({ args: r.args, code: 0 });
      expect(r.stdout, r.args).toMatch(/Usage: graph-dlp/);
    }
    expect(results.find((r) => r.args === '--help')?.stdout).toContain('subscriptions');
  }, 900_000);
});
