import type { BlobClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { LeaderLease } from '../../src/subscriptions/lease.js';

/** A blob whose lease calls are scripted: pure logic of LeaderLease, no storage. */
function fakeBlob(script: { acquire: () => Promise<unknown>; renew: () => Promise<unknown> }) {
  const calls: string[] = [];
  const blob = {
    getBlobLeaseClient: () => ({
      acquireLease: async () => {
        calls.push('acquire');
        return script.acquire();
      },
      renewLease: async () => {
        calls.push('renew');
        return script.renew();
      },
      releaseLease: async () => {
        calls.push('release');
      },
    }),
  } as unknown as BlobClient;
  return { blob, calls };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('LeaderLease', () => {
  it('stops counting itself leader when a renewal hangs past the lease deadline, without waiting for the call', async () => {
    const { blob } = fakeBlob({ acquire: async () => ({}), renew: () => new Promise(() => {}) });
    const lost: string[] = [];
    const lease = new LeaderLease({ blob, leaseMs: 300, renewEveryMs: 50, onLost: (r) => lost.push(r) });
    lease.start();
    await until(() => lease.isLeader());
    await until(() => !lease.isLeader());
    await until(() => lost.length === 1);
    expect(lost[0]).toContain('deadline');
    await lease.close();
  });

  it('loses leadership at once when a renewal fails, and can win it back later', async () => {
    let renewFails = false;
    const { blob, calls } = fakeBlob({
      acquire: async () => ({}),
      renew: async () => {
        if (renewFails) throw Object.assign(new Error('lease lost'), { statusCode: 409 });
        return {};
      },
    });
    const lost: string[] = [];
    const lease = new LeaderLease({ blob, leaseMs: 60_000, renewEveryMs: 20, onLost: (r) => lost.push(r) });
    lease.start();
    await until(() => calls.includes('renew'));
    expect(lease.isLeader()).toBe(true);
    renewFails = true;
    await until(() => !lease.isLeader());
    expect(lost).toEqual([expect.stringContaining('lease renewal failed')]);
    renewFails = false;
    await until(() => lease.isLeader());
    await lease.close();
    expect(lease.isLeader()).toBe(false);
    expect(calls.at(-1)).toBe('release');
  });

  it('stays a follower while another replica holds the lease (409 on acquire)', async () => {
    const { blob, calls } = fakeBlob({
      acquire: async () => {
        throw Object.assign(new Error('there is already a lease present'), { statusCode: 409 });
      },
      renew: async () => ({}),
    });
    const lease = new LeaderLease({ blob, leaseMs: 60_000, renewEveryMs: 20 });
    expect(await lease.tryAcquire()).toBe(false);
    expect(calls).toEqual(['acquire']);
    await lease.close();
    expect(calls).toEqual(['acquire']);
  });
});
