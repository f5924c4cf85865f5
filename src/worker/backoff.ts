/** Retry schedule: exponential with full jitter, capped, bounded attempts. Pure (random injected). */
export interface BackoffPolicy {
  /** First delay before jitter, ms. */
  baseMs: number;
  /** Cap for any single delay, ms. */
  maxMs: number;
  /** Attempts before giving up (including the first). `Infinity` = until aborted (required sinks). */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, maxMs: 10_000, maxAttempts: 5 };

/**
 * Delay before attempt `attempt + 1` after `attempt` failures (attempt ≥ 1). Full jitter (AWS architecture
 * blog) spreads retries of many replicas; a server's Retry-After wins when it is longer.
 */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(exp / 2 + random() * (exp / 2));
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > jittered)
    return Math.min(retryAfterMs, Math.max(policy.maxMs, 60_000));
  return jittered;
}

export function shouldRetry(policy: BackoffPolicy, attempt: number): boolean {
  return attempt < policy.maxAttempts;
}

/** Parses an HTTP Retry-After value (seconds or HTTP date) into ms; undefined when absent or unparsable. */
export function parseRetryAfterMs(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Sleeps `ms` unless `signal` aborts first; resolves false when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
