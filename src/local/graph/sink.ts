import { EventHubProducerClient } from '@azure/event-hubs';
import type { EventHubTarget } from '../../subscriptions/desired.js';

/** Where the simulator's publisher writes what Graph would write into a customer's Event Hub. */
export interface EventSink {
  send(target: EventHubTarget, bodies: string[]): Promise<void>;
  close(): Promise<void>;
}

export interface EventHubsSinkOptions {
  /**
   * One connection string (namespace level, no EntityPath) used for every namespace a notificationUrl names.
   * Local mode: the Event Hubs emulator's; the namespace in `EventHub:https://<ns>/…` is then only a label.
   */
  connectionString?: string;
  /** Per-namespace connection strings (`contoso.servicebus.windows.net` → connection string). */
  connectionStrings?: Record<string, string>;
}

/**
 * Sends with the real `@azure/event-hubs` producer (one client per namespace+hub, created lazily).
 * Graph sets no partition key that anyone has documented, so neither do we: events are spread over partitions.
 */
export function createEventHubsSink(options: EventHubsSinkOptions): EventSink {
  const producers = new Map<string, EventHubProducerClient>();
  const connectionFor = (namespace: string): string => {
    const specific =
      options.connectionStrings?.[namespace.toLowerCase()] ?? options.connectionStrings?.[namespace];
    const cs = specific ?? options.connectionString;
    if (!cs) throw new Error(`no Event Hubs connection string for namespace ${namespace}`);
    return cs;
  };
  return {
    async send(target, bodies) {
      if (bodies.length === 0) return;
      const key = `${target.namespace.toLowerCase()}/${target.hub}`;
      let producer = producers.get(key);
      if (!producer) {
        producer = new EventHubProducerClient(connectionFor(target.namespace), target.hub);
        producers.set(key, producer);
      }
      let batch = await producer.createBatch();
      for (const body of bodies) {
        const event = { body: Buffer.from(body, 'utf8'), contentType: 'application/json' };
        if (!batch.tryAdd(event)) {
          await producer.sendBatch(batch);
          batch = await producer.createBatch();
          if (!batch.tryAdd(event))
            throw new Error(`notification of ${body.length} bytes exceeds the Event Hubs event size limit`);
        }
      }
      if (batch.count > 0) await producer.sendBatch(batch);
    },
    async close() {
      const all = [...producers.values()];
      producers.clear();
      await Promise.allSettled(all.map((p) => p.close()));
    },
  };
}

/** Keeps every sent body in memory (tests, and the simulator without an Event Hub). */
export function createMemorySink(): EventSink & { sent: Array<{ target: EventHubTarget; body: string }> } {
  const sent: Array<{ target: EventHubTarget; body: string }> = [];
  return {
    sent,
    async send(target, bodies) {
      for (const body of bodies) sent.push({ target, body });
    },
    async close() {},
  };
}
