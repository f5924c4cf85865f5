import {
  context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { withProcessSpan } from '../../src/ops/tracing.js';

// A minimal recording provider through the public API (no SDK installed): enough to observe our spans.
const recorded: Array<{ name: string; options: SpanOptions; ended: boolean }> = [];
const tracer: Tracer = {
  startSpan(name, options = {}) {
    const entry = { name, options, ended: false };
    recorded.push(entry);
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
    return Object.assign(Object.create(span) as Span, {
      end: () => {
        entry.ended = true;
      },
      setStatus: () => span,
      setAttribute: () => span,
    });
  },
  startActiveSpan(name: string, ...rest: unknown[]) {
    const fn = rest[rest.length - 1] as (s: Span) => unknown;
    const options = (rest.length > 1 ? rest[0] : {}) as SpanOptions;
    const span = this.startSpan(name, options);
    return context.with(trace.setSpan(context.active(), span), () => fn(span));
  },
} as Tracer;
const provider: TracerProvider = { getTracer: () => tracer };

describe('OpenTelemetry spans', () => {
  afterAll(() => trace.disable());

  it('is a no-op without a registered provider and emits a semconv process span once one is registered', async () => {
    await withProcessSpan(
      true,
      { hub: 'notifications', consumerGroup: 'cg', partitionId: '3', count: 5 },
      async () => 1,
    );
    expect(recorded).toHaveLength(0);
    trace.setGlobalTracerProvider(provider);
    const result = await withProcessSpan(
      true,
      { hub: 'notifications', consumerGroup: 'cg', partitionId: '3', count: 5 },
      async () => 42,
    );
    expect(result).toBe(42);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.name).toBe('process notifications');
    expect(recorded[0]!.ended).toBe(true);
    expect(recorded[0]!.options.attributes).toMatchObject({
      'messaging.system': 'eventhubs',
      'messaging.consumer.group.name': 'cg',
      'messaging.destination.partition.id': '3',
      'messaging.batch.message_count': 5,
    });
    await withProcessSpan(
      false,
      { hub: 'notifications', consumerGroup: 'cg', partitionId: '3', count: 5 },
      async () => 1,
    );
    expect(recorded).toHaveLength(1);
  });
});
