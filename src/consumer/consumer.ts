/**
 * The Event Hubs shell around the pipeline: EventHubConsumerClient with a CheckpointStore (balanced load
 * balancing), one in-flight batch per owned partition, checkpoints from the contiguous-prefix watermark,
 * and a drain that stops intake, finishes in-flight batches, writes final checkpoints, then releases
 * ownership. Handlers never throw into the SDK (a throw stops the pump and replays from the checkpoint).
 */
import {
  type CheckpointStore,
  CloseReason,
  type EventHubConsumerClient,
  type EventPosition,
  earliestEventPosition,
  latestEventPosition,
  type PartitionContext,
  type ReceivedEventData,
  type Subscription,
} from '@azure/event-hubs';
import { describeError, errorCodeOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../ops/metrics.js';
import { withCheckpointSpan, withProcessSpan } from '../ops/tracing.js';
import { type BackoffPolicy, backoffDelayMs, sleep } from '../worker/backoff.js';
import type { EventOutcome, ReceivedEvent } from '../worker/pipeline.js';
import { type EventPositionRef, PartitionWatermark } from './watermark.js';

export type StartPositionSetting = 'earliest' | 'latest' | Date;

export interface BatchProcessor {
  processBatch(events: readonly ReceivedEvent[], signal?: AbortSignal): Promise<EventOutcome[]>;
}

export interface NotificationConsumerOptions {
  client: EventHubConsumerClient;
  checkpointStore: CheckpointStore;
  processor: BatchProcessor;
  logger: Logger;
  metrics?: WorkerMetrics;
  /** Only used for partitions without a checkpoint. */
  startPosition: StartPositionSetting;
  maxBatchSize: number;
  maxWaitTimeInSeconds: number;
  prefetchCount: number;
  checkpointEveryEvents: number;
  checkpointEveryMs: number;
  /**
   * Batches of one partition processed concurrently. 1 = the SDK's own rhythm (next receive after the
   * handler). 2+ lets the next batch decrypt while the previous one is still in the sinks; the contiguous
   * watermark keeps checkpoints correct whatever order batches finish in.
   */
  maxBatchesInFlight?: number;
  /**
   * Our ownership identifier (the client's `identifier`). When set, each checkpoint write first checks the
   * ownership blob still names us: a replica that lost the partition but has not been told yet must not
   * overwrite the new owner's checkpoint (the SDK's checkpoint write itself is unconditional).
   */
  ownerId?: string;
  /** Emit `process <hub>` OpenTelemetry spans (no-op without a registered SDK). */
  tracing?: boolean;
  /**
   * Delay between retries of events whose outcome was not final (`pending`, or the processor threw). They
   * are retried in place until final or until the partition's signal aborts (ownership lost, drain deadline).
   */
  pendingRetryBackoff?: BackoffPolicy;
  /** Optional hook after each processed batch (progress output, tests). */
  onBatch?: (info: { partitionId: string; events: number; outcomes: EventOutcome[] }) => void;
}

interface PartitionState {
  watermark: PartitionWatermark;
  abort: AbortController;
  /** Batches handed to the pipeline and not finished yet (at most maxBatchesInFlight). */
  inFlight: Set<Promise<void>>;
  /** Checkpoint writes of a partition run one after another, so an older position never lands last. */
  checkpointing: Promise<void>;
  lastReceivedSequence?: number;
  context: PartitionContext;
  lastProcessedSequence?: number;
  /** Events of this partition waiting for a retry (not final after an attempt). */
  retrying: number;
  /** Batches of this partition retrying non-final events: while any does, intake of the partition waits. */
  retryingBatches: number;
  /** Last time the SDK called us for this partition (events or an empty heartbeat batch). */
  lastCallbackAt: number;
}

export type ConsumerState = 'idle' | 'running' | 'draining' | 'stopped';

export const DEFAULT_PENDING_RETRY_BACKOFF: BackoffPolicy = {
  baseMs: 500,
  maxMs: 30_000,
  maxAttempts: Number.POSITIVE_INFINITY,
};

export interface PartitionHealth {
  /** Events received and held back from the checkpoint (not final, or final behind one that is not). */
  pending: number;
  /** Of those, events waiting for a retry after a non-final attempt. */
  retrying: number;
  checkpointSequenceNumber?: number;
}

export function toEventPosition(setting: StartPositionSetting): EventPosition {
  if (setting === 'earliest') return earliestEventPosition;
  if (setting === 'latest') return latestEventPosition;
  return { enqueuedOn: setting };
}

export class NotificationConsumer {
  private subscription: Subscription | undefined;
  private readonly partitions = new Map<string, PartitionState>();
  private stateValue: ConsumerState = 'idle';
  private closing: Promise<void> | undefined;
  private lastError: { at: number; code: string } | undefined;
  private lastActivityAt = 0;

  constructor(private readonly options: NotificationConsumerOptions) {}

  get state(): ConsumerState {
    return this.stateValue;
  }

  get ownedPartitions(): string[] {
    return [...this.partitions.keys()].sort();
  }

  /** Ready: subscribed and either owning partitions or waiting to be assigned some. */
  get health(): {
    state: ConsumerState;
    ownedPartitions: string[];
    lastErrorCode?: string;
    lastActivityAt?: string;
    pendingEvents: number;
    partitions: Record<string, PartitionHealth>;
  } {
    const partitions: Record<string, PartitionHealth> = {};
    let pendingEvents = 0;
    for (const [id, s] of this.partitions) {
      pendingEvents += s.watermark.pendingCount;
      partitions[id] = {
        pending: s.watermark.pendingCount,
        retrying: s.retrying,
        checkpointSequenceNumber: s.watermark.lastCheckpoint?.sequenceNumber,
      };
    }
    return {
      state: this.stateValue,
      ownedPartitions: this.ownedPartitions,
      pendingEvents,
      partitions,
      lastErrorCode: this.lastError?.code,
      lastActivityAt: this.lastActivityAt ? new Date(this.lastActivityAt).toISOString() : undefined,
    };
  }

  start(): void {
    if (this.stateValue !== 'idle') return;
    const o = this.options;
    this.subscription = o.client.subscribe(
      {
        processInitialize: async (ctx) => this.onInitialize(ctx),
        processEvents: async (events, ctx) => this.onEvents(events, ctx),
        processError: async (err, ctx) => this.onError(err, ctx),
        processClose: async (reason, ctx) => this.onClose(reason, ctx),
      },
      {
        startPosition: toEventPosition(o.startPosition),
        maxBatchSize: o.maxBatchSize,
        maxWaitTimeInSeconds: o.maxWaitTimeInSeconds,
        prefetchCount: o.prefetchCount,
        skipParsingBodyAsJson: true,
        trackLastEnqueuedEventProperties: true,
      },
    );
    this.stateValue = 'running';
  }

  private onInitialize(ctx: PartitionContext): void {
    try {
      const existing = this.partitions.get(ctx.partitionId);
      existing?.abort.abort();
      this.partitions.set(ctx.partitionId, {
        watermark: new PartitionWatermark(
          { everyEvents: this.options.checkpointEveryEvents, everyMs: this.options.checkpointEveryMs },
          Date.now(),
        ),
        abort: new AbortController(),
        inFlight: new Set(),
        checkpointing: Promise.resolve(),
        context: ctx,
        retrying: 0,
        retryingBatches: 0,
        lastCallbackAt: Date.now(),
      });
      this.options.metrics?.partitionsOwned.set(this.partitions.size);
      this.options.metrics?.ownershipChanges.inc({ reason: 'claimed' });
      this.options.logger.info(
        { partitionId: ctx.partitionId, consumerGroup: ctx.consumerGroup },
        'partition claimed',
      );
    } catch (err) {
      this.options.logger.error({ err: describeError(err) }, 'processInitialize failed');
    }
  }

  private async onEvents(events: ReceivedEventData[], ctx: PartitionContext): Promise<void> {
    const state = this.partitions.get(ctx.partitionId);
    if (!state || this.stateValue !== 'running') return;
    try {
      this.lastActivityAt = Date.now();
      state.lastCallbackAt = this.lastActivityAt;
      const m = this.options.metrics;
      if (events.length === 0) {
        await this.checkpointSerially(ctx.partitionId, state, false);
        this.updateLag(ctx, state);
        return;
      }
      m?.consumed.inc(
        {
          messaging_system: 'eventhubs',
          messaging_destination_name: ctx.eventHubName,
          messaging_consumer_group_name: ctx.consumerGroup,
          messaging_destination_partition_id: ctx.partitionId,
        },
        events.length,
      );
      const received: ReceivedEvent[] = events.map((e) => ({
        partitionId: ctx.partitionId,
        sequenceNumber: e.sequenceNumber,
        offset: String(e.offset),
        enqueuedTimeUtc: e.enqueuedTimeUtc,
        body: e.body,
        properties: e.properties,
      }));
      // A jump in sequence numbers between batches means events were never delivered to us (retention
      // expiry while stalled, or an SDK skip): count it, so an alert can trigger a targeted replay.
      const previous = state.lastReceivedSequence;
      if (previous !== undefined && received[0]!.sequenceNumber > previous + 1) {
        m?.sequenceGaps.inc({ partition: ctx.partitionId });
        this.options.logger.warn(
          { partitionId: ctx.partitionId, after: previous, next: received[0]!.sequenceNumber },
          'sequence gap between batches',
        );
      }
      state.lastReceivedSequence = received[received.length - 1]!.sequenceNumber;
      state.watermark.track(received);
      m?.pendingEvents.set({ partition: ctx.partitionId }, state.watermark.pendingCount);
      const work = this.runBatch(ctx, state, received);
      state.inFlight.add(work);
      void work.finally(() => state.inFlight.delete(work));
      const limit = Math.max(1, this.options.maxBatchesInFlight ?? 1);
      // A batch retrying non-final events holds intake too, so later batches cannot pile up behind it.
      while (state.inFlight.size >= limit || (state.retryingBatches > 0 && state.inFlight.size > 0))
        await Promise.race(state.inFlight);
    } catch (err) {
      // Unreachable by design (runBatch never throws), kept so the SDK pump never sees a throw.
      this.options.logger.error(
        { partitionId: ctx.partitionId, err: describeError(err) },
        'batch handler failed; events stay unacknowledged',
      );
    }
  }

  /**
   * Processes a batch, then retries in place whatever is not final yet (with backoff) until every event is
   * final or the partition's signal aborts. While it retries, this batch stays in flight, so intake of the
   * partition stops once `maxBatchesInFlight` is reached: no event is skipped, the checkpoint never passes
   * a non-final event, and at most maxBatchesInFlight × maxBatchSize events are held in memory.
   */
  private async runBatch(
    ctx: PartitionContext,
    state: PartitionState,
    received: ReceivedEvent[],
  ): Promise<void> {
    const policy = this.options.pendingRetryBackoff ?? DEFAULT_PENDING_RETRY_BACKOFF;
    const signal = state.abort.signal;
    let todo = received;
    let retryingCounted = false;
    try {
      for (let attempt = 1; ; attempt++) {
        const notFinal = await this.processOnce(ctx, state, todo);
        if (notFinal.length === 0) return;
        if (!retryingCounted) {
          retryingCounted = true;
          state.retryingBatches++;
        }
        const released = () =>
          this.options.logger.warn(
            { partitionId: ctx.partitionId, events: notFinal.length, from: notFinal[0]!.sequenceNumber },
            'events not final and partition released or draining; they replay from the checkpoint',
          );
        if (signal.aborted) return released();
        // The SDK reports a stolen partition only on its next receive, which waits for this handler: ask the
        // ownership store ourselves, so a replica that lost the partition stops retrying at once.
        // An unreadable store does not stop the retries: the next check decides.
        if ((await this.partitionOwner(ctx.partitionId, state)) === 'another') {
          state.watermark.ownershipLost();
          this.options.metrics?.ownershipChanges.inc({ reason: 'fenced' });
          return released();
        }
        this.options.metrics?.pendingRetries.inc({ partition: ctx.partitionId }, notFinal.length);
        this.options.logger.warn(
          {
            partitionId: ctx.partitionId,
            events: notFinal.length,
            from: notFinal[0]!.sequenceNumber,
            attempt,
          },
          'events not final; retrying them before the partition moves on',
        );
        state.retrying += notFinal.length;
        const waited = await sleep(backoffDelayMs(policy, Math.min(attempt, 30)), signal);
        state.retrying -= notFinal.length;
        if (!waited) return released();
        todo = notFinal;
      }
    } finally {
      if (retryingCounted) state.retryingBatches--;
    }
  }

  /** One attempt at a set of events: marks final outcomes, checkpoints, returns the events still not final. */
  private async processOnce(
    ctx: PartitionContext,
    state: PartitionState,
    received: ReceivedEvent[],
  ): Promise<ReceivedEvent[]> {
    const started = performance.now();
    let outcomes: EventOutcome[];
    try {
      outcomes = await withProcessSpan(
        this.options.tracing ?? false,
        {
          hub: ctx.eventHubName,
          consumerGroup: ctx.consumerGroup,
          partitionId: ctx.partitionId,
          count: received.length,
        },
        () => this.options.processor.processBatch(received, state.abort.signal),
      );
    } catch (err) {
      // The pipeline is built never to throw; if it does, nothing of the batch is final.
      this.options.logger.error(
        { partitionId: ctx.partitionId, err: describeError(err) },
        'batch failed; its events stay unacknowledged and are retried',
      );
      outcomes = received.map(() => 'pending');
    }
    const notFinal: ReceivedEvent[] = [];
    try {
      for (const [i, event] of received.entries()) {
        const outcome = outcomes[i] ?? 'pending';
        if (outcome === 'pending') notFinal.push(event);
        else state.watermark.complete(event.sequenceNumber, outcome);
      }
      const last = received[received.length - 1]!.sequenceNumber;
      state.lastProcessedSequence = Math.max(state.lastProcessedSequence ?? last, last);
      this.options.metrics?.batchDuration.observe(
        { messaging_destination_partition_id: ctx.partitionId },
        (performance.now() - started) / 1000,
      );
      this.options.onBatch?.({ partitionId: ctx.partitionId, events: received.length, outcomes });
      await this.checkpointSerially(ctx.partitionId, state, false);
      this.updateLag(ctx, state);
    } catch (err) {
      this.options.logger.error(
        { partitionId: ctx.partitionId, err: describeError(err) },
        'batch bookkeeping failed',
      );
    }
    return notFinal;
  }

  private updateLag(ctx: PartitionContext, state: PartitionState): void {
    const last = ctx.lastEnqueuedEventProperties?.sequenceNumber;
    const m = this.options.metrics;
    if (!m) return;
    m.pendingEvents.set({ partition: ctx.partitionId }, state.watermark.pendingCount);
    if (last === undefined) return;
    // From the checkpoint, like KEDA: pending events (held back) show up here instead of hiding.
    m.lag.set({ partition: ctx.partitionId }, state.watermark.checkpointLag(last) ?? 0);
  }

  private checkpointSerially(partitionId: string, state: PartitionState, force: boolean): Promise<void> {
    state.checkpointing = state.checkpointing.then(() => this.maybeCheckpoint(partitionId, state, force));
    return state.checkpointing;
  }

  private async maybeCheckpoint(partitionId: string, state: PartitionState, force: boolean): Promise<void> {
    const due = state.watermark.due(Date.now(), force);
    if (!due) return;
    await this.writeCheckpoint(partitionId, state, due);
  }

  /**
   * Whether the ownership store names another replica for this partition (our claim was stolen).
   * `unknown` when the store cannot be read; each caller decides what is safe then.
   */
  private async partitionOwner(
    partitionId: string,
    state: PartitionState,
  ): Promise<'ours' | 'another' | 'unknown'> {
    if (!this.options.ownerId) return 'ours';
    const ctx = state.context;
    try {
      const ownership = await this.options.checkpointStore.listOwnership(
        ctx.fullyQualifiedNamespace,
        ctx.eventHubName,
        ctx.consumerGroup,
      );
      const owner = ownership.find((o) => o.partitionId === partitionId)?.ownerId;
      return owner !== undefined && owner !== this.options.ownerId ? 'another' : 'ours';
    } catch {
      return 'unknown';
    }
  }

  private async writeCheckpoint(
    partitionId: string,
    state: PartitionState,
    position: EventPositionRef,
  ): Promise<void> {
    const ctx = state.context;
    try {
      const owner = await this.partitionOwner(partitionId, state);
      if (owner === 'unknown') {
        // Never write without knowing we still own it: the next cadence tries again.
        this.options.logger.warn({ partitionId }, 'ownership could not be read; checkpoint deferred');
        return;
      }
      if (owner === 'another') {
        state.watermark.ownershipLost();
        this.options.metrics?.ownershipChanges.inc({ reason: 'fenced' });
        this.options.logger.info(
          { partitionId },
          'partition owned by another replica; checkpoint not written',
        );
        return;
      }
      await withCheckpointSpan(
        this.options.tracing ?? false,
        { hub: ctx.eventHubName, consumerGroup: ctx.consumerGroup, partitionId },
        () =>
          this.options.checkpointStore.updateCheckpoint({
            fullyQualifiedNamespace: ctx.fullyQualifiedNamespace,
            eventHubName: ctx.eventHubName,
            consumerGroup: ctx.consumerGroup,
            partitionId,
            sequenceNumber: position.sequenceNumber,
            offset: position.offset,
          }),
      );
      state.watermark.markCheckpointed(position, Date.now());
      this.options.metrics?.checkpoints.inc({ partition: partitionId });
      this.options.metrics?.checkpointAge.set({ partition: partitionId }, 0);
      this.options.logger.debug(
        { partitionId, sequenceNumber: position.sequenceNumber },
        'checkpoint written',
      );
    } catch (err) {
      // A failed checkpoint loses nothing (events replay and sinks dedupe); try again next cadence.
      this.options.logger.warn(
        { partitionId, errorCode: errorCodeOf(err), err: describeError(err) },
        'checkpoint write failed',
      );
    }
  }

  private onError(err: Error, ctx: PartitionContext): void {
    const code = (err as { code?: string }).code ?? err.name ?? 'Error';
    this.lastError = { at: Date.now(), code };
    this.options.metrics?.processingErrors.inc({ code });
    // Rebalancing produces "receiver disconnected / higher epoch" errors by design: expected, not alarming.
    const expected = /ReceiverDisconnected|epoch|OwnershipLost/i.test(`${code} ${err.message}`);
    this.options.logger[expected ? 'info' : 'warn'](
      { partitionId: ctx.partitionId, errorCode: code, err: describeError(err) },
      expected ? 'partition handed over' : 'event hubs client error',
    );
  }

  private async onClose(reason: CloseReason, ctx: PartitionContext): Promise<void> {
    try {
      const state = this.partitions.get(ctx.partitionId);
      if (!state) return;
      if (reason === CloseReason.OwnershipLost) {
        // Fence first: a stale owner must never write a checkpoint over the new owner's.
        state.watermark.ownershipLost();
        state.abort.abort();
        this.options.metrics?.ownershipChanges.inc({ reason: 'lost' });
      } else {
        await Promise.all(state.inFlight);
        await this.checkpointSerially(ctx.partitionId, state, true);
        this.options.metrics?.ownershipChanges.inc({ reason: 'released' });
      }
      this.partitions.delete(ctx.partitionId);
      this.options.metrics?.partitionsOwned.set(this.partitions.size);
      this.options.metrics?.lag.remove({ partition: ctx.partitionId });
      this.options.metrics?.pendingEvents.remove({ partition: ctx.partitionId });
      this.options.logger.info({ partitionId: ctx.partitionId, reason }, 'partition closed');
    } catch (err) {
      this.options.logger.error(
        { partitionId: ctx.partitionId, err: describeError(err) },
        'processClose failed',
      );
    }
  }

  /**
   * Drain: stop intake → finish in-flight batches (aborting them at `deadline`) → final checkpoint of every
   * owned partition → close the subscription (releases ownership so peers take over at once). Idempotent.
   */
  stop(deadlineMs: number): Promise<void> {
    this.closing ??= this.drain(deadlineMs);
    return this.closing;
  }

  private async drain(deadlineMs: number): Promise<void> {
    if (this.stateValue === 'idle') {
      this.stateValue = 'stopped';
      return;
    }
    this.stateValue = 'draining';
    const log = this.options.logger;
    const inFlight = [...this.partitions.values()].flatMap((s) => [...s.inFlight]);
    log.info(
      { inFlight: inFlight.length, ownedPartitions: this.ownedPartitions },
      'draining: intake stopped, finishing in-flight batches',
    );
    const abortTimer = setTimeout(
      () => {
        log.warn('drain deadline reached: aborting in-flight batches (their events replay after restart)');
        for (const s of this.partitions.values()) s.abort.abort();
      },
      Math.max(0, deadlineMs),
    );
    await Promise.all(inFlight);
    clearTimeout(abortTimer);
    await Promise.all([...this.partitions.entries()].map(([id, s]) => this.checkpointSerially(id, s, true)));
    log.info('final checkpoints written; releasing partition ownership');
    try {
      await this.subscription?.close();
    } catch (err) {
      log.warn({ err: describeError(err) }, 'subscription close failed');
    }
    this.stateValue = 'stopped';
  }
}
