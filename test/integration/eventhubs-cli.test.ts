/** `graph-dlp emulator eventhubs` as an operator runs it: prints the connection string, serves, exits 0 on SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventHubProducerClient } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'graph-dlp.js');

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, 'emulator', 'eventhubs', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('graph-dlp emulator eventhubs', () => {
  it('prints a working connection string and health URL, then exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eh-cli-'));
    const p = run(['--port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    try {
      const deadline = Date.now() + 45_000;
      let match: RegExpExecArray | null = null;
      while (!match && Date.now() < deadline) {
        match =
          /Connection string: (Endpoint=sb:\/\/127\.0\.0\.1:\d+;SharedAccessKeyName=\w+;SharedAccessKey=\w+;UseDevelopmentEmulator=true)/.exec(
            p.out(),
          );
        if (!match) await new Promise((r) => setTimeout(r, 50));
      }
      expect(match, p.out() + p.err()).not.toBeNull();
      const producer = new EventHubProducerClient(match?.[1] as string, 'notifications');
      expect((await producer.getEventHubProperties()).partitionIds).toHaveLength(4);
      await producer.close();
      const health = /Health: (\S+)/.exec(p.out())?.[1] as string;
      expect((await fetch(health)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('refuses a bad Config.json at start-up, listing every problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eh-cli-'));
    const config = join(dir, 'Config.json');
    writeFileSync(
      config,
      JSON.stringify({
        UserConfig: {
          NamespaceConfig: [
            {
              Type: 'EventHub',
              Name: 'emulatorNs1',
              Entities: [{ Name: 'eh1', PartitionCount: 64, ConsumerGroups: [{ Name: '$default' }] }],
            },
          ],
        },
      }),
    );
    const p = run(['--port', '0', '--config', config]);
    expect(await p.exited).toBe(1);
    expect(p.err()).toMatch(/GDLP_EMULATOR_CONFIG_INVALID/);
    expect(p.err()).toMatch(/PartitionCount must be an integer from 1 to 32 \(got 64\)/);
    expect(p.err()).toMatch(/"\$default" exists implicitly/);
  });
});
