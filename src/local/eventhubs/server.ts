/**
 * The AMQP shell: a rhea container speaking the Event Hubs dialect of AMQP 1.0 on a plain-TCP
 * loopback listener (eventhubs-amqp.md §§1-7). All state (partition logs, receiver registrations) lives
 * here, shared by every connection, so app processes coordinate through it exactly as through the service.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import rhea from 'rhea';
import type { Logger } from '../../log.js';
import { BATCH_MESSAGE_FORMAT, encodeRuntimeInfo, partitionKeyOf, splitBatchEnvelope } from './amqpBytes.js';
import type { EmulatorEntities, HubConfig } from './config.js';
import {
  FilterError,
  parseSelectorFilter,
  SELECTOR_FILTER_KEY,
  type StartPosition,
  selectorFromSourceFilter,
} from './filter.js';
import { partitionIndexForKey } from './partitionKey.js';
import type { PartitionLog } from './partitionLog.js';
import { decideAdmission } from './receiverRegistry.js';
import { checkSasToken, type SasKey } from './sas.js';
import { type AmqpError, MAX_MESSAGE_SIZE, serviceErrors } from './serviceErrors.js';

// rhea's typings are loose and partly wrong for server-side use; the shell narrows what it touches.
// biome-ignore lint/suspicious/noExplicitAny: rhea objects
type Any = any;

const RUNTIME_METRIC_CAPABILITY = 'com.microsoft:enable-receiver-runtime-metric';
const SELECTOR_DESCRIPTOR = 0x0000468c00000004;
/** Upper bound of deliveries queued per pump turn, so one fast reader cannot starve the event loop. */
const PUMP_BUDGET = 512;

export interface HubState {
  config: HubConfig;
  createdAt: Date;
  partitionIds: string[];
  partitions: PartitionLog[];
  roundRobin: number;
}

interface ConnectionState {
  id: string;
  replyLinks: Map<string, Any>;
  readers: Set<ReaderLink>;
  /** Producer links (ours are receivers) → the partition they target, or undefined for the hub link. */
  producers: Map<Any, { hub: HubState; partition: number | undefined }>;
  socket: Socket;
  /** Since when the connection has had no producer or receiver link (for the optional inactivity close). */
  idleSince: number | undefined;
}

export interface ReceiverMetrics {
  hub: string;
  consumerGroup: string;
  partitionId: string;
  receiverName: string | undefined;
  epoch: number | undefined;
  nextSequenceNumber: number;
  delivered: number;
  connectionId: string;
}

export interface EmulatorStats {
  connections: number;
  receivers: ReceiverMetrics[];
  eventsIngested: number;
  eventsDelivered: number;
  batchesRejected: number;
}

class ReaderLink {
  delivered = 0;
  private queued = 0;
  private scheduled = false;
  closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    readonly sender: Any,
    readonly log: PartitionLog,
    readonly key: string,
    readonly consumerGroup: string,
    readonly receiverName: string | undefined,
    readonly epoch: number | undefined,
    public nextSequenceNumber: number,
    readonly runtimeMetric: boolean,
    readonly conn: ConnectionState,
    private readonly onDelivered: (n: number) => void,
  ) {
    this.unsubscribe = log.onAppend(() => this.schedule());
  }

  schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Send retained events from `nextSequenceNumber` while the client has granted credit. */
  pump(): void {
    if (this.closed) return;
    const sender = this.sender;
    if (!sender.is_open()) return;
    // rhea counts credit only for transfers it has written; deliveries we queued this turn are not yet counted.
    const credit = sender.credit - (this.queued - sender.delivery_count);
    const room = sender.session.outgoing.available();
    let allowed = Math.min(credit, room, PUMP_BUDGET);
    if (allowed <= 0) {
      // Credit but a full session buffer: rhea raises no event when it drains, so look again shortly.
      if (credit > 0 && this.nextSequenceNumber < this.log.nextSequenceNumber) this.retryLater();
      return;
    }
    const log = this.log;
    if (this.nextSequenceNumber < log.beginSequenceNumber) this.nextSequenceNumber = log.beginSequenceNumber;
    let runtimeInfo: Buffer | undefined;
    if (this.runtimeMetric && this.nextSequenceNumber < log.nextSequenceNumber) {
      const last = log.lastEnqueued();
      runtimeInfo = encodeRuntimeInfo({
        lastSequenceNumber: last.sequenceNumber,
        lastOffset: last.offset,
        lastEnqueuedMs: last.enqueuedMs,
        retrievedMs: Date.now(),
      });
    }
    let sent = 0;
    while (allowed > 0) {
      const event = log.at(this.nextSequenceNumber);
      if (!event) break;
      const payload = runtimeInfo
        ? Buffer.concat([
            event.wire.subarray(0, event.headerEnd),
            runtimeInfo,
            event.wire.subarray(event.headerEnd),
          ])
        : event.wire;
      // Pre-settled: Event Hubs has no redelivery, and it halves the frames on the wire.
      const delivery = sender.send(payload, undefined, 0);
      delivery.settled = true;
      this.queued++;
      this.nextSequenceNumber++;
      allowed--;
      sent++;
    }
    if (sent > 0) {
      this.delivered += sent;
      this.onDelivered(sent);
      // More may be retained than this turn's budget allowed: continue on a later turn.
      if (this.nextSequenceNumber < log.nextSequenceNumber) this.schedule();
    }
  }

  private retryLater(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.pump();
    }, 2);
  }

  close(error?: AmqpError): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    if (error && this.sender.is_open()) this.sender.close(error);
  }
}

export interface AmqpServerOptions {
  entities: EmulatorEntities;
  dataDir?: string;
  retentionMs: number;
  logger: Logger;
  /** When set, put-token must carry a SAS token signed with this key (else 401 amqp:unauthorized-access). */
  sasKey?: SasKey;
  /** Namespace ingress budget in events/s (1 TU = 1000); sends beyond it get `com.microsoft:server-busy`. Default: none. */
  ingressEventsPerSecond?: number;
  /** Close connections that have had no producer/receiver link for this long. Default: never. */
  idleConnectionTimeoutMs?: number;
}

export class EventHubsAmqpServer {
  readonly hubs = new Map<string, HubState>();
  private readonly container: Any;
  private readonly server: Server;
  private readonly connections = new Map<Any, ConnectionState>();
  private readonly readers = new Map<string, ReaderLink[]>();
  private retentionTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly logger: Logger;
  private readonly namespace: string;
  private ingested = 0;
  private deliveredTotal = 0;
  private rejected = 0;
  /** Token bucket for the optional ingress throttle (one second of burst, like a TU's per-second budget). */
  private ingressTokens = 0;
  private ingressRefilledAt = Date.now();

  constructor(
    private readonly options: AmqpServerOptions,
    hubs: Map<string, HubState>,
  ) {
    this.logger = options.logger;
    this.ingressTokens = options.ingressEventsPerSecond ?? 0;
    this.namespace = options.entities.namespace;
    for (const [k, v] of hubs) this.hubs.set(k, v);
    const container = rhea.create_container({ id: `eventhubs-emulator-${randomUUID()}` }) as Any;
    container.sasl_server_mechanisms.enable_anonymous();
    // Other-language clients use PLAIN (or an MSSBCBS alias); tokens are checked on $cbs, not here.
    container.sasl_server_mechanisms.enable_plain(() => true);
    container.sasl_server_mechanisms.MSSBCBS = container.sasl_server_mechanisms.ANONYMOUS;
    this.container = container;
    this.wire(container);
    this.server = createServer((socket) => this.accept(socket));
    const sweepEveryMs = Math.max(1000, Math.min(60_000, Math.floor(options.retentionMs / 10)));
    this.retentionTimer = setInterval(() => this.applyRetention(), sweepEveryMs);
    this.retentionTimer.unref();
    if (options.idleConnectionTimeoutMs !== undefined) {
      const every = Math.max(50, Math.min(10_000, Math.floor(options.idleConnectionTimeoutMs / 4)));
      this.idleTimer = setInterval(
        () => this.closeIdleConnections(options.idleConnectionTimeoutMs as number),
        every,
      );
      this.idleTimer.unref();
    }
  }

  /** The service closes connections without entity links after 300 000 ms with `amqp:connection:forced`. */
  private closeIdleConnections(limitMs: number, nowMs = Date.now()): void {
    for (const [connection, state] of this.connections) {
      if (state.readers.size > 0 || state.producers.size > 0) {
        state.idleSince = undefined;
        continue;
      }
      state.idleSince ??= nowMs;
      if (nowMs - state.idleSince >= limitMs) {
        this.logger.debug({ connection: state.id }, 'closing inactive connection');
        state.idleSince = Number.POSITIVE_INFINITY;
        try {
          connection.close(serviceErrors.connectionInactive(limitMs));
        } catch {
          // already closing
        }
      }
    }
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  /** Drop events older than the retention window from every partition. */
  applyRetention(nowMs = Date.now()): number {
    let dropped = 0;
    const cutoff = nowMs - this.options.retentionMs;
    for (const hub of this.hubs.values()) for (const p of hub.partitions) dropped += p.trimBefore(cutoff);
    return dropped;
  }

  stats(): EmulatorStats {
    const receivers: ReceiverMetrics[] = [];
    for (const list of this.readers.values()) {
      for (const r of list) {
        receivers.push({
          hub: r.log.hub,
          consumerGroup: r.consumerGroup,
          partitionId: r.log.partitionId,
          receiverName: r.receiverName,
          epoch: r.epoch,
          nextSequenceNumber: r.nextSequenceNumber,
          delivered: r.delivered,
          connectionId: r.conn.id,
        });
      }
    }
    return {
      connections: this.connections.size,
      receivers,
      eventsIngested: this.ingested,
      eventsDelivered: this.deliveredTotal,
      batchesRejected: this.rejected,
    };
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const connection = this.container.create_connection({
      id: `conn-${randomUUID()}`,
      max_frame_size: 65536,
      channel_max: 4999,
      idle_time_out: 240_000,
      autoaccept: false,
      credit_window: 1000,
    });
    const state: ConnectionState = {
      id: connection.options.id,
      replyLinks: new Map(),
      readers: new Set(),
      producers: new Map(),
      socket,
      idleSince: Date.now(),
    };
    this.connections.set(connection, state);
    socket.on('close', () => {
      this.forgetConnection(connection);
      clearRheaTimers(connection);
    });
    // rhea writes every frame with its own socket.write; corking around its output turn sends one writev.
    const output = connection.output;
    connection.output = function corkedOutput(this: Any) {
      socket.cork();
      try {
        return output.call(this);
      } finally {
        socket.uncork();
      }
    };
    connection.accept(socket);
    installPayloadFrameWriter(connection.amqp_transport);
  }

  private forgetConnection(connection: Any): void {
    const state = this.connections.get(connection);
    if (!state) return;
    this.connections.delete(connection);
    for (const reader of state.readers) this.unregister(reader);
    state.readers.clear();
  }

  private unregister(reader: ReaderLink, error?: AmqpError): void {
    reader.close(error);
    reader.conn.readers.delete(reader);
    const list = this.readers.get(reader.key);
    if (!list) return;
    const i = list.indexOf(reader);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.readers.delete(reader.key);
  }

  private wire(container: Any): void {
    container.on('receiver_open', (ctx: Any) => this.safe(() => this.onClientSender(ctx)));
    container.on('sender_open', (ctx: Any) => this.safe(() => this.onClientReceiver(ctx)));
    container.on('message', (ctx: Any) => this.safe(() => this.onMessage(ctx)));
    container.on('sendable', (ctx: Any) => {
      const reader = this.readerFor(ctx);
      reader?.pump();
    });
    container.on('sender_close', (ctx: Any) => {
      const reader = this.readerFor(ctx);
      if (reader) this.unregister(reader);
      this.connections.get(ctx.connection)?.replyLinks.delete(ctx.sender.name);
    });
    container.on('receiver_close', (ctx: Any) => {
      this.connections.get(ctx.connection)?.producers.delete(ctx.receiver);
    });
    container.on('session_close', (ctx: Any) => {
      const state = this.connections.get(ctx.connection);
      if (!state) return;
      for (const reader of [...state.readers])
        if (reader.sender.session === ctx.session) this.unregister(reader);
    });
    container.on('connection_close', (ctx: Any) => this.forgetConnection(ctx.connection));
    container.on('disconnected', (ctx: Any) => this.forgetConnection(ctx.connection));
    // Without listeners rhea rethrows protocol errors on the container; a client's mistake must not stop the server.
    container.on('error', (err: Error) => this.logger.debug({ err: err.message }, 'amqp peer error'));
    container.on('connection_error', () => undefined);
    container.on('session_error', () => undefined);
    container.on('sender_error', () => undefined);
    container.on('receiver_error', () => undefined);
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error(
        { err: (err as Error).message },
        'event hubs emulator: unexpected error handling an AMQP frame',
      );
    }
  }

  private readerFor(ctx: Any): ReaderLink | undefined {
    const state = this.connections.get(ctx.connection);
    if (!state) return undefined;
    for (const r of state.readers) if (r.sender === ctx.sender) return r;
    return undefined;
  }

  /** Longest configured hub name that prefixes `path` (hub names may contain '/'). */
  private resolveHub(path: string): { hub: HubState | undefined; rest: string; hubName: string } {
    let best: HubState | undefined;
    // Entity names are case-insensitive in the service.
    const lower = path.toLowerCase();
    for (const hub of this.hubs.values()) {
      const n = hub.config.name.toLowerCase();
      if ((lower === n || lower.startsWith(`${n}/`)) && (!best || n.length > best.config.name.length))
        best = hub;
    }
    if (!best) {
      const hubName = path.split('/')[0] ?? path;
      return { hub: undefined, rest: path.slice(hubName.length), hubName };
    }
    return { hub: best, rest: path.slice(best.config.name.length), hubName: best.config.name };
  }

  private partitionIndex(hub: HubState, id: string): number | undefined {
    const i = hub.partitionIds.indexOf(id);
    return i >= 0 ? i : undefined;
  }

  /** Attach-then-detach with a service error, as the service rejects links. */
  private rejectLink(link: Any, error: AmqpError): void {
    link.close(error);
  }

  // ---- client senders (our receivers): $cbs, $management, producers

  private onClientSender(ctx: Any): void {
    const link = ctx.receiver;
    const state = this.connections.get(ctx.connection);
    const address: string = link.target?.address ?? '';
    link.set_target({ address });
    if (!state) return;
    if (address === '$cbs' || address === '$management') return;
    const { hub, rest, hubName } = this.resolveHub(address);
    if (!hub) {
      this.rejectLink(link, serviceErrors.entityNotFound(`sb://${this.namespace.toLowerCase()}/${hubName}`));
      return;
    }
    link.local.attach.max_message_size = MAX_MESSAGE_SIZE;
    if (rest === '') {
      state.producers.set(link, { hub, partition: undefined });
      return;
    }
    const m = /^\/Partitions\/([^/]+)$/i.exec(rest);
    const partition = m ? this.partitionIndex(hub, m[1] as string) : undefined;
    if (partition === undefined) {
      this.rejectLink(
        link,
        m ? serviceErrors.partitionInvalid(address) : serviceErrors.entityNotFound(address),
      );
      return;
    }
    state.producers.set(link, { hub, partition });
  }

  private onMessage(ctx: Any): void {
    const link = ctx.receiver;
    const address: string = link.target?.address ?? '';
    if (address === '$cbs') {
      this.onCbs(ctx);
      return;
    }
    if (address === '$management') {
      this.onManagement(ctx);
      return;
    }
    const producer = this.connections.get(ctx.connection)?.producers.get(link);
    if (!producer) {
      ctx.delivery.reject(serviceErrors.notImplemented(`send to '${address}'`));
      return;
    }
    this.onPublish(ctx, producer.hub, producer.partition);
  }

  private onPublish(ctx: Any, hub: HubState, fixedPartition: number | undefined): void {
    const delivery = ctx.delivery;
    let events: Buffer[];
    let key: string | undefined;
    let size: number;
    if (ctx.format === BATCH_MESSAGE_FORMAT) {
      const envelope = ctx.message as Buffer;
      size = envelope.length;
      if (size > MAX_MESSAGE_SIZE) {
        this.rejectDelivery(delivery, serviceErrors.messageTooLarge(delivery.id, size));
        return;
      }
      try {
        const split = splitBatchEnvelope(envelope);
        events = split.events;
        key = partitionKeyOf(split.annotations);
      } catch (err) {
        this.rejectDelivery(delivery, {
          condition: 'amqp:decode-error',
          description: `The batch message could not be decoded: ${(err as Error).message}`,
        });
        return;
      }
    } else {
      // Format 0 (other clients): rhea already decoded it; one event, re-encoded once.
      const message = ctx.message;
      const encoded = rhea.message.encode(message) as Buffer;
      size = encoded.length;
      if (size > MAX_MESSAGE_SIZE) {
        this.rejectDelivery(delivery, serviceErrors.messageTooLarge(delivery.id, size));
        return;
      }
      events = [encoded];
      const k = message?.message_annotations?.['x-opt-partition-key'];
      key = typeof k === 'string' ? k : undefined;
    }
    if (this.options.ingressEventsPerSecond !== undefined && !this.takeIngress(events.length)) {
      this.rejectDelivery(delivery, serviceErrors.serverBusy());
      return;
    }
    let index: number;
    if (fixedPartition !== undefined) index = fixedPartition;
    else if (key !== undefined) index = partitionIndexForKey(key, hub.partitions.length);
    else index = hub.roundRobin++ % hub.partitions.length;
    const log = hub.partitions[index] as PartitionLog;
    let appended: Promise<void>;
    try {
      appended = log.append(events);
    } catch (err) {
      this.rejectDelivery(delivery, {
        condition: 'amqp:decode-error',
        description: `An event in the batch could not be decoded: ${(err as Error).message}`,
      });
      return;
    }
    this.ingested += events.length;
    appended.then(
      () => delivery.accept(),
      (err: Error) => {
        this.logger.error(
          { err: err.message, hub: hub.config.name, partition: log.partitionId },
          'event hubs emulator: could not persist events',
        );
        this.rejectDelivery(delivery, {
          condition: 'amqp:internal-error',
          description: 'The Event Hubs emulator could not store the events.',
        });
      },
    );
  }

  private takeIngress(count: number): boolean {
    const rate = this.options.ingressEventsPerSecond as number;
    const now = Date.now();
    this.ingressTokens = Math.min(rate, this.ingressTokens + ((now - this.ingressRefilledAt) / 1000) * rate);
    this.ingressRefilledAt = now;
    // A batch larger than one second's budget could never pass; let it through when the bucket is full.
    if (count > this.ingressTokens && !(count > rate && this.ingressTokens >= rate)) return false;
    this.ingressTokens -= count;
    return true;
  }

  private rejectDelivery(delivery: Any, error: AmqpError): void {
    this.rejected++;
    delivery.reject(error);
  }

  private reply(
    ctx: Any,
    request: Any,
    status: number,
    description: string,
    body?: unknown,
    condition?: string,
  ): void {
    const state = this.connections.get(ctx.connection);
    const replyTo = request.reply_to as string | undefined;
    const sender = replyTo ? state?.replyLinks.get(replyTo) : undefined;
    ctx.delivery.accept();
    if (!sender) {
      this.logger.debug({ replyTo }, 'event hubs emulator: no reply link for request');
      return;
    }
    const applicationProperties: Record<string, unknown> = {
      'status-code': rhea.types.wrap_int(status),
      'status-description': description,
    };
    if (condition) applicationProperties['error-condition'] = rhea.types.wrap_symbol(condition);
    const response: Record<string, unknown> = {
      correlation_id: request.message_id,
      application_properties: applicationProperties,
    };
    if (body !== undefined) response.body = body;
    sender.send(response);
  }

  private onCbs(ctx: Any): void {
    const request = ctx.message;
    const props = request.application_properties ?? {};
    if (props.operation !== 'put-token') {
      this.reply(
        ctx,
        request,
        501,
        `The operation '${props.operation}' is not supported.`,
        undefined,
        'amqp:not-implemented',
      );
      return;
    }
    const audience = String(props.name ?? '');
    const path = audience.replace(/^[a-z]+:\/\/[^/]*\/?/i, '');
    const { hub } = this.resolveHub(path);
    if (!hub) {
      const e = serviceErrors.entityNotFound(audience);
      this.reply(ctx, request, 404, e.description, undefined, e.condition);
      return;
    }
    if (this.options.sasKey) {
      const refusal =
        props.type === 'servicebus.windows.net:sastoken'
          ? checkSasToken(typeof request.body === 'string' ? request.body : '', audience, this.options.sasKey)
          : `Unauthorized: token type '${String(props.type)}' is not accepted by the emulator; use a SAS connection string.`;
      if (refusal) {
        this.reply(ctx, request, 401, refusal, undefined, 'amqp:unauthorized-access');
        return;
      }
    }
    this.reply(ctx, request, 202, 'Accepted');
  }

  private onManagement(ctx: Any): void {
    const request = ctx.message;
    const props = request.application_properties ?? {};
    if (props.operation !== 'READ') {
      const e = serviceErrors.notImplemented(String(props.operation));
      this.reply(ctx, request, 501, e.description, undefined, e.condition);
      return;
    }
    const resolved = this.resolveHub(String(props.name));
    const hub = resolved.rest === '' ? resolved.hub : undefined;
    if (!hub) {
      const e = serviceErrors.entityNotFound(String(props.name));
      this.reply(ctx, request, 404, e.description, undefined, e.condition);
      return;
    }
    if (props.type === 'com.microsoft:eventhub') {
      this.reply(ctx, request, 200, 'OK', {
        name: hub.config.name,
        type: 'com.microsoft:eventhub',
        created_at: hub.createdAt,
        partition_count: rhea.types.wrap_int(hub.partitionIds.length),
        partition_ids: hub.partitionIds,
        georeplication_factor: rhea.types.wrap_int(1),
      });
      return;
    }
    if (props.type === 'com.microsoft:partition') {
      const index = this.partitionIndex(hub, String(props.partition));
      if (index === undefined) {
        const e = serviceErrors.partitionInvalid(`${hub.config.name}:partition:${String(props.partition)}`);
        this.reply(ctx, request, 400, e.description, undefined, e.condition);
        return;
      }
      const log = hub.partitions[index] as PartitionLog;
      const last = log.lastEnqueued();
      this.reply(ctx, request, 200, 'OK', {
        name: hub.config.name,
        type: 'com.microsoft:partition',
        partition: log.partitionId,
        begin_sequence_number: rhea.types.wrap_long(
          log.isEmpty && log.nextSequenceNumber === 0 ? -1 : log.beginSequenceNumber,
        ),
        last_enqueued_sequence_number: rhea.types.wrap_long(last.sequenceNumber),
        last_enqueued_offset: String(last.offset),
        last_enqueued_time_utc: new Date(last.enqueuedMs),
        is_partition_empty: log.isEmpty,
      });
      return;
    }
    const e = serviceErrors.notImplemented(`READ ${String(props.type)}`);
    this.reply(ctx, request, 501, e.description, undefined, e.condition);
  }

  // ---- client receivers (our senders): $cbs / $management replies, partition readers

  private onClientReceiver(ctx: Any): void {
    const link = ctx.sender;
    const state = this.connections.get(ctx.connection);
    const source = link.source ?? {};
    const address: string = source.address ?? '';
    if (link.target?.address) link.set_target({ address: link.target.address });
    if (!state) return;
    if (address === '$cbs' || address === '$management') {
      link.set_source({ address });
      state.replyLinks.set(link.name, link);
      return;
    }
    const selector = selectorFromSourceFilter(source.filter);
    link.set_source(
      selector === undefined
        ? { address }
        : {
            address,
            filter: {
              [SELECTOR_FILTER_KEY]: rhea.types.described(
                rhea.types.wrap_ulong(SELECTOR_DESCRIPTOR),
                rhea.types.wrap_string(selector),
              ),
            },
          },
    );
    const { hub, rest, hubName } = this.resolveHub(address);
    if (!hub) {
      this.rejectLink(link, serviceErrors.entityNotFound(`sb://${this.namespace.toLowerCase()}/${hubName}`));
      return;
    }
    const m = /^\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/i.exec(rest);
    if (!m) {
      this.rejectLink(link, serviceErrors.entityNotFound(address));
      return;
    }
    const consumerGroup = m[1] as string;
    const cg = hub.config.consumerGroups.find((c) => c.toLowerCase() === consumerGroup.toLowerCase());
    if (!cg) {
      this.rejectLink(
        link,
        serviceErrors.consumerGroupNotFound(this.namespace, hub.config.name, consumerGroup),
      );
      return;
    }
    const partition = this.partitionIndex(hub, m[2] as string);
    if (partition === undefined) {
      this.rejectLink(link, serviceErrors.partitionInvalid(address));
      return;
    }
    const log = hub.partitions[partition] as PartitionLog;
    let position: StartPosition;
    try {
      position = selector === undefined ? { kind: 'earliest' } : parseSelectorFilter(selector);
    } catch (err) {
      if (err instanceof FilterError) {
        this.rejectLink(link, serviceErrors.badFilter(err.message));
        return;
      }
      throw err;
    }
    const properties = link.properties ?? {};
    const rawEpoch = properties['com.microsoft:epoch'];
    const epoch = rawEpoch === undefined || rawEpoch === null ? undefined : Number(rawEpoch);
    const receiverName =
      typeof properties['com.microsoft:receiver-name'] === 'string'
        ? properties['com.microsoft:receiver-name']
        : undefined;
    const key = `${hub.config.name}|${cg.toLowerCase()}|${log.partitionId}`;
    const existing = this.readers.get(key) ?? [];
    const tracker = `${this.namespace.toLowerCase()}:eventhub:${hub.config.name}~16383|${cg}`;
    const decision = decideAdmission(existing, { receiverName, epoch }, tracker);
    if (!decision.admitted) {
      this.rejectLink(link, decision.error);
      return;
    }
    for (const { receiver, error } of decision.evict) this.unregister(receiver, error);
    const capabilities = link.desired_capabilities;
    const caps: string[] = Array.isArray(capabilities)
      ? capabilities.map(String)
      : capabilities
        ? [String(capabilities)]
        : [];
    const runtimeMetric = caps.includes(RUNTIME_METRIC_CAPABILITY);
    if (runtimeMetric) link.local.attach.offered_capabilities = RUNTIME_METRIC_CAPABILITY;
    const reader = new ReaderLink(
      link,
      log,
      key,
      cg,
      receiverName,
      epoch,
      log.resolveStart(position),
      runtimeMetric,
      state,
      (n) => {
        this.deliveredTotal += n;
      },
    );
    const list = this.readers.get(key) ?? [];
    list.push(reader);
    this.readers.set(key, list);
    state.readers.add(reader);
    this.logger.debug(
      { hub: hub.config.name, consumerGroup: cg, partition: log.partitionId, epoch, receiverName },
      'receiver attached',
    );
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const [connection, state] of this.connections) {
      for (const reader of state.readers) reader.close();
      try {
        connection.close(serviceErrors.shuttingDown());
      } catch {
        // already closing
      }
      const socket = state.socket;
      socket.end();
      // Give the close frame a moment to leave, then make sure nothing keeps the process alive.
      setTimeout(() => {
        socket.destroy();
        clearRheaTimers(connection);
      }, 50);
    }
    this.connections.clear();
    this.readers.clear();
    await closed;
    for (const hub of this.hubs.values()) for (const p of hub.partitions) await p.close();
  }
}

/** rhea arms heartbeat timers per connection and only clears them on an orderly end. */
function clearRheaTimers(connection: Any): void {
  if (connection.heartbeat_out) clearTimeout(connection.heartbeat_out);
  if (connection.heartbeat_in) clearTimeout(connection.heartbeat_in);
  connection.heartbeat_out = undefined;
  connection.heartbeat_in = undefined;
}

/**
 * rhea encodes every frame into a fresh zero-filled 1 KB buffer, grows it to 2 KB and copies the payload in,
 * which dominated the emulator's delivery cost. For frames with a payload (transfers) this writes the frame
 * header + performative into a small buffer and hands the stored payload to the (corked) socket as is.
 * Only our server-side transports are changed; the SDK's rhea connections in the same process are not.
 */
function installPayloadFrameWriter(transport: Any): void {
  if (!transport || typeof transport.write !== 'function') return;
  const original = transport.write;
  transport.write = function payloadFrameWrite(this: Any, socket: Socket) {
    if (!this.header_sent) return original.call(this, socket);
    const pending = this.pending as Any[];
    this.pending = [];
    for (const frame of pending) {
      if (
        frame.payload &&
        frame.payload.length >= 256 &&
        frame.type === AMQP_FRAME_TYPE &&
        frame.performative
      ) {
        const writer = new (rhea.types as Any).Writer(Buffer.alloc(128));
        writer.skip(4); // frame size, written below once the header length is known
        writer.write_uint(2, 1);
        writer.write_uint(AMQP_FRAME_TYPE, 1);
        writer.write_uint(frame.channel, 2);
        writer.write(frame.performative);
        const head: Buffer = writer.toBuffer();
        head.writeUInt32BE(head.length + frame.payload.length, 0);
        socket.write(head);
        socket.write(frame.payload);
      } else {
        this.pending = [frame];
        original.call(this, socket);
      }
    }
    this.pending = [];
  };
}
const AMQP_FRAME_TYPE = 0x00;
