/** Retry policy for Graph calls: pure delay computation, kept apart from the middleware so it is testable. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 5. */
  maxRetries: number;
  /** First exponential backoff step when Graph sends no Retry-After. Default 1000 ms. */
  baseDelayMs: number;
  /** Cap for one backoff step. Default 30000 ms. */
  maxDelayMs: number;
  /** Cap for an honoured Retry-After (protects against a bogus header). Default 300000 ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/** Statuses Graph documents as "try again later": throttling and service unavailable (plus gateway timeout). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `nowMs`; undefined when absent or malformed. */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Delay before retry number `attempt` (0-based): Retry-After when Graph sent one (capped), otherwise
 * exponential backoff `base * 2^attempt` capped at `maxDelayMs`, with "equal jitter" (half fixed, half random)
 * so replicas throttled together do not retry together. `random` is injected to keep this pure.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (step / 2) * random());
}
