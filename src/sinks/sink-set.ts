import { describeError, errorCodeOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { WorkerMetrics } from '../ops/metrics.js';
import { type BackoffPolicy, backoffDelayMs, sleep } from '../worker/backoff.js';
import type { Finding, FindingSink } from '../worker/ports.js';

export type DeliveryResult = 'delivered' | 'aborted';

/**
 * Fans findings out to every sink at once. A `required` sink is retried with backoff until it succeeds
 * or the signal aborts (shutdown, ownership lost): that is the backpressure — the batch does not become
 * final, so nothing is checkpointed past it and nothing is lost. A `best-effort` sink gets a bounded
 * number of attempts, then the failure is counted and logged and the batch moves on.
 */
export class SinkSet {
  constructor(
    readonly sinks: readonly FindingSink[],
    private readonly options: {
      requiredBackoff: BackoffPolicy;
      bestEffortBackoff: BackoffPolicy;
      logger: Logger;
      metrics?: WorkerMetrics;
      random?: () => number;
    },
  ) {}

  async deliver(findings: readonly Finding[], signal?: AbortSignal): Promise<DeliveryResult> {
    if (findings.length === 0 || this.sinks.length === 0) return 'delivered';
    const results = await Promise.all(this.sinks.map((sink) => this.deliverTo(sink, findings, signal)));
    return results.every((r) => r) ? 'delivered' : 'aborted';
  }

  private async deliverTo(
    sink: FindingSink,
    findings: readonly Finding[],
    signal?: AbortSignal,
  ): Promise<boolean> {
    const policy = sink.mode === 'required' ? this.options.requiredBackoff : this.options.bestEffortBackoff;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return sink.mode !== 'required';
      try {
        const duplicatesBefore = sink.duplicatesSkipped ?? 0;
        await sink.write(findings, signal);
        const duplicates = (sink.duplicatesSkipped ?? 0) - duplicatesBefore;
        if (duplicates > 0) this.options.metrics?.dedupHits.inc({ sink: sink.name }, duplicates);
        this.options.metrics?.sinkWrites.inc({ sink: sink.name }, findings.length - duplicates);
        return true;
      } catch (err) {
        this.options.metrics?.sinkErrors.inc({ sink: sink.name });
        const giveUp = attempt >= policy.maxAttempts;
        this.options.logger.warn(
          {
            sink: sink.name,
            mode: sink.mode,
            attempt,
            findings: findings.length,
            errorCode: errorCodeOf(err),
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
