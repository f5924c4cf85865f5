/**
 * Replay planning modelled on `kafka-consumer-groups --reset-offsets`. Pure: partition properties,
 * current checkpoints and (for time-based strategies) the sequence number of the first event at or after
 * the target time are inputs; the output says, per partition, which sequence number processing will
 * restart at. Targets are clamped to the retained range [beginning, last + 1].
 */
export type ResetStrategy =
  | { kind: 'to-earliest' }
  | { kind: 'to-latest' }
  | { kind: 'to-datetime'; at: Date }
  | { kind: 'by-duration'; durationMs: number }
  | { kind: 'shift-by'; delta: number }
  | { kind: 'to-sequence'; sequenceNumber: number };

export interface PartitionState {
  partitionId: string;
  beginningSequenceNumber: number;
  lastEnqueuedSequenceNumber: number;
  isEmpty: boolean;
  /** Last checkpointed sequence number (the next event processed is this + 1); undefined = no checkpoint. */
  checkpointSequenceNumber?: number;
}

export interface PlannedReset {
  partitionId: string;
  /** Next sequence number processing would start at today (undefined: no checkpoint, start position applies). */
  currentNextSequenceNumber: number | undefined;
  /** Next sequence number processing will start at after the reset. */
  targetNextSequenceNumber: number;
  /** Events that will be re-processed (positive) or skipped (negative) versus today. */
  delta: number | undefined;
  clamped: boolean;
}

/** Returns the first sequence number enqueued at or after `time` on a partition (I/O, supplied by the shell). */
export type TimeResolver = (partitionId: string, time: Date) => number | undefined;

export function planReset(
  partitions: readonly PartitionState[],
  strategy: ResetStrategy,
  now: Date,
  resolveTime?: TimeResolver,
): PlannedReset[] {
  return partitions.map((p) => {
    const low = p.isEmpty ? p.lastEnqueuedSequenceNumber + 1 : p.beginningSequenceNumber;
    const high = p.lastEnqueuedSequenceNumber + 1;
    const current = p.checkpointSequenceNumber === undefined ? undefined : p.checkpointSequenceNumber + 1;
    let wanted: number;
    switch (strategy.kind) {
      case 'to-earliest':
        wanted = low;
        break;
      case 'to-latest':
        wanted = high;
        break;
      case 'to-sequence':
        wanted = strategy.sequenceNumber;
        break;
      case 'shift-by':
        wanted = (current ?? low) + strategy.delta;
        break;
      case 'to-datetime':
      case 'by-duration': {
        const at =
          strategy.kind === 'to-datetime' ? strategy.at : new Date(now.getTime() - strategy.durationMs);
        wanted = resolveTime?.(p.partitionId, at) ?? high;
        break;
      }
    }
    const target = Math.min(high, Math.max(low, wanted));
    return {
      partitionId: p.partitionId,
      currentNextSequenceNumber: current,
      targetNextSequenceNumber: target,
      delta: current === undefined ? undefined : current - target,
      clamped: target !== wanted,
    };
  });
}

/** ISO-8601 duration (PnDTnHnMnS, also PTnS with fractions) or a plain `90s`/`15m`/`2h`/`1d` → ms. */
export function parseDurationMs(text: string): number {
  const simple = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (simple) {
    const n = Number(simple[1]);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
      simple[2] as 'ms' | 's' | 'm' | 'h' | 'd'
    ];
    return n * unit;
  }
  const iso =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      text.trim(),
    );
  if (!iso || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) {
    throw new Error(`'${text}' is not a duration (use e.g. PT2H, P1DT30M, 90s, 15m, 2h)`);
  }
  const [, d, h, m, s] = iso;
  return (Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(m ?? 0) * 60 + Number(s ?? 0)) * 1000;
}

/** CSV export/import of a plan (`partition,next_sequence_number`), like kafka-consumer-groups `--export`. */
export function planToCsv(plan: readonly PlannedReset[]): string {
  return `partition,next_sequence_number\n${plan.map((p) => `${p.partitionId},${p.targetNextSequenceNumber}`).join('\n')}\n`;
}

export function planFromCsv(text: string): Array<{ partitionId: string; targetNextSequenceNumber: number }> {
  const rows: Array<{ partitionId: string; targetNextSequenceNumber: number }> = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || (i === 0 && trimmed.startsWith('partition'))) continue;
    const [partitionId, seq] = trimmed.split(',').map((s) => s.trim());
    const n = Number(seq);
    if (!partitionId || !Number.isInteger(n))
      throw new Error(`line ${i + 1}: expected 'partition,next_sequence_number', got '${trimmed}'`);
    rows.push({ partitionId, targetNextSequenceNumber: n });
  }
  return rows;
}
