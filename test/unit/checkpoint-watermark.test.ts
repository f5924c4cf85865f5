import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionWatermark } from '../../src/consumer/watermark.js';

const ev = (n: number) => ({ sequenceNumber: n, offset: String(n * 100) });

describe('PartitionWatermark', () => {
  it('counts lag from the checkpoint (or the resume position), so held-back events are not hidden', () => {
    const w = new PartitionWatermark({ everyEvents: 1, everyMs: 0 }, 0);
    expect(w.checkpointLag(9)).toBeUndefined();
    w.track([ev(5), ev(6), ev(7)]);
    expect(w.checkpointLag(9)).toBe(5);
    w.complete(5, 'done');
    w.complete(7, 'done');
    w.markCheckpointed(w.due(1)!, 1);
    expect(w.checkpointLag(9)).toBe(4);
    expect(w.pendingCount).toBe(2);
  });

  it('checkpoints only the contiguous prefix of final outcomes', () => {
    const w = new PartitionWatermark({ everyEvents: 1, everyMs: 60_000 }, 0);
    w.track([ev(1), ev(2), ev(3)]);
    w.complete(1, 'done');
    w.complete(3, 'deadlettered');
    expect(w.due(1)).toEqual(ev(1));
    w.complete(2, 'done');
    expect(w.due(2)).toEqual(ev(3));
  });

  it('holds back everything behind an event whose outcome is not final', () => {
    const w = new PartitionWatermark({ everyEvents: 1, everyMs: 0 }, 0);
    w.track([ev(10), ev(11), ev(12)]);
    w.complete(11, 'done');
    w.complete(12, 'done');
    expect(w.checkpointCandidate).toBeUndefined();
    expect(w.due(5, true)).toBeUndefined();
  });

  it('waits for the count cadence, or for the time cadence', () => {
    const w = new PartitionWatermark({ everyEvents: 3, everyMs: 1000 }, 0);
    w.track([ev(1), ev(2), ev(3), ev(4)]);
    w.complete(1, 'done');
    w.complete(2, 'done');
    expect(w.due(10)).toBeUndefined();
    w.complete(3, 'done');
    expect(w.due(20)).toEqual(ev(3));
    w.markCheckpointed(ev(3), 20);
    w.complete(4, 'done');
    expect(w.due(500)).toBeUndefined();
    expect(w.due(1020)).toEqual(ev(4));
  });

  it('never offers a checkpoint after ownership was lost, even when forced', () => {
    const w = new PartitionWatermark({ everyEvents: 1, everyMs: 0 }, 0);
    w.track([ev(1)]);
    w.complete(1, 'done');
    w.ownershipLost();
    expect(w.due(1, true)).toBeUndefined();
  });

  it('does not offer the same checkpoint twice', () => {
    const w = new PartitionWatermark({ everyEvents: 1, everyMs: 0 }, 0);
    w.track([ev(1)]);
    w.complete(1, 'done');
    const pos = w.due(1)!;
    w.markCheckpointed(pos, 1);
    expect(w.due(2, true)).toBeUndefined();
  });

  it('for any completion order, the candidate is the largest n with 1..n all complete', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()].map((i) => i + 1))),
          ),
        ([n, completed]) => {
          const w = new PartitionWatermark({ everyEvents: 1, everyMs: 0 }, 0);
          w.track([...Array(n).keys()].map((i) => ev(i + 1)));
          for (const s of completed) w.complete(s, 'done');
          const set = new Set(completed);
          let expected = 0;
          while (set.has(expected + 1)) expected++;
          expect(w.checkpointCandidate?.sequenceNumber).toBe(expected === 0 ? undefined : expected);
        },
      ),
    );
  });
});
