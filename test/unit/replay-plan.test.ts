import { describe, expect, it } from 'vitest';
import {
  type PartitionState,
  parseDurationMs,
  planFromCsv,
  planReset,
  planToCsv,
} from '../../src/consumer/replay-plan.js';

const parts: PartitionState[] = [
  {
    partitionId: '0',
    beginningSequenceNumber: 100,
    lastEnqueuedSequenceNumber: 199,
    isEmpty: false,
    checkpointSequenceNumber: 149,
  },
  { partitionId: '1', beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: 9, isEmpty: false },
];
const now = new Date('2026-01-01T12:00:00Z');

describe('planReset', () => {
  it('--to-earliest restarts at the first retained event', () => {
    expect(planReset(parts, { kind: 'to-earliest' }, now).map((p) => p.targetNextSequenceNumber)).toEqual([
      100, 0,
    ]);
  });
  it('--to-latest skips to after the last enqueued event', () => {
    const plan = planReset(parts, { kind: 'to-latest' }, now);
    expect(plan.map((p) => p.targetNextSequenceNumber)).toEqual([200, 10]);
    expect(plan[0]!.delta).toBe(150 - 200);
  });
  it('--shift-by moves relative to the checkpoint and clamps to the retained range', () => {
    const plan = planReset(parts, { kind: 'shift-by', delta: -80 }, now);
    expect(plan[0]).toMatchObject({
      currentNextSequenceNumber: 150,
      targetNextSequenceNumber: 100,
      clamped: true,
    });
  });
  it('--to-sequence clamps beyond the end', () => {
    expect(
      planReset(parts, { kind: 'to-sequence', sequenceNumber: 500 }, now).map((p) => [
        p.targetNextSequenceNumber,
        p.clamped,
      ]),
    ).toEqual([
      [200, true],
      [10, true],
    ]);
  });
  it('--to-datetime and --by-duration use the resolved first event at or after the time', () => {
    const seen: string[] = [];
    const resolver = (pid: string, t: Date) => {
      seen.push(`${pid}@${t.toISOString()}`);
      return pid === '0' ? 170 : undefined;
    };
    const plan = planReset(parts, { kind: 'by-duration', durationMs: 3_600_000 }, now, resolver);
    expect(seen).toEqual(['0@2026-01-01T11:00:00.000Z', '1@2026-01-01T11:00:00.000Z']);
    // No event after the time on partition 1: restart after the last one.
    expect(plan.map((p) => p.targetNextSequenceNumber)).toEqual([170, 10]);
  });
  it('an empty partition plans to its end', () => {
    const plan = planReset(
      [{ partitionId: '0', beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: -1, isEmpty: true }],
      { kind: 'to-earliest' },
      now,
    );
    expect(plan[0]!.targetNextSequenceNumber).toBe(0);
  });
});

describe('durations and CSV', () => {
  it('parses ISO-8601 and short durations', () => {
    expect(parseDurationMs('PT2H')).toBe(7_200_000);
    expect(parseDurationMs('P1DT30M')).toBe(86_400_000 + 1_800_000);
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(() => parseDurationMs('soon')).toThrow(/not a duration/);
    expect(() => parseDurationMs('P')).toThrow();
  });
  it('round-trips a plan through CSV', () => {
    const plan = planReset(parts, { kind: 'to-earliest' }, now);
    expect(planFromCsv(planToCsv(plan))).toEqual([
      { partitionId: '0', targetNextSequenceNumber: 100 },
      { partitionId: '1', targetNextSequenceNumber: 0 },
    ]);
    expect(() => planFromCsv('partition,next\n0,abc\n')).toThrow(/line 2/);
  });
});
