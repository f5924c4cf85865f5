import { describe, expect, it } from 'vitest';
import { classifyWebhookStatus, HttpWebhookSink } from '../../src/sinks/http-sink.js';

describe('HTTP webhook sink error classes', () => {
  it('treats payload rejections as poison, endpoint/auth problems as fatal and throttling/5xx as transient', () => {
    expect(classifyWebhookStatus(400)).toEqual(['GDLP_SINK_HTTP_REJECTED', 'poison']);
    expect(classifyWebhookStatus(413)).toEqual(['GDLP_SINK_HTTP_REJECTED', 'poison']);
    expect(classifyWebhookStatus(422)).toEqual(['GDLP_SINK_HTTP_REJECTED', 'poison']);
    // A wrong URL or credential is not the findings' fault: keep backpressure, dead-letter nothing.
    for (const s of [401, 403, 404, 405, 407])
      expect(classifyWebhookStatus(s)).toEqual(['GDLP_SINK_HTTP_MISCONFIGURED', 'fatal']);
    for (const s of [408, 429, 500, 503])
      expect(classifyWebhookStatus(s)).toEqual(['GDLP_SINK_HTTP_RETRYABLE', 'transient']);
  });

  it('throws the classified error for a webhook answer', async () => {
    const sink = new HttpWebhookSink({
      url: 'http://127.0.0.1:9/hook',
      fetch: (async () => new Response(null, { status: 413 })) as typeof fetch,
    });
    await expect(sink.write([])).rejects.toMatchObject({ code: 'GDLP_SINK_HTTP_REJECTED', kind: 'poison' });
  });
});
