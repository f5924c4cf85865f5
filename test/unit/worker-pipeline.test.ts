import { describe, expect, it } from 'vitest';
import { GraphDlpError } from '../../src/errors.js';
import { createSilentLogger } from '../../src/log.js';
import { WorkerMetrics } from '../../src/ops/metrics.js';
import { SinkSet } from '../../src/sinks/sink-set.js';
import type { EncryptedContent } from '../../src/worker/notification.js';
import { NotificationPipeline, type PipelineDeps, type ReceivedEvent } from '../../src/worker/pipeline.js';
import type { DeadLetterRecord, Finding, FindingSink } from '../../src/worker/ports.js';

// In-memory fakes of the ports: the "ciphertext" is the plaintext JSON, prefixed with OK: when valid.
const fakeDecryptor = {
  calls: 0,
  async decryptBatch(items: readonly EncryptedContent[]) {
    this.calls++;
    return items.map((i) =>
      i.data.startsWith('OK:')
        ? { ok: true as const, resource: JSON.parse(i.data.slice(3)) }
        : { ok: false as const, code: 'GDLP_CRYPTO_SIGNATURE_MISMATCH', reason: 'bad hmac' },
    );
  },
};
const scanner = {
  scanMessage(m: Record<string, unknown>) {
    const text = String((m.body as { content?: string }).content);
    return text.includes('4111')
      ? [
          {
            ruleId: 'pci',
            type: 'credit_card_number',
            severity: 'high',
            count: 1,
            evidence: ['4111********1111'],
            actions: ['alert'],
          },
        ]
      : [];
  },
};
const validator = {
  validateItem(item: { subscriptionId: string; clientState?: string }) {
    return item.subscriptionId === 'sub-1' && item.clientState === 'secret-state'
      ? { ok: true as const }
      : {
          ok: false as const,
          code: 'GDLP_SUBSCRIPTION_FORGED',
          reason: 'unknown subscription or clientState mismatch',
        };
  },
};

function richEvent(
  seq: number,
  text: string,
  opts: { clientState?: string; good?: boolean } = {},
): ReceivedEvent {
  const message = {
    id: `m${seq}`,
    etag: `${seq}`,
    chatId: '19:chat',
    body: { contentType: 'text', content: text },
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
  };
  const body = {
    value: [
      {
        subscriptionId: 'sub-1',
        clientState: opts.clientState ?? 'secret-state',
        tenantId: 'tenant-1',
        changeType: 'created',
        resource: `chats('19:chat')/messages('m${seq}')`,
        encryptedContent: {
          data: `${opts.good === false ? 'BAD:' : 'OK:'}${JSON.stringify(message)}`,
          dataKey: 'k',
          dataSignature: 's',
          encryptionCertificateId: 'c',
          encryptionCertificateThumbprint: 't',
        },
      },
    ],
  };
  return {
    partitionId: '0',
    sequenceNumber: seq,
    offset: String(seq),
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}

class MemorySink implements FindingSink {
  readonly ids = new Set<string>();
  failuresLeft = 0;
  writes = 0;
  constructor(
    readonly name: string,
    readonly mode: 'required' | 'best-effort',
  ) {}
  async write(findings: readonly Finding[]) {
    this.writes++;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('sink down');
    }
    for (const f of findings) this.ids.add(f.id);
  }
  async close() {}
}

function makePipeline(
  sinks: FindingSink[],
  deadLetters: DeadLetterRecord[] = [],
  lifecycle: unknown[] = [],
  overrides: Partial<PipelineDeps> = {},
) {
  const logger = createSilentLogger();
  const fast = { baseMs: 1, maxMs: 2, maxAttempts: 3 };
  return new NotificationPipeline({
    validator,
    lifecycle: { handleLifecycle: async (i) => void lifecycle.push(i) },
    decryptor: fakeDecryptor,
    scanner,
    sinks: new SinkSet(sinks, {
      requiredBackoff: { ...fast, maxAttempts: Number.POSITIVE_INFINITY },
      bestEffortBackoff: fast,
      logger,
    }),
    deadLetters: { write: async (r) => void deadLetters.push(r) },
    logger,
    metrics: new WorkerMetrics(),
    consumerGroup: 'cg',
    eventHubName: 'notifications',
    infraBackoff: fast,
    ...overrides,
  });
}

describe('NotificationPipeline', () => {
  it('turns rich notifications into findings, one per message and rule, with deterministic ids', async () => {
    const sink = new MemorySink('mem', 'required');
    const p = makePipeline([sink]);
    const out = await p.processBatch([
      richEvent(1, 'card 4111 1111 1111 1111'),
      richEvent(2, 'hello'),
      richEvent(3, 'again 4111'),
    ]);
    expect(out).toEqual(['done', 'done', 'done']);
    expect(sink.ids.size).toBe(2);
    const again = new MemorySink('mem2', 'required');
    await makePipeline([again]).processBatch([
      richEvent(1, 'card 4111 1111 1111 1111'),
      richEvent(3, 'again 4111'),
    ]);
    expect([...again.ids]).toEqual([...sink.ids]);
  });

  it('dead-letters garbage, forged and tampered events with raw bytes while the rest flows', async () => {
    const sink = new MemorySink('mem', 'required');
    const dl: DeadLetterRecord[] = [];
    const p = makePipeline([sink], dl);
    const garbage: ReceivedEvent = {
      partitionId: '0',
      sequenceNumber: 2,
      offset: '2',
      body: new TextEncoder().encode('{{nope'),
    };
    const out = await p.processBatch([
      richEvent(1, '4111'),
      garbage,
      richEvent(3, '4111', { clientState: 'guess' }),
      richEvent(4, '4111', { good: false }),
      richEvent(5, '4111'),
    ]);
    expect(out).toEqual(['done', 'deadlettered', 'deadlettered', 'deadlettered', 'done']);
    expect(dl.map((d) => [d.sequenceNumber, d.errorCode])).toEqual([
      [2, 'GDLP_EVENT_NOT_JSON'],
      [3, 'GDLP_SUBSCRIPTION_FORGED'],
      [4, 'GDLP_CRYPTO_SIGNATURE_MISMATCH'],
    ]);
    expect(new TextDecoder().decode(dl[0]!.rawBody)).toBe('{{nope');
    expect(sink.ids.size).toBe(2);
  });

  it('skips validation messages and hands lifecycle items to the subscription manager', async () => {
    const lifecycle: unknown[] = [];
    const p = makePipeline([], [], lifecycle);
    const validation = {
      partitionId: '0',
      sequenceNumber: 1,
      offset: '1',
      body: {
        value: [{ subscriptionId: 'NA', changeType: 'Validation: Testing client application reachability' }],
      },
    };
    const life = {
      partitionId: '0',
      sequenceNumber: 2,
      offset: '2',
      body: {
        value: [
          {
            subscriptionId: 'sub-1',
            clientState: 'secret-state',
            tenantId: 'tenant-1',
            lifecycleEvent: 'reauthorizationRequired',
          },
        ],
      },
    };
    expect(await p.processBatch([validation, life])).toEqual(['done', 'done']);
    expect(lifecycle).toHaveLength(1);
  });

  it('keeps retrying a required sink (backpressure) and reports pending when aborted', async () => {
    const sink = new MemorySink('mem', 'required');
    sink.failuresLeft = Number.POSITIVE_INFINITY;
    const ac = new AbortController();
    const p = makePipeline([sink]);
    const run = p.processBatch([richEvent(1, 'hello'), richEvent(2, '4111')], ac.signal);
    while (sink.writes < 5) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    // Event 1 had no findings (final); event 2's findings never reached the required sink.
    expect(await run).toEqual(['done', 'pending']);
  });

  it('recovers once a required sink comes back, losing nothing', async () => {
    const sink = new MemorySink('mem', 'required');
    sink.failuresLeft = 4;
    const out = await makePipeline([sink]).processBatch([richEvent(1, '4111')]);
    expect(out).toEqual(['done']);
    expect(sink.ids.size).toBe(1);
  });

  it('gives up on a best-effort sink after its bound and moves on', async () => {
    const required = new MemorySink('req', 'required');
    const flaky = new MemorySink('flaky', 'best-effort');
    flaky.failuresLeft = Number.POSITIVE_INFINITY;
    const out = await makePipeline([required, flaky]).processBatch([richEvent(1, '4111')]);
    expect(out).toEqual(['done']);
    expect(flaky.writes).toBe(3);
    expect(required.ids.size).toBe(1);
  });

  it('retries a validation the registry could not answer (transient) instead of dead-lettering the item', async () => {
    const sink = new MemorySink('mem', 'required');
    const dl: DeadLetterRecord[] = [];
    let failuresLeft = 3;
    const flaky = {
      validateItem(item: Parameters<typeof validator.validateItem>[0]) {
        if (failuresLeft-- > 0)
          throw new GraphDlpError(
            'GDLP_SUBSCRIPTIONS_REGISTRY_UNAVAILABLE',
            'transient',
            'registry unreadable',
          );
        return validator.validateItem(item);
      },
    };
    const p = makePipeline([sink], dl, [], { validator: flaky });
    // More failures than infraBackoff.maxAttempts (3): transient validation errors retry until answered.
    expect(await p.processBatch([richEvent(1, '4111')])).toEqual(['done']);
    expect(dl).toEqual([]);
    expect(sink.ids.size).toBe(1);
  });

  it('reports pending, not dead-lettered, when the registry stays unavailable until the signal aborts', async () => {
    const dl: DeadLetterRecord[] = [];
    const down = {
      validateItem(): never {
        throw new GraphDlpError(
          'GDLP_SUBSCRIPTIONS_REGISTRY_UNAVAILABLE',
          'transient',
          'registry unreadable',
        );
      },
    };
    const p = makePipeline([new MemorySink('mem', 'required')], dl, [], { validator: down });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    expect(await p.processBatch([richEvent(1, '4111')], abort.signal)).toEqual(['pending']);
    expect(dl).toEqual([]);
  });

  it('dead-letters an item whose validation fails with a poison error, with its code and kind', async () => {
    const dl: DeadLetterRecord[] = [];
    const broken = {
      validateItem(): never {
        throw new GraphDlpError('GDLP_SUBSCRIPTIONS_ITEM_INVALID', 'poison', 'item cannot be checked');
      },
    };
    const p = makePipeline([new MemorySink('mem', 'required')], dl, [], { validator: broken });
    expect(await p.processBatch([richEvent(1, '4111'), richEvent(2, 'hello')])).toEqual([
      'deadlettered',
      'deadlettered',
    ]);
    expect(dl.map((d) => [d.sequenceNumber, d.errorCode, d.errorKind, d.attemptCount])).toEqual([
      [1, 'GDLP_SUBSCRIPTIONS_ITEM_INVALID', 'poison', 1],
      [2, 'GDLP_SUBSCRIPTIONS_ITEM_INVALID', 'poison', 1],
    ]);
  });

  it('dead-letters an item whose validation throws an uncoded error (a malformed field), instead of retrying forever', async () => {
    const dl: DeadLetterRecord[] = [];
    let calls = 0;
    const crashing = {
      validateItem(): never {
        calls++;
        throw new TypeError('item.tenantId.toLowerCase is not a function');
      },
    };
    const p = makePipeline([new MemorySink('mem', 'required')], dl, [], { validator: crashing });
    expect(await p.processBatch([richEvent(1, '4111')])).toEqual(['deadlettered']);
    expect(calls).toBe(1);
    expect(dl.map((d) => [d.errorCode, d.errorKind])).toEqual([['GDLP_VALIDATION_FAILED', 'poison']]);
  });

  it('dead-letters only the events whose findings a required sink rejects as poison, and delivers the rest', async () => {
    // Rejects (HTTP 400-like, poison) any batch holding a finding of message m2; stores the others.
    class PickySink extends MemorySink {
      attempts = 0;
      override async write(findings: readonly Finding[]) {
        this.attempts++;
        if (findings.some((f) => f.messageId === 'm2'))
          throw new GraphDlpError('GDLP_SINK_HTTP_REJECTED', 'poison', 'webhook answered HTTP 400');
        await super.write(findings);
      }
    }
    const picky = new PickySink('http', 'required');
    const dl: DeadLetterRecord[] = [];
    const out = await makePipeline([picky], dl).processBatch([
      richEvent(1, '4111'),
      richEvent(2, '4111'),
      richEvent(3, '4111'),
    ]);
    expect(out).toEqual(['done', 'deadlettered', 'done']);
    expect(dl).toHaveLength(1);
    expect(dl[0]).toMatchObject({
      sequenceNumber: 2,
      errorCode: 'GDLP_SINK_HTTP_REJECTED',
      errorKind: 'poison',
      attemptCount: 3,
    });
    expect(dl[0]!.message).toContain('webhook answered HTTP 400');
    // Raw bytes kept, so `graph-dlp deadletter redrive` can send the event again once the sink is fixed.
    expect(new TextDecoder().decode(dl[0]!.rawBody)).toContain("messages('m2')");
    expect([...picky.ids].length).toBe(2);
  });

  it('keeps backpressure for transient required-sink errors: no dead-letter, pending when aborted', async () => {
    const sink = new MemorySink('mem', 'required');
    sink.failuresLeft = Number.POSITIVE_INFINITY;
    const dl: DeadLetterRecord[] = [];
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    expect(await makePipeline([sink], dl).processBatch([richEvent(1, '4111')], abort.signal)).toEqual([
      'pending',
    ]);
    expect(dl).toEqual([]);
    expect(sink.writes).toBeGreaterThan(3);
  });

  it('leaves best-effort semantics unchanged for poison errors: dropped after its bound, nothing dead-lettered', async () => {
    const required = new MemorySink('mem', 'required');
    const flaky = {
      name: 'http',
      mode: 'best-effort' as const,
      writes: 0,
      async write() {
        this.writes++;
        throw new GraphDlpError('GDLP_SINK_HTTP_REJECTED', 'poison', 'webhook answered HTTP 413');
      },
      async close() {},
    };
    const dl: DeadLetterRecord[] = [];
    expect(await makePipeline([required, flaky], dl).processBatch([richEvent(1, '4111')])).toEqual(['done']);
    expect(dl).toEqual([]);
    expect(flaky.writes).toBe(3);
    expect(required.ids.size).toBe(1);
  });
});

function basicEvent(
  seq: number,
  opts: { changeType?: string; resource?: string | null; clientState?: string } = {},
): ReceivedEvent {
  const item: Record<string, unknown> = {
    subscriptionId: 'sub-1',
    clientState: opts.clientState ?? 'secret-state',
    tenantId: 'tenant-1',
    changeType: opts.changeType ?? 'created',
    resourceData: { id: `m${seq}`, '@odata.type': '#Microsoft.Graph.chatMessage' },
  };
  if (opts.resource !== null) item.resource = opts.resource ?? `chats('19:chat')/messages('m${seq}')`;
  return {
    partitionId: '0',
    sequenceNumber: seq,
    offset: String(seq),
    body: new TextEncoder().encode(JSON.stringify({ value: [item] })),
  };
}

/** Graph as the fetcher sees it: the messages it still has, by resource; scripted failures first. */
function fakeFetcher(messages: Record<string, string>, failures: Array<GraphDlpError> = []) {
  const calls: string[] = [];
  return {
    calls,
    async fetchMessage(resource: string) {
      calls.push(resource);
      const failure = failures.shift();
      if (failure) throw failure;
      const text = messages[resource];
      if (text === undefined) return undefined;
      return {
        id: resource,
        etag: '1',
        chatId: '19:chat',
        body: { contentType: 'text', content: text },
        lastModifiedDateTime: '2026-01-01T00:00:00Z',
      };
    },
  };
}

describe('NotificationPipeline: notifications without resource data', () => {
  it('fetches the message by its resource and scans it like a decrypted one', async () => {
    const sink = new MemorySink('mem', 'required');
    const fetcher = fakeFetcher({
      "chats('19:chat')/messages('m1')": 'card 4111 1111 1111 1111',
      "chats('19:chat')/messages('m2')": 'lunch at noon',
    });
    const p = makePipeline([sink], [], [], { fetcher });
    const out = await p.processBatch([
      basicEvent(1),
      basicEvent(2),
      richEvent(3, 'also 4111 1111 1111 1111'),
    ]);
    expect(out).toEqual(['done', 'done', 'done']);
    expect(fetcher.calls).toEqual(["chats('19:chat')/messages('m1')", "chats('19:chat')/messages('m2')"]);
    expect(sink.ids.size).toBe(2);
  });

  it('is done with nothing to scan when the message is gone or the change is a deletion', async () => {
    const sink = new MemorySink('mem', 'required');
    const dl: DeadLetterRecord[] = [];
    const fetcher = fakeFetcher({});
    const p = makePipeline([sink], dl, [], { fetcher });
    const out = await p.processBatch([basicEvent(1), basicEvent(2, { changeType: 'deleted' })]);
    expect(out).toEqual(['done', 'done']);
    expect(fetcher.calls).toEqual(["chats('19:chat')/messages('m1')"]);
    expect(dl).toEqual([]);
    expect(sink.writes).toBe(0);
  });

  it('retries throttling and dead-letters a missing permission with its code, keeping the raw event', async () => {
    const sink = new MemorySink('mem', 'required');
    const dl: DeadLetterRecord[] = [];
    const fetcher = fakeFetcher({ "chats('19:chat')/messages('m1')": 'card 4111 1111 1111 1111' }, [
      new GraphDlpError('GDLP_GRAPH_THROTTLED', 'transient', 'GET … 429'),
      new GraphDlpError('GDLP_GRAPH_THROTTLED', 'transient', 'GET … 429'),
    ]);
    const ok = await makePipeline([sink], dl, [], { fetcher }).processBatch([basicEvent(1)]);
    expect(ok).toEqual(['done']);
    expect(fetcher.calls.length).toBe(3);
    expect(sink.ids.size).toBe(1);

    const denied = fakeFetcher({}, [new GraphDlpError('GDLP_GRAPH_FORBIDDEN', 'fatal', 'GET … 403')]);
    const out = await makePipeline([sink], dl, [], { fetcher: denied }).processBatch([basicEvent(2)]);
    expect(out).toEqual(['deadlettered']);
    expect(dl.map((r) => [r.errorCode, r.errorKind, r.itemIndex])).toEqual([
      ['GDLP_GRAPH_FORBIDDEN', 'fatal', 0],
    ]);
    expect(dl[0]?.rawBody.length).toBeGreaterThan(0);
  });

  it('holds the event back (pending) while Graph stays throttled until the signal aborts', async () => {
    const ac = new AbortController();
    const failures = Array.from(
      { length: 1000 },
      () => new GraphDlpError('GDLP_GRAPH_THROTTLED', 'transient', '429'),
    );
    const fetcher = fakeFetcher({}, failures);
    setTimeout(() => ac.abort(), 50);
    const out = await makePipeline([], [], [], { fetcher }).processBatch([basicEvent(1)], ac.signal);
    expect(out).toEqual(['pending']);
  });

  it('dead-letters an item with neither encryptedContent nor resource (payload in blob storage) instead of dropping it', async () => {
    const dl: DeadLetterRecord[] = [];
    const p = makePipeline([], dl, [], { fetcher: fakeFetcher({}) });
    const out = await p.processBatch([basicEvent(1, { resource: null })]);
    expect(out).toEqual(['deadlettered']);
    expect(dl.map((r) => r.errorCode)).toEqual(['GDLP_FETCH_NO_RESOURCE']);
  });

  it('counts and skips them when no fetcher is configured, and never fetches for a forged item', async () => {
    const dl: DeadLetterRecord[] = [];
    const fetcher = fakeFetcher({ "chats('19:chat')/messages('m2')": 'card 4111 1111 1111 1111' });
    expect(await makePipeline([], dl).processBatch([basicEvent(1)])).toEqual(['done']);
    const forged = await makePipeline([], dl, [], { fetcher }).processBatch([
      basicEvent(2, { clientState: 'guess' }),
    ]);
    expect(forged).toEqual(['deadlettered']);
    expect(fetcher.calls).toEqual([]);
  });
});
