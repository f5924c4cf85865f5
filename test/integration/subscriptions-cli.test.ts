import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/subscriptions.js';
import { type AzuriteInstance, startAzurite } from '../../src/local/azurite/index.js';
import { type EventHubsEmulator, startEventHubsEmulator } from '../../src/local/eventhubs/index.js';
import { type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';

let azurite: AzuriteInstance;
let emulator: EventHubsEmulator;
let sim: GraphSimulator;
let dir: string;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  const code = await command.run(args, { stdout, stderr, stdin: new PassThrough() });
  return { code, out, err };
}

async function configFile(name: string, graphBaseUrl: string): Promise<string> {
  const file = join(dir, name);
  const config = {
    graph: {
      baseUrl: graphBaseUrl,
      tenantDomain: 'contoso.onmicrosoft.com',
      controlContainer: `cli-${name.replace(/\W/g, '')}`,
    },
    eventHubs: { connectionString: emulator.connectionString },
    storage: { connectionString: azurite.connectionString },
    keys: { source: 'folder', folder: join(dir, 'keys'), createIfMissing: true },
  };
  await writeFile(file, JSON.stringify(config));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gdlp-subs-cli-'));
  [azurite, emulator] = await Promise.all([startAzurite(), startEventHubsEmulator()]);
  sim = await startGraphSimulator({ eventHubsConnectionString: emulator.connectionString });
}, 120_000);

afterAll(async () => {
  await sim?.stop();
  await emulator?.stop();
  await azurite?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('graph-dlp subscriptions', () => {
  it('sync creates the subscriptions and prints each action; list and delete show and remove them', async () => {
    const file = await configFile('a.json', sim.url);
    const first = await run(['sync', '--file', file]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^created\s+[0-9a-f-]{36} \/teams\/getAllMessages\?model=A$/m);
    expect(first.out).toMatch(/^created\s+[0-9a-f-]{36} \/chats\/getAllMessages\?model=A$/m);
    expect(first.out).toContain('sync done: 2 created, 0 recreated, 0 renewed');
    const second = await run(['sync', '--file', file]);
    expect(second.out).toContain('sync done: 0 created');

    const listed = await run(['list', '--file', file, '--json']);
    const rows = JSON.parse(listed.out).subscriptions as Array<{
      id: string;
      ours: string;
      certificateId: string;
    }>;
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.ours === 'created' && r.certificateId)).toBe(true);
    const table = await run(['list', '--file', file]);
    expect(table.out).toContain('2 subscriptions');

    const removed = await run(['delete', '--file', file, '--id', rows[0]?.id as string]);
    expect(removed.out).toContain(`deleted      ${rows[0]?.id}`);
    const third = await run(['sync', '--file', file]);
    expect(third.out).toMatch(/^recreated\s+/m);
    expect(third.out).toMatch(/^gap\s+/m);
  }, 120_000);

  it('preflight passes against the local stack and explains each failure with a fix', async () => {
    const ok = await run(['preflight', '--file', await configFile('b.json', sim.url)]);
    expect(ok.out).toMatch(/^PASS {2}token/m);
    expect(ok.out).toMatch(/^PASS {2}permissions/m);
    expect(ok.out).toMatch(/^PASS {2}event hubs url/m);
    expect(ok.out).toMatch(/^PASS {2}change tracking SP/m);
    expect(ok.out).toMatch(/^PASS {2}hub reachable\s+hub 'notifications' has 4 partitions/m);
    expect(ok.code).toBe(0);

    const bare = await startGraphSimulator({ changeTrackingServicePrincipal: false });
    try {
      const bad = await run(['preflight', '--file', await configFile('c.json', bare.url)]);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/^FAIL {2}change tracking SP/m);
      expect(bad.out).toContain('fix: create it: az ad sp create --id 0bf30f3b-4a52-48df-9a82-234910c4a086');
      expect(bad.out).toContain('preflight failed: 1 check(s)');
    } finally {
      await bare.stop();
    }
  }, 120_000);
});
