import { BlobServiceClient } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local/stack.js';
import {
  type ChildWorker,
  createTestKeys,
  killQuietly,
  readFindings,
  richNotificationBody,
  sendBodies,
  spawnChildWorker,
  tempDir,
  testSettings,
  waitFor,
} from './worker-helpers.js';

async function checkpointSequences(stack: LocalStack, group = 'graph-dlp'): Promise<Record<string, number>> {
  const container = BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient(
    'checkpoints',
  );
  const out: Record<string, number> = {};
  for await (const b of container.listBlobsFlat({ includeMetadata: true })) {
    if (b.name.includes(`/${group}/checkpoint/`))
      out[b.name.split('/').pop()!] = Number(b.metadata?.sequencenumber);
  }
  return out;
}

describe('worker processes on the local stack', () => {
  let stack: LocalStack | undefined;
  const children: ChildWorker[] = [];
  const dirs: Array<{ remove: () => void }> = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await killQuietly(c);
    await stack?.stop();
    stack = undefined;
    for (const d of dirs.splice(0)) d.remove();
  });

  it('kill -9 of one of two workers mid-stream: nothing lost, no duplicate finding downstream', async () => {
    stack = await startLocalStack();
    const dir = tempDir('gdlp-e2e-kill-');
    dirs.push(dir);
    const keysFolder = `${dir.path}/keys`;
    const keyring = await createTestKeys(keysFolder);
    const findingsFile = `${dir.path}/findings.jsonl`;
    const wave = (from: number, n: number) =>
      Array.from({ length: n }, (_, k) =>
        richNotificationBody(keyring, {
          id: `k${from + k}`,
          text: `card 4111111111111111 number ${from + k}`,
        }),
      );
    // Never checkpoint before the kill, so the survivor has to replay what the killed worker already
    // delivered. (A 60 s cadence was shorter than this test on a loaded machine: the worker checkpointed
    // before it was killed, nothing was replayed, and no dedup hit came.)
    const base = testSettings(stack, {
      findingsFile,
      checkpointEveryEvents: 100_000,
      checkpointEveryMs: 600_000,
    });
    const a = spawnChildWorker({ ...base, replicaId: 'worker-a' }, keysFolder);
    const b = spawnChildWorker({ ...base, replicaId: 'worker-b' }, keysFolder);
    children.push(a, b);
    const owned = async (w: ChildWorker) =>
      (
        await fetch(`${await w.healthUrl}/readyz`).then(
          (x) => x.json() as Promise<{ ownedPartitions: string[] }>,
        )
      ).ownedPartitions;
    await waitFor(
      'both workers own partitions',
      async () => {
        const [pa, pb] = [await owned(a), await owned(b)];
        return pa.length > 0 && pb.length > 0 && pa.length + pb.length === 4;
      },
      60_000,
    );
    await sendBodies(stack.eventHubsConnectionString, 'notifications', wave(0, 60));
    await waitFor('first wave processed', () => readFindings(findingsFile).length >= 60, 90_000);
    // Kill a worker that wrote findings of its own (on a loaded machine one worker's claims can expire and
    // the other may have processed the whole first wave): its uncheckpointed events must be replayed.
    const written = async (w: ChildWorker) => {
      const text = await fetch(`${await w.healthUrl}/metrics`).then((x) => x.text());
      return Number(/tdlp_sink_findings_written_total\{sink="file"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const [victim, survivor] = (await written(a)) > 0 ? [a, b] : [b, a];
    expect(await written(victim)).toBeGreaterThan(0);
    victim.child.kill('SIGKILL');
    await victim.exited;
    await sendBodies(stack.eventHubsConnectionString, 'notifications', wave(60, 60));
    const findings = await waitFor(
      'all 120 findings',
      () => {
        const f = readFindings(findingsFile);
        return f.length >= 120 ? f : undefined;
      },
      90_000,
    );
    // Give the survivor time to take over the dead worker's partitions and replay them (ownership expiry).
    await waitFor('survivor owns all partitions', async () => (await owned(survivor)).length === 4, 60_000);
    // The survivor replayed the dead worker's uncheckpointed events and its sink recognised them.
    const metrics = await waitFor(
      'dedup hits',
      async () => {
        const text = await fetch(`${await survivor.healthUrl}/metrics`).then((x) => x.text());
        const hits = Number(/tdlp_dedup_hits_total\{sink="file"\} (\d+)/.exec(text)?.[1] ?? 0);
        return hits > 0 ? hits : undefined;
      },
      60_000,
    );
    expect(metrics).toBeGreaterThan(0);
    const after = readFindings(findingsFile);
    expect(after.length).toBe(120);
    expect(new Set(after.map((f) => f.id)).size).toBe(120);
    expect(new Set(findings.map((f) => f.messageId))).toEqual(
      new Set(Array.from({ length: 120 }, (_, i) => `k${i}`)),
    );
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expect(readFindings(findingsFile).length).toBe(120);
  });

  it('SIGTERM drains within the deadline and writes a final checkpoint on every partition', async () => {
    stack = await startLocalStack();
    const dir = tempDir('gdlp-e2e-term-');
    dirs.push(dir);
    const keysFolder = `${dir.path}/keys`;
    const keyring = await createTestKeys(keysFolder);
    const findingsFile = `${dir.path}/findings.jsonl`;
    const bodies = Array.from({ length: 40 }, (_, i) =>
      richNotificationBody(keyring, {
        id: `t${i}`,
        text: i % 4 === 0 ? `4111111111111111 (${i})` : `plain ${i}`,
      }),
    );
    await sendBodies(stack.eventHubsConnectionString, 'notifications', bodies);
    const settings = testSettings(stack, {
      findingsFile,
      checkpointEveryEvents: 100_000,
      checkpointEveryMs: 600_000,
    });
    settings.worker.shutdownDeadlineMs = 10_000;
    const w = spawnChildWorker({ ...settings, replicaId: 'worker-term' }, keysFolder);
    children.push(w);
    const url = await w.healthUrl;
    await waitFor(
      'all 40 events received',
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return (
          [...text.matchAll(/^messaging_client_consumed_messages_total\{[^}]*\} (\d+)/gm)].reduce(
            (a, m) => a + Number(m[1]),
            0,
          ) === 40
        );
      },
      60_000,
    );
    // Cadence is far away: only the drain's final checkpoint can write checkpoints; batches still in flight
    // when SIGTERM arrives are finished first.
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const stopped = JSON.parse(/STOPPED (.*)/.exec(w.stderr())![1]!) as {
      drained: boolean;
      elapsedMs: number;
    };
    expect(stopped.drained).toBe(true);
    expect(stopped.elapsedMs).toBeLessThan(10_000);
    const cps = await checkpointSequences(stack);
    const producer = await import('@azure/event-hubs').then(
      (m) => new m.EventHubConsumerClient('$default', stack!.eventHubsConnectionString, 'notifications'),
    );
    try {
      for (const id of await producer.getPartitionIds()) {
        const p = await producer.getPartitionProperties(id);
        if (!p.isEmpty) expect(cps[id]).toBe(p.lastEnqueuedSequenceNumber);
      }
    } finally {
      await producer.close();
    }
  });

  it('logs contain none of the planted secrets or message texts', async () => {
    stack = await startLocalStack();
    const dir = tempDir('gdlp-e2e-logs-');
    dirs.push(dir);
    const keysFolder = `${dir.path}/keys`;
    const keyring = await createTestKeys(keysFolder);
    const findingsFile = `${dir.path}/findings.jsonl`;
    const plantedText = 'PLANTED-MESSAGE-TEXT-7f3a';
    const plantedCard = '4111111111111111';
    const bodies = [
      richNotificationBody(keyring, { id: 'p1', text: `${plantedText} ${plantedCard}` }),
      richNotificationBody(
        keyring,
        { id: 'p2', text: plantedText },
        { clientState: 'PLANTED-FORGED-STATE-91c2' },
      ),
      `{"value":[{"subscriptionId":"x","changeType":"created","clientState":"PLANTED-GARBAGE-STATE","encryptedContent":{"data":"${plantedText}"}}]}`,
    ];
    await sendBodies(stack.eventHubsConnectionString, 'notifications', bodies);
    const settings = testSettings(stack, { findingsFile, sinks: ['file', 'http:best-effort'] });
    settings.sinks.webhookUrl = 'http://127.0.0.1:9/unreachable';
    settings.sinks.webhookSecret = 'PLANTED-WEBHOOK-SECRET-55aa';
    const w = spawnChildWorker({ ...settings, replicaId: 'worker-logs' }, keysFolder, 'trace');
    children.push(w);
    await w.healthUrl;
    await waitFor('finding', () => readFindings(findingsFile).length >= 1, 60_000);
    await waitFor(
      'dead letters logged',
      () => (w.stdout().match(/event dead-lettered/g) ?? []).length >= 2,
      60_000,
    );
    w.child.kill('SIGTERM');
    await w.exited;
    const logs = w.stdout() + w.stderr();
    expect(logs).toContain('event dead-lettered');
    const accountKey = /AccountKey=([^;]+)/.exec(stack.storageConnectionString)![1]!;
    for (const secret of [
      plantedText,
      plantedCard,
      'PLANTED-FORGED-STATE-91c2',
      'PLANTED-GARBAGE-STATE',
      'PLANTED-WEBHOOK-SECRET-55aa',
      'planted-client-state-S3cr3t!',
      accountKey,
      stack.eventHubsConnectionString,
    ]) {
      expect(logs, `logs leak ${secret.slice(0, 12)}…`).not.toContain(secret);
    }
  });
});
