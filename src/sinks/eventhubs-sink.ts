import type { EventData, EventHubProducerClient } from '@azure/event-hubs';
import { GraphDlpError } from '../errors.js';
import type { Finding, FindingSink, SinkMode } from '../worker/ports.js';

/**
 * Findings to the `findings` event hub as JSON, partition key = the finding's message id so one message's
 * findings land on one partition, in order; `messageId` = finding id so consumers can dedupe (Event Hubs
 * itself cannot: at least once).
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
      for (const [partitionKey, group] of groupByPartitionKey(findings)) {
        await this.send(partitionKey, group, signal);
      }
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

  /** Batches go out in order, all under one partition key (a batch carries a single key). */
  private async send(
    partitionKey: string,
    findings: readonly Finding[],
    signal?: AbortSignal,
  ): Promise<void> {
    const newBatch = () => this.producer.createBatch({ partitionKey, abortSignal: signal });
    let batch = await newBatch();
    for (const f of findings) {
      const event: EventData = {
        body: f,
        contentType: 'application/json',
        messageId: f.id,
        properties: { findingId: f.id, type: f.type },
      };
      if (!batch.tryAdd(event)) {
        if (batch.count === 0) throw tooLarge();
        await this.producer.sendBatch(batch, { abortSignal: signal });
        batch = await newBatch();
        if (!batch.tryAdd(event)) throw tooLarge();
      }
    }
    if (batch.count > 0) await this.producer.sendBatch(batch, { abortSignal: signal });
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}

/** Findings grouped by partition key (message id; the finding id when a finding has none), first-seen order. */
export function groupByPartitionKey(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.messageId !== '' ? f.messageId : f.id;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return groups;
}

function tooLarge(): GraphDlpError {
  return new GraphDlpError(
    'GDLP_SINK_EVENTHUBS_TOO_LARGE',
    'poison',
    'a single finding exceeds the event size limit',
  );
}
