/**
 * Per-partition checkpoint watermark. Events are tracked in the order received; an event's outcome
 * becomes final when it is done (findings delivered) or dead-lettered. Only the contiguous prefix of
 * final events may be checkpointed (a failure in the middle holds the watermark back, so nothing past it
 * is lost), on a count or time cadence, and never after ownership was lost (a stale owner must not
 * overwrite the new owner's checkpoint). Pure: time is passed in.
 */
export interface EventPositionRef {
  sequenceNumber: number;
  offset: string;
}

export type FinalOutcome = 'done' | 'deadlettered';

export interface WatermarkOptions {
  /** Checkpoint once this many events became final since the last checkpoint. */
  everyEvents: number;
  /** ...or once this much time passed since the last checkpoint with progress pending. */
  everyMs: number;
}

export class PartitionWatermark {
  private readonly pending: Array<EventPositionRef & { final: boolean }> = [];
  private readonly bySequence = new Map<number, EventPositionRef & { final: boolean }>();
  private candidate: EventPositionRef | undefined;
  /** Sequence number of the first event tracked: the position this ownership resumed from. */
  private firstTracked: number | undefined;
  private lastCheckpointed: EventPositionRef | undefined;
  private finalSinceCheckpoint = 0;
  private lastCheckpointAt: number;
  private owned = true;

  constructor(
    private readonly options: WatermarkOptions,
    now: number,
  ) {
    this.lastCheckpointAt = now;
  }

  track(events: readonly EventPositionRef[]): void {
    for (const e of events) {
      if (this.bySequence.has(e.sequenceNumber)) continue;
      if (this.candidate && e.sequenceNumber <= this.candidate.sequenceNumber) continue;
      this.firstTracked ??= e.sequenceNumber;
      const entry = { sequenceNumber: e.sequenceNumber, offset: e.offset, final: false };
      this.pending.push(entry);
      this.bySequence.set(e.sequenceNumber, entry);
    }
  }

  complete(sequenceNumber: number, _outcome: FinalOutcome): void {
    const entry = this.bySequence.get(sequenceNumber);
    if (!entry || entry.final) return;
    entry.final = true;
    while (this.pending.length > 0 && this.pending[0]!.final) {
      const head = this.pending.shift()!;
      this.bySequence.delete(head.sequenceNumber);
      this.candidate = { sequenceNumber: head.sequenceNumber, offset: head.offset };
      this.finalSinceCheckpoint++;
    }
  }

  /** Highest position whose every predecessor (since tracking began) is final. */
  get checkpointCandidate(): EventPositionRef | undefined {
    return this.candidate;
  }

  /** Events received and held back from the checkpoint (not final, or final behind one that is not). */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Events after the checkpoint up to `lastEnqueued` (what KEDA sees): counted from the last checkpoint
   * written, or from where this ownership resumed when none was written yet. Undefined before any event.
   */
  checkpointLag(lastEnqueued: number): number | undefined {
    const from =
      this.lastCheckpointed?.sequenceNumber ??
      (this.firstTracked === undefined ? undefined : this.firstTracked - 1);
    return from === undefined ? undefined : Math.max(0, lastEnqueued - from);
  }

  get isOwned(): boolean {
    return this.owned;
  }

  /** The position to checkpoint now, or undefined. `force` ignores the cadence (drain, close). */
  due(now: number, force = false): EventPositionRef | undefined {
    if (!this.owned || !this.candidate) return undefined;
    if (this.lastCheckpointed && this.lastCheckpointed.sequenceNumber >= this.candidate.sequenceNumber)
      return undefined;
    if (
      force ||
      this.finalSinceCheckpoint >= this.options.everyEvents ||
      now - this.lastCheckpointAt >= this.options.everyMs
    ) {
      return this.candidate;
    }
    return undefined;
  }

  markCheckpointed(position: EventPositionRef, now: number): void {
    if (!this.lastCheckpointed || position.sequenceNumber > this.lastCheckpointed.sequenceNumber)
      this.lastCheckpointed = position;
    this.finalSinceCheckpoint = 0;
    this.lastCheckpointAt = now;
  }

  get lastCheckpoint(): EventPositionRef | undefined {
    return this.lastCheckpointed;
  }

  /** After this no checkpoint is ever due again for this instance. */
  ownershipLost(): void {
    this.owned = false;
  }
}
