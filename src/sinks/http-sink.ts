import { createHmac } from 'node:crypto';
import { GraphDlpError } from '../errors.js';
import { parseRetryAfterMs } from '../worker/backoff.js';
import type { Finding, FindingSink, SinkMode } from '../worker/ports.js';

export const SIGNATURE_HEADER = 'x-graph-dlp-signature';
export const TIMESTAMP_HEADER = 'x-graph-dlp-timestamp';

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`; receivers recompute it and compare in constant time. */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * HTTP webhook: POSTs `{"findings":[...]}` as JSON with an HMAC-SHA256 signature over timestamp and body.
 * 2xx = delivered; 429 and 5xx (and network errors) are transient and retried by the sink set with
 * backoff honouring Retry-After; 401/403/404/405/407 say the webhook itself is misconfigured (fatal: a
 * required sink keeps backpressure until fixed, nothing is dead-lettered for it); other 4xx (400, 413, 422...)
 * reject these findings (poison: a required sink dead-letters their events after its attempts).
 * `Idempotency-Key` is a hash of the finding ids so receivers can dedupe retries and replays.
 */
export class HttpWebhookSink implements FindingSink {
  readonly name = 'http';
  readonly mode: SinkMode;

  constructor(
    private readonly options: {
      url: string;
      secret?: string;
      mode?: SinkMode;
      timeoutMs?: number;
      fetch?: typeof fetch;
    },
  ) {
    this.mode = options.mode ?? 'required';
  }

  async write(findings: readonly Finding[], signal?: AbortSignal): Promise<void> {
    const body = JSON.stringify({ findings });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': createHmac('sha256', 'ids')
        .update(findings.map((f) => f.id).join(','))
        .digest('hex')
        .slice(0, 32),
      [TIMESTAMP_HEADER]: timestamp,
    };
    if (this.options.secret)
      headers[SIGNATURE_HEADER] = signWebhookBody(this.options.secret, timestamp, body);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(this.options.url, {
        method: 'POST',
        headers,
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new GraphDlpError(
        'GDLP_SINK_HTTP_UNREACHABLE',
        'transient',
        `webhook unreachable: ${(err as Error).message}`,
        { cause: err },
      );
    }
    await response.body?.cancel().catch(() => {});
    if (response.ok) return;
    const [code, kind] = classifyWebhookStatus(response.status);
    const error = new GraphDlpError(code, kind, `webhook answered HTTP ${response.status}`, {
      details: { status: response.status },
    });
    (error as GraphDlpError & { retryAfterMs?: number }).retryAfterMs = parseRetryAfterMs(
      response.headers.get('retry-after'),
    );
    throw error;
  }

  async close(): Promise<void> {}
}

/** Error code and kind for a non-2xx webhook answer. */
export function classifyWebhookStatus(
  status: number,
):
  | ['GDLP_SINK_HTTP_RETRYABLE', 'transient']
  | ['GDLP_SINK_HTTP_MISCONFIGURED', 'fatal']
  | ['GDLP_SINK_HTTP_REJECTED', 'poison'] {
  if (status === 429 || status === 408 || status >= 500) return ['GDLP_SINK_HTTP_RETRYABLE', 'transient'];
  if ([401, 403, 404, 405, 407].includes(status)) return ['GDLP_SINK_HTTP_MISCONFIGURED', 'fatal'];
  return ['GDLP_SINK_HTTP_REJECTED', 'poison'];
}
