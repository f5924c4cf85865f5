import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GapReport } from '../../src/backfill/index.js';
import { createSilentLogger } from '../../src/log.js';
import type { Gap } from '../../src/subscriptions/types.js';
import { startAutoBackfill } from '../../src/worker/auto-backfill.js';

const gap: Gap = {
  resource: '/chats/getAllMessages?model=A',
  from: 'f',
  to: 't',
  reason: 'missed',
  recordedAt: 't',
};

describe('auto-backfill in the worker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs only on the leader, only when gaps exist, one run at a time, and aborts its run on stop', async () => {
    vi.useFakeTimers();
    let leader = false;
    let gaps: Gap[] = [];
    const calls: AbortSignal[] = [];
    let finish: (() => void) | undefined;
    const auto = startAutoBackfill({
      intervalMs: 1000,
      isLeader: () => leader,
      gaps: () => gaps,
      run: (_g, signal) => {
        calls.push(signal);
        return new Promise<GapReport[]>((resolve) => {
          finish = () => resolve([]);
          signal.addEventListener('abort', () => resolve([]));
        });
      },
      logger: createSilentLogger(),
    });
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toHaveLength(0); // not the leader
    leader = true;
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toHaveLength(0); // no gaps
    gaps = [gap];
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1); // the first run is still going: no second one
    finish?.();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    await auto.stop();
    expect(calls[1]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(2);
  });
});
