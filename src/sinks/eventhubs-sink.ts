import type { EventData, EventHubProducerClient } from '@azure/event-hubs';
import { GraphDlpError } from '../errors.js';
import type { Finding, FindingSink, SinkMode } from '../worker/ports.js';

/**
 * Findings to the `findings` event hub as JSON, partition key = message key so one message's findings
 * stay in order, `messageId` = finding id so consumers can dedupe (Event Hubs itself cannot: at least once).
 */
export class EventHubsSink implements FindingSink {
  readonly name = 'eventhubs';
  readonly mode: SinkMode;

  constructor(
    private readonly producer: EventHubProducerClient,
    options: { mode?: SinkMode } = {},
  ) {
    this.mode = options.mode ?? 'required';
  }

  async write(findings: readonly Finding[], signal?: AbortSignal): Promise<void> {
    try {
      let batch = await this.producer.createBatch({ abortSignal: signal });
      for (const f of findings) {
        const event: EventData = {
          body: f,
          contentType: 'application/json',
          messageId: f.id,
          properties: { findingId: f.id, type: f.type },
        };
        if (!batch.tryAdd(event)) {
          if (batch.count === 0)
            throw new GraphDlpError(
              'GDLP_SINK_EVENTHUBS_TOO_LARGE',
              'poison',
              'a single finding exceeds the event size limit',
            );
          await this.producer.sendBatch(batch, { abortSignal: signal });
          batch = await this.producer.createBatch({ abortSignal: signal });
          if (!batch.tryAdd(event))
            throw new GraphDlpError(
              'GDLP_SINK_EVENTHUBS_TOO_LARGE',
              'poison',
              'a single finding exceeds the event size limit',
            );
        }
      }
      if (batch.count > 0) await this.producer.sendBatch(batch, { abortSignal: signal });
    } catch (err) {
      if (err instanceof GraphDlpError) throw err;
      throw new GraphDlpError(
        'GDLP_SINK_EVENTHUBS_SEND',
        'transient',
        `findings hub send failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
