/**
 * Scale-out through the emulator: three separate OS processes, each an EventHubConsumerClient with
 * BlobCheckpointStore (Azurite) on one consumer group over 4 partitions. Ownership balances, every event
 * is processed once in steady state, and after `kill -9` of one process its partitions are taken over
 * (epoch 0 attaches steal any stale link) with nothing lost.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EventHubProducerClient } from '@azure/event-hubs';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../fixtures/eventhubs/helpers.js';
import { type StackUnderTest, startStackUnderTest } from '../fixtures/eventhubs/stack.js';

const HUB = 'notifications';
const GROUP = 'graph-dlp';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(root, 'test', 'fixtures', 'eventhubs', 'consumer-process.ts');

interface Worker {
  name: string;
  child: ChildProcess;
  owned: string[];
  ids: number[];
  errors: string[];
  exited: boolean;
}

let stack: StackUnderTest;
const workers: Worker[] = [];

function startWorker(name: string): Worker {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fixture,
      stack.eventHubsConnectionString,
      stack.storageConnectionString as string,
      'checkpoints',
      HUB,
      GROUP,
      name,
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const worker: Worker = { name, child, owned: [], ids: [], errors: [], exited: false };
  child.once('exit', () => {
    worker.exited = true;
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    let msg: { type: string; partitions?: string[]; id?: number; code?: string };
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.type === 'owned') worker.owned = msg.partitions ?? [];
    else if (msg.type === 'event' && typeof msg.id === 'number') worker.ids.push(msg.id);
    else if (msg.type === 'error') worker.errors.push(String(msg.code));
  });
  return worker;
}

async function publish(ids: number[]): Promise<void> {
  const producer = new EventHubProducerClient(stack.eventHubsConnectionString, HUB);
  try {
    for (let i = 0; i < ids.length; i += 10)
      await producer.sendBatch(ids.slice(i, i + 10).map((id) => ({ body: { id } })));
  } finally {
    await producer.close();
  }
}

function counts(from: number, to: number, alive: Worker[] = workers): Map<number, number> {
  const m = new Map<number, number>();
  for (const w of alive) for (const id of w.ids) if (id >= from && id < to) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

/** One process per partition, as the processes report it and as the emulator's receiver registry shows it. */
function balanced(alive: Worker[]): boolean {
  const owners = alive.flatMap((w) => w.owned);
  const processesAgree =
    owners.length === 4 && new Set(owners).size === 4 && alive.every((w) => w.owned.length >= 1);
  if (!processesAgree || !stack.embedded) return processesAgree;
  // The emulator side: exactly one live receiver per partition (stolen and dead links were detached).
  const receivers = stack.embedded
    .stats()
    .receivers.filter((r) => r.hub === HUB && r.consumerGroup === GROUP);
  return receivers.length === 4 && new Set(receivers.map((r) => r.partitionId)).size === 4;
}

beforeAll(async () => {
  stack = await startStackUnderTest({ storage: true });
  await new ContainerClient(stack.storageConnectionString as string, 'checkpoints').create();
}, 60_000);

afterAll(async () => {
  for (const w of workers) {
    if (!w.exited) {
      w.child.kill('SIGKILL');
      await new Promise((r) => w.child.once('exit', r));
    }
  }
  await stack?.stop();
});

describe('three consumer processes on one consumer group', () => {
  it('balance, process every event once, and survive kill -9 of one process without losing events', {
    timeout: 150_000,
  }, async () => {
    // A first takes all four partitions; B and C must then take theirs from A by epoch stealing.
    const first = startWorker('proc-a');
    workers.push(first);
    await waitFor('proc-a owns all partitions', () => first.owned.length === 4, 60_000);
    workers.push(startWorker('proc-b'), startWorker('proc-c'));
    await waitFor('balanced ownership across 3 processes', () => balanced(workers), 90_000);
    expect(first.errors).toContain('ReceiverDisconnectedError');

    await publish(Array.from({ length: 200 }, (_, i) => i));
    await waitFor('200 events processed', () => counts(0, 200).size === 200, 60_000);
    const steady = counts(0, 200);
    expect([...steady.values()].every((n) => n === 1)).toBe(true);
    expect(workers.filter((w) => w.ids.length > 0).length).toBe(3);

    const victim = workers.reduce((a, b) => (b.owned.length > a.owned.length ? b : a));
    const victimPartitions = victim.owned.slice();
    victim.child.kill('SIGKILL');
    await waitFor('victim exit', () => victim.exited);
    const survivors = workers.filter((w) => w !== victim);

    // Published right away: events for the victim's partitions wait in the emulator until a survivor takes over.
    await publish(Array.from({ length: 200 }, (_, i) => 200 + i));
    await waitFor('survivors own every partition', () => balanced(survivors), 90_000);
    await waitFor(
      'events 200-399 processed by the survivors',
      () => counts(200, 400, survivors).size === 200,
      60_000,
    );
    const taken = survivors.flatMap((w) => w.owned);
    for (const p of victimPartitions) expect(taken).toContain(p);
    expect(survivors.flatMap((w) => w.errors).filter((c) => c !== 'ReceiverDisconnectedError')).toEqual([]);
  });
});
