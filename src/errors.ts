/**
 * Coded, classified errors. The `kind` decides what the caller does:
 * - `transient`: retry with backoff (network blips, throttling, a sink that is down);
 * - `poison`: this input will never succeed; dead-letter it and move on;
 * - `fatal`: the process cannot do its job (bad config, lost credentials); stop.
 * Codes are stable strings (`GDLP_<AREA>_<WHAT>`) that tests, metrics and operators can rely on;
 * messages may change wording, codes may not.
 */
export type ErrorKind = 'transient' | 'poison' | 'fatal';

export interface GraphDlpErrorOptions {
  cause?: unknown;
  /** Structured, non-secret context (ids, counts, limits). Never message content or key material. */
  details?: Record<string, unknown>;
}

const BRAND = Symbol.for('graph-dlp.error');

export class GraphDlpError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;
  readonly [BRAND] = true;

  constructor(code: string, kind: ErrorKind, message: string, options: GraphDlpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GraphDlpError';
    this.code = code;
    this.kind = kind;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      kind: this.kind,
      message: this.message,
      details: this.details,
    };
  }
}

/** `instanceof` that also works across duplicated module copies and worker threads' structured clones. */
export function isGraphDlpError(value: unknown): value is GraphDlpError {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as Record<symbol, unknown>)[BRAND] === true ||
      (typeof (value as { code?: unknown }).code === 'string' &&
        typeof (value as { kind?: unknown }).kind === 'string' &&
        String((value as { code: string }).code).startsWith('GDLP_')))
  );
}

/** Classify anything thrown: our coded errors keep their kind; unknown errors are treated as transient. */
export function errorKindOf(err: unknown): ErrorKind {
  return isGraphDlpError(err) ? err.kind : 'transient';
}

export function errorCodeOf(err: unknown): string {
  if (isGraphDlpError(err)) return err.code;
  if (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string') {
    return String((err as { code: string }).code);
  }
  return 'GDLP_UNKNOWN';
}

/** A short, log-safe description of an error: code and message, never the stack of foreign objects. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${errorCodeOf(err)}: ${err.message}`;
  return `${errorCodeOf(err)}: ${String(err)}`;
}
