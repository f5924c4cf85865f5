import { describeError, errorCodeOf, errorKindOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../ops/metrics.js';
import { type BackoffPolicy, backoffDelayMs, sleep } from '../worker/backoff.js';
import type { Finding, FindingSink } from '../worker/ports.js';

/** A required sink refused these findings permanently (poison error): retrying cannot help. */
export interface SinkRejection {
  status: 'rejected';
  sink: string;
  code: string;
  kind: 'poison';
  message: string;
  attempts: number;
}

export type DeliveryResult = 'delivered' | 'aborted' | SinkRejection;

/** Attempts at a batch a required sink rejects as poison before giving up on it (when not configured). */
export const DEFAULT_POISON_ATTEMPTS = 3;

/**
 * Fans findings out to every sink at once. A `required` sink is retried with backoff until it succeeds
 * or the signal aborts (shutdown, ownership lost): that is the backpressure — the batch does not become
 * final, so nothing is checkpointed past it and nothing is lost. Only a poison error (the sink refuses
 * these findings: HTTP 400/413, an oversized event) ends the retries after `poisonAttempts`: the result
 * is a rejection, and the caller dead-letters the events concerned (redrivable once the sink is fixed).
 * A `best-effort` sink gets a bounded number of attempts, then the failure is counted and logged and the
 * batch moves on.
 */
export class SinkSet {
  constructor(
    readonly sinks: readonly FindingSink[],
    private readonly options: {
      requiredBackoff: BackoffPolicy;
      bestEffortBackoff: BackoffPolicy;
      /** Attempts at a batch a required sink rejects with a poison error (default DEFAULT_POISON_ATTEMPTS). */
      poisonAttempts?: number;
      logger: Logger;
      metrics?: WorkerMetrics;
      random?: () => number;
    },
  ) {}

  async deliver(findings: readonly Finding[], signal?: AbortSignal): Promise<DeliveryResult> {
    if (findings.length === 0 || this.sinks.length === 0) return 'delivered';
    const results = await Promise.all(this.sinks.map((sink) => this.deliverTo(sink, findings, signal)));
    if (results.some((r) => r === false)) return 'aborted';
    return results.find((r): r is SinkRejection => typeof r === 'object') ?? 'delivered';
  }

  private async deliverTo(
    sink: FindingSink,
    findings: readonly Finding[],
    signal?: AbortSignal,
  ): Promise<boolean | SinkRejection> {
    const policy = sink.mode === 'required' ? this.options.requiredBackoff : this.options.bestEffortBackoff;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return sink.mode !== 'required';
      try {
        const report = await sink.write(findings, signal);
        const duplicates = Math.min(findings.length, report?.duplicates ?? 0);
        for (const [code, n] of Object.entries(report?.skipped ?? {}))
          this.options.metrics?.sinkSkips.inc({ sink: sink.name, code }, n);
        if (duplicates > 0) this.options.metrics?.dedupHits.inc({ sink: sink.name }, duplicates);
        this.options.metrics?.sinkWrites.inc({ sink: sink.name }, findings.length - duplicates);
        return true;
      } catch (err) {
        this.options.metrics?.sinkErrors.inc({ sink: sink.name });
        const code = errorCodeOf(err);
        if (
          sink.mode === 'required' &&
          errorKindOf(err) === 'poison' &&
          attempt >= (this.options.poisonAttempts ?? DEFAULT_POISON_ATTEMPTS)
        ) {
          this.options.metrics?.sinkRejections.inc({ sink: sink.name, code });
          this.options.logger.error(
            {
              sink: sink.name,
              mode: sink.mode,
              attempt,
              findings: findings.length,
              errorCode: code,
              err: describeError(err),
            },
            'required sink rejected findings permanently; their events will be dead-lettered',
          );
          return {
            status: 'rejected',
            sink: sink.name,
            code,
            kind: 'poison',
            message: `required sink ${sink.name} rejected the findings: ${err instanceof Error ? err.message : String(err)}`,
            attempts: attempt,
          };
        }
        const giveUp = attempt >= policy.maxAttempts;
        this.options.logger.warn(
          {
            sink: sink.name,
            mode: sink.mode,
            attempt,
            findings: findings.length,
            errorCode: code,
            err: describeError(err),
          },
          giveUp && sink.mode === 'best-effort'
            ? 'best-effort sink failed; dropping this batch for it'
            : 'sink write failed; retrying',
        );
        if (giveUp && sink.mode === 'best-effort') return true;
        const retryAfter = (err as { retryAfterMs?: number }).retryAfterMs;
        const waited = await sleep(
          backoffDelayMs(policy, Math.min(attempt, 30), this.options.random, retryAfter),
          signal,
        );
        if (!waited) return sink.mode !== 'required';
      }
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.sinks.map((s) => s.close()));
  }
}
