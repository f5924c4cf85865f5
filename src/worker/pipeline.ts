/**
 * The per-batch pipeline: parse → skip validation (counted) → validate against the registry (unknown or
 * forged → dead-letter) → lifecycle to the subscription manager → decrypt (one pool call per batch), or
 * GET the message from Graph for a notification without resource data → DLP → findings → sinks. Returns
 * one outcome per event; `pending` means "not final" (a required sink, the decryptor, Graph or the
 * dead-letter store stayed down until the signal aborted) and holds the checkpoint back.
 * Never throws: every failure is either retried, dead-lettered or reported as pending.
 */
import { describeError, errorCodeOf, errorKindOf, GraphDlpError, isGraphDlpError } from '../errors.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../ops/metrics.js';
import type { SinkRejection, SinkSet } from '../sinks/sink-set.js';
import { type BackoffPolicy, backoffDelayMs, sleep } from './backoff.js';
import { buildFinding } from './finding.js';
import { type ChangeNotificationItem, type EncryptedContent, parseEventBody } from './notification.js';
import type {
  DeadLetterRecord,
  DeadLetterWriter,
  Finding,
  ItemValidator,
  LifecycleHandler,
  MessageFetcher,
  MessageScanner,
  NotificationDecryptor,
  ScanFinding,
} from './ports.js';

export interface ReceivedEvent {
  partitionId: string;
  sequenceNumber: number;
  offset: string;
  enqueuedTimeUtc?: Date;
  body: unknown;
  properties?: Record<string, unknown>;
}

export type EventOutcome = 'done' | 'deadlettered' | 'pending';

/** Message GETs in flight at once per batch for notifications without resource data. */
const FETCH_CONCURRENCY = 4;

/** Outcome of a call to infrastructure retried with backoff: a value, aborted by the signal, or a coded failure. */
type InfraResult<T> =
  | { status: 'ok'; value: T }
  | { status: 'aborted' }
  | { status: 'failed'; code: string; message: string; kind: DeadLetterRecord['errorKind'] };

export interface PipelineDeps {
  validator: ItemValidator;
  lifecycle: LifecycleHandler;
  decryptor: NotificationDecryptor;
  /** Reads the message of a notification without resource data; without it such items are counted and skipped. */
  fetcher?: MessageFetcher;
  scanner: MessageScanner;
  sinks: SinkSet;
  deadLetters: DeadLetterWriter;
  logger: Logger;
  metrics?: WorkerMetrics;
  consumerGroup: string;
  eventHubName: string;
  /** Retries for infrastructure the pipeline needs (decrypt pool, dead-letter store, lifecycle). */
  infraBackoff: BackoffPolicy;
  now?: () => Date;
}

interface ItemRef {
  event: ReceivedEvent;
  eventIndex: number;
  itemIndex: number;
  item: ChangeNotificationItem;
}

export class NotificationPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async processBatch(events: readonly ReceivedEvent[], signal?: AbortSignal): Promise<EventOutcome[]> {
    const outcomes: EventOutcome[] = events.map(() => 'done');
    const eventHasDeadLetter: boolean[] = events.map(() => false);
    const eventHasOk: boolean[] = events.map(() => false);
    const rich: Array<ItemRef & { encrypted: EncryptedContent }> = [];
    const basic: ItemRef[] = [];
    const m = this.deps.metrics;

    const deadLetter = async (
      eventIndex: number,
      code: string,
      message: string,
      itemIndex?: number,
      kind: DeadLetterRecord['errorKind'] = 'poison',
      attempts = 1,
    ) => {
      const ok = await this.deadLetter(events[eventIndex]!, code, message, kind, itemIndex, signal, attempts);
      if (!ok) outcomes[eventIndex] = 'pending';
      else eventHasDeadLetter[eventIndex] = true;
    };

    for (const [eventIndex, event] of events.entries()) {
      const parsed = parseEventBody(event.body);
      if (parsed.kind === 'garbage') {
        m?.notifications.inc({ kind: 'garbage' });
        await deadLetter(eventIndex, parsed.code, parsed.reason);
        continue;
      }
      for (const c of parsed.items) {
        m?.notifications.inc({ kind: c.kind });
        if (c.kind === 'validation') {
          m?.validationSkipped.inc();
          eventHasOk[eventIndex] = true;
          continue;
        }
        if (c.kind === 'invalid') {
          await deadLetter(eventIndex, c.code, c.reason, c.index);
          continue;
        }
        // The registry may be briefly unreadable (transient): retry until it answers or the signal aborts
        // (then the event stays pending); only a verdict or a poison/fatal error dead-letters the item.
        const checked = await this.withInfraRetry(
          'validate',
          async () => {
            try {
              return await this.deps.validator.validateItem(c.item);
            } catch (err) {
              // Only a coded transient error (registry unreadable) is worth retrying; anything else thrown
              // while checking an item is about this item (say a tenantId that is not a string): poison.
              if (isGraphDlpError(err)) throw err;
              throw new GraphDlpError(
                'GDLP_VALIDATION_FAILED',
                'poison',
                `item could not be validated: ${describeError(err)}`,
                {
                  cause: err,
                },
              );
            }
          },
          signal,
          Number.POSITIVE_INFINITY,
        );
        if (checked.status === 'aborted') {
          outcomes[eventIndex] = 'pending';
          continue;
        }
        if (checked.status === 'failed') {
          await deadLetter(eventIndex, checked.code, checked.message, c.index, checked.kind);
          continue;
        }
        const verdict = checked.value;
        if (!verdict.ok) {
          await deadLetter(eventIndex, verdict.code, verdict.reason, c.index);
          continue;
        }
        this.observeExpiry(c.item);
        if (c.kind === 'lifecycle') {
          m?.lifecycleEvents.inc({ event: c.lifecycleEvent });
          const handled = await this.withInfraRetry(
            'lifecycle',
            () => this.deps.lifecycle.handleLifecycle(c.item),
            signal,
          );
          if (handled.status === 'aborted') outcomes[eventIndex] = 'pending';
          else if (handled.status === 'failed')
            await deadLetter(eventIndex, handled.code, handled.message, c.index, handled.kind);
          else eventHasOk[eventIndex] = true;
          continue;
        }
        if (c.kind === 'basic') {
          if (this.deps.fetcher === undefined || c.item.changeType === 'deleted') {
            // Nothing to read: fetching is switched off, or the message is gone (a deletion).
            m?.basicFetches.inc({ outcome: this.deps.fetcher === undefined ? 'disabled' : 'deleted' });
            eventHasOk[eventIndex] = true;
          } else if (typeof c.item.resource !== 'string' || c.item.resource === '') {
            // Oversized notifications (`additionalPayloadStorageId`, payload in a blob) carry no resource:
            // keep the raw event in the dead-letter store rather than drop it.
            m?.basicFetches.inc({ outcome: 'failed' });
            await deadLetter(
              eventIndex,
              'GDLP_FETCH_NO_RESOURCE',
              'notification has neither encryptedContent nor a resource to fetch (payload in blob storage?)',
              c.index,
            );
          } else {
            basic.push({ event, eventIndex, itemIndex: c.index, item: c.item });
          }
          continue;
        }
        rich.push({
          event,
          eventIndex,
          itemIndex: c.index,
          item: c.item,
          encrypted: c.item.encryptedContent,
        });
      }
    }

    /** Messages to scan: decrypted rich notifications and fetched basic ones. */
    const resolved: Array<{ ref: ItemRef; message: Record<string, unknown> }> = [];
    if (rich.length > 0) {
      const decrypted = await this.withInfraRetry(
        'decrypt',
        () => this.deps.decryptor.decryptBatch(rich.map((r) => r.encrypted)),
        signal,
        Number.POSITIVE_INFINITY,
      );
      if (decrypted.status !== 'ok') {
        // The decryptor itself is unavailable (not a bad notification): hold these events back.
        for (const r of rich) outcomes[r.eventIndex] = 'pending';
        for (const b of basic) outcomes[b.eventIndex] = 'pending';
        this.deps.logger.error(
          { status: decrypted.status, errorCode: decrypted.status === 'failed' ? decrypted.code : undefined },
          'decryptor unavailable; batch held back',
        );
        return this.finalise(outcomes, eventHasDeadLetter, eventHasOk);
      }
      for (const [i, r] of rich.entries()) {
        const d = decrypted.value[i];
        if (d === undefined || !d.ok) {
          const code = d?.code ?? 'GDLP_DECRYPT_MISSING_RESULT';
          m?.decryptFailures.inc({ reason: code });
          await deadLetter(r.eventIndex, code, d?.reason ?? 'decryptor returned no result');
          continue;
        }
        resolved.push({ ref: r, message: d.resource });
      }
    }
    if (basic.length > 0) await this.fetchBasic(basic, resolved, outcomes, eventHasOk, deadLetter, signal);

    const findings: Finding[] = [];
    /** Event index of each finding (same order as `findings`). */
    const findingEventOf: number[] = [];
    const findingEvents = new Set<number>();
    for (const { ref: r, message } of resolved) {
      let scanned: Awaited<ReturnType<MessageScanner['scanMessage']>>;
      try {
        scanned = await this.deps.scanner.scanMessage(message);
      } catch (err) {
        await deadLetter(
          r.eventIndex,
          errorCodeOf(err) === 'GDLP_UNKNOWN' ? 'GDLP_DLP_SCAN_FAILED' : errorCodeOf(err),
          describeError(err),
          r.itemIndex,
        );
        continue;
      }
      eventHasOk[r.eventIndex] = true;
      for (const f of scanned) {
        findings.push(this.toFinding(r, message, f));
        findingEventOf.push(r.eventIndex);
        findingEvents.add(r.eventIndex);
      }
    }

    if (findings.length > 0) {
      const delivered = await this.deps.sinks.deliver(findings, signal);
      if (delivered === 'delivered') {
        for (const f of findings) m?.findings.inc({ type: f.type, severity: f.severity ?? 'unknown' });
      } else if (delivered === 'aborted') {
        for (const i of findingEvents) outcomes[i] = 'pending';
      } else if (findingEvents.size === 1) {
        const [i] = findingEvents;
        await this.deadLetterRejected(i!, delivered, deadLetter, eventHasOk);
      } else {
        // One event's findings poisoned the batch: deliver event by event so only the culprits are
        // dead-lettered (sinks are idempotent by finding id, so repeats of delivered findings are harmless).
        for (const i of findingEvents) {
          const own = findings.filter((_, k) => findingEventOf[k] === i);
          const result = await this.deps.sinks.deliver(own, signal);
          if (result === 'delivered')
            for (const f of own) m?.findings.inc({ type: f.type, severity: f.severity ?? 'unknown' });
          else if (result === 'aborted') outcomes[i] = 'pending';
          else await this.deadLetterRejected(i, result, deadLetter, eventHasOk);
        }
      }
    }
    const nowMs = (this.deps.now?.() ?? new Date()).getTime();
    for (const [i, e] of events.entries()) {
      if (outcomes[i] !== 'pending' && e.enqueuedTimeUtc)
        m?.enqueueToProcess.observe(Math.max(0, nowMs - e.enqueuedTimeUtc.getTime()) / 1000);
    }
    return this.finalise(outcomes, eventHasDeadLetter, eventHasOk);
  }

  /**
   * GETs the messages of notifications without resource data, a few at a time. Transient Graph failures
   * (429, 5xx, network) are retried with backoff until the signal aborts (the event stays pending); a
   * message deleted since is done with nothing to scan; other failures (403: permission missing) dead-letter
   * the item so it can be redriven once fixed.
   */
  private async fetchBasic(
    basic: readonly ItemRef[],
    resolved: Array<{ ref: ItemRef; message: Record<string, unknown> }>,
    outcomes: EventOutcome[],
    eventHasOk: boolean[],
    deadLetter: (
      eventIndex: number,
      code: string,
      message: string,
      itemIndex?: number,
      kind?: DeadLetterRecord['errorKind'],
    ) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<void> {
    const fetcher = this.deps.fetcher as MessageFetcher;
    const m = this.deps.metrics;
    const results: Array<InfraResult<Record<string, unknown> | undefined>> = new Array(basic.length);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < basic.length; i = next++) {
        const ref = basic[i] as ItemRef;
        results[i] = await this.withInfraRetry(
          'fetch',
          () => fetcher.fetchMessage(ref.item.resource as string, signal),
          signal,
          Number.POSITIVE_INFINITY,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(basic.length, FETCH_CONCURRENCY) }, lane));
    // Results are applied in input order, so findings keep the order of the batch.
    for (const [i, ref] of basic.entries()) {
      const r = results[i]!;
      if (r.status === 'aborted') {
        outcomes[ref.eventIndex] = 'pending';
      } else if (r.status === 'failed') {
        m?.basicFetches.inc({ outcome: 'failed' });
        await deadLetter(ref.eventIndex, r.code, r.message, ref.itemIndex, r.kind);
      } else if (r.value === undefined) {
        m?.basicFetches.inc({ outcome: 'gone' });
        eventHasOk[ref.eventIndex] = true;
      } else {
        m?.basicFetches.inc({ outcome: 'fetched' });
        resolved.push({ ref, message: r.value });
      }
    }
  }

  /** A required sink refused this event's findings for good: dead-letter the event with the sink's error. */
  private async deadLetterRejected(
    eventIndex: number,
    rejection: SinkRejection,
    deadLetter: (
      eventIndex: number,
      code: string,
      message: string,
      itemIndex: number | undefined,
      kind: DeadLetterRecord['errorKind'],
      attempts: number,
    ) => Promise<void>,
    eventHasOk: boolean[],
  ): Promise<void> {
    await deadLetter(
      eventIndex,
      rejection.code,
      rejection.message,
      undefined,
      rejection.kind,
      rejection.attempts,
    );
    // None of its findings reached that sink: the event as a whole is dead-lettered, not done.
    eventHasOk[eventIndex] = false;
  }

  private finalise(outcomes: EventOutcome[], hasDeadLetter: boolean[], hasOk: boolean[]): EventOutcome[] {
    return outcomes.map((o, i) =>
      o === 'pending' ? 'pending' : hasDeadLetter[i] && !hasOk[i] ? 'deadlettered' : 'done',
    );
  }

  private toFinding(ref: ItemRef, message: Record<string, unknown>, f: ScanFinding): Finding {
    return buildFinding(message, f, {
      tenantId: typeof ref.item.tenantId === 'string' ? ref.item.tenantId : '',
      subscriptionId: ref.item.subscriptionId,
      changeType: ref.item.changeType ?? 'unknown',
      resource: ref.item.resource,
      fallbackMessageId: ref.item.resourceData?.id,
      partitionId: ref.event.partitionId,
      sequenceNumber: ref.event.sequenceNumber,
      enqueuedTime: ref.event.enqueuedTimeUtc?.toISOString(),
      detectedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    });
  }

  private observeExpiry(item: ChangeNotificationItem): void {
    const exp = item.subscriptionExpirationDateTime
      ? Date.parse(item.subscriptionExpirationDateTime)
      : Number.NaN;
    if (!Number.isFinite(exp) || !this.deps.metrics) return;
    const resource = typeof item.resource === 'string' ? resourceKind(item.resource) : 'unknown';
    this.deps.metrics.subscriptionSecondsToExpiry.set(
      { resource },
      (exp - (this.deps.now?.() ?? new Date()).getTime()) / 1000,
    );
  }

  /** Retries transient failures of infrastructure with backoff (up to `maxAttempts`, or until the signal aborts); poison/fatal errors come back as a dead-letter reason. */
  private async withInfraRetry<T>(
    what: string,
    fn: () => Promise<T>,
    signal?: AbortSignal,
    maxAttempts = this.deps.infraBackoff.maxAttempts,
  ): Promise<InfraResult<T>> {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return { status: 'aborted' };
      try {
        return { status: 'ok', value: await fn() };
      } catch (err) {
        const kind = errorKindOf(err);
        if (kind !== 'transient' || attempt >= maxAttempts) {
          return { status: 'failed', code: errorCodeOf(err), message: describeError(err), kind };
        }
        this.deps.logger.warn(
          { stage: what, attempt, errorCode: errorCodeOf(err) },
          `${what} failed; retrying`,
        );
        if (!(await sleep(backoffDelayMs(this.deps.infraBackoff, Math.min(attempt, 30)), signal)))
          return { status: 'aborted' };
      }
    }
  }

  /** Writes a dead-letter record, retrying until it is stored or the signal aborts (then the event stays pending). */
  private async deadLetter(
    event: ReceivedEvent,
    code: string,
    message: string,
    kind: DeadLetterRecord['errorKind'],
    itemIndex: number | undefined,
    signal?: AbortSignal,
    previousAttempts = 1,
  ): Promise<boolean> {
    const record: DeadLetterRecord = {
      partitionId: event.partitionId,
      sequenceNumber: event.sequenceNumber,
      offset: event.offset,
      enqueuedTime: event.enqueuedTimeUtc?.toISOString(),
      itemIndex,
      errorCode: code,
      errorKind: kind,
      message,
      attemptCount: 1,
      consumerGroup: this.deps.consumerGroup,
      eventHubName: this.deps.eventHubName,
      rawBody: rawBytes(event.body),
      properties: event.properties,
      deadLetteredAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return false;
      try {
        await this.deps.deadLetters.write({ ...record, attemptCount: previousAttempts + attempt - 1 });
        this.deps.metrics?.deadLetters.inc({ reason: code });
        this.deps.logger.warn(
          {
            partitionId: event.partitionId,
            sequenceNumber: event.sequenceNumber,
            itemIndex,
            errorCode: code,
          },
          'event dead-lettered',
        );
        return true;
      } catch (err) {
        this.deps.logger.error(
          { attempt, errorCode: errorCodeOf(err), err: describeError(err) },
          'dead-letter store write failed; retrying',
        );
        if (
          !(await sleep(
            backoffDelayMs(
              { ...this.deps.infraBackoff, maxAttempts: Number.POSITIVE_INFINITY },
              Math.min(attempt, 30),
            ),
            signal,
          ))
        )
          return false;
      }
    }
  }
}

function resourceKind(resource: string): string {
  if (resource.startsWith('chats')) return 'chats';
  if (resource.startsWith('teams')) return 'teams';
  return 'other';
}

export function rawBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  try {
    return new TextEncoder().encode(JSON.stringify(body) ?? '');
  } catch {
    return new Uint8Array();
  }
}
