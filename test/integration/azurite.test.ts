import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { startAzurite } from '../../src/local/azurite/index.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

async function roundTrip(
  connectionString: string,
  container: string,
  blob: string,
  text?: string,
): Promise<string> {
  const client = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  await client.createIfNotExists();
  const blobClient = client.getBlockBlobClient(blob);
  if (text !== undefined) await blobClient.upload(text, Buffer.byteLength(text));
  return (await blobClient.downloadToBuffer()).toString();
}

describe('Azurite launcher', () => {
  it('serves the real blob client on a free loopback port and stops without leaving a process', async () => {
    const azurite = await startAzurite();
    try {
      expect(azurite.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      expect(await roundTrip(azurite.connectionString, 'checkpoints', 'a.txt', 'hello')).toBe('hello');
    } finally {
      await azurite.stop();
    }
    expect(isAlive(azurite.pid)).toBe(false);
  });

  it('keeps blobs across restarts when given a data folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gdlp-azurite-'));
    try {
      const first = await startAzurite({ dataDir });
      await roundTrip(first.connectionString, 'keep', 'k.txt', 'persisted');
      await first.stop();
      const second = await startAzurite({ dataDir });
      try {
        expect(await roundTrip(second.connectionString, 'keep', 'k.txt')).toBe('persisted');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('leaves no orphan when its parent process is killed with SIGKILL', async () => {
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '../fixtures/local/azurite-parent.ts')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
    const { azuritePid } = JSON.parse(chunk.toString()) as { azuritePid: number };
    expect(isAlive(azuritePid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitFor(() => !isAlive(azuritePid), 15_000)).toBe(true);
  });
});
