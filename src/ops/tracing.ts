import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * OpenTelemetry spans per messaging semconv (design-anchors §5.1): `process <hub>` (CONSUMER) per batch.
 * @opentelemetry/api is a no-op until an SDK registers a provider, so this costs nothing by default.
 */
const tracer = trace.getTracer('graph-dlp');

export async function withProcessSpan<T>(
  enabled: boolean,
  attrs: { hub: string; consumerGroup: string; partitionId: string; count: number },
  fn: () => Promise<T>,
): Promise<T> {
  if (!enabled) return fn();
  return tracer.startActiveSpan(
    `process ${attrs.hub}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'eventhubs',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': attrs.hub,
        'messaging.consumer.group.name': attrs.consumerGroup,
        'messaging.destination.partition.id': attrs.partitionId,
        'messaging.batch.message_count': attrs.count,
      },
    },
    async (span: Span) => {
      try {
        return await fn();
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', (err as { code?: string }).code ?? 'Error');
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** `checkpoint <hub>` CLIENT span (semconv: operation type `settle`, name `checkpoint`). */
export async function withCheckpointSpan<T>(
  enabled: boolean,
  attrs: { hub: string; consumerGroup: string; partitionId: string },
  fn: () => Promise<T>,
): Promise<T> {
  if (!enabled) return fn();
  return tracer.startActiveSpan(
    `checkpoint ${attrs.hub}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'messaging.system': 'eventhubs',
        'messaging.operation.name': 'checkpoint',
        'messaging.operation.type': 'settle',
        'messaging.destination.name': attrs.hub,
        'messaging.consumer.group.name': attrs.consumerGroup,
        'messaging.destination.partition.id': attrs.partitionId,
      },
    },
    async (span: Span) => {
      try {
        return await fn();
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
