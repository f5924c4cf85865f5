import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Worker metrics, names per design-anchors §5.2: semconv messaging names keep their OTel→Prometheus
 * translation, domain ones use the `tdlp_` prefix. Labels never carry unbounded values (no message,
 * chat or user ids). One registry per worker so tests and side consumers don't collide.
 */
export class WorkerMetrics {
  readonly registry: Registry;
  readonly consumed: Counter<
    | 'messaging_system'
    | 'messaging_destination_name'
    | 'messaging_consumer_group_name'
    | 'messaging_destination_partition_id'
  >;
  readonly batchDuration: Histogram<'messaging_destination_partition_id'>;
  readonly notifications: Counter<'kind'>;
  readonly validationSkipped: Counter;
  readonly findings: Counter<'type' | 'severity'>;
  readonly decryptFailures: Counter<'reason'>;
  readonly deadLetters: Counter<'reason'>;
  readonly lag: Gauge<'partition'>;
  readonly checkpointAge: Gauge<'partition'>;
  readonly checkpoints: Counter<'partition'>;
  readonly partitionsOwned: Gauge;
  readonly ownershipChanges: Counter<'reason'>;
  readonly sinkErrors: Counter<'sink'>;
  readonly sinkWrites: Counter<'sink'>;
  readonly dedupHits: Counter<'sink'>;
  readonly basicFetches: Counter<'outcome'>;
  readonly sinkSkips: Counter<'sink' | 'code'>;
  readonly lifecycleEvents: Counter<'event'>;
  readonly subscriptionSecondsToExpiry: Gauge<'resource'>;
  readonly enqueueToProcess: Histogram;
  readonly processingErrors: Counter<'code'>;
  readonly sequenceGaps: Counter<'partition'>;
  readonly pendingEvents: Gauge<'partition'>;
  readonly pendingRetries: Counter<'partition'>;
  readonly sinkRejections: Counter<'sink' | 'code'>;

  constructor(options: { registry?: Registry; defaultMetrics?: boolean } = {}) {
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'tdlp_process_' });
    this.consumed = new Counter({
      name: 'messaging_client_consumed_messages_total',
      help: 'Events received from Event Hubs.',
      labelNames: [
        'messaging_system',
        'messaging_destination_name',
        'messaging_consumer_group_name',
        'messaging_destination_partition_id',
      ],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'messaging_process_duration_seconds',
      help: 'Time to process one received batch end to end (parse to sinks).',
      labelNames: ['messaging_destination_partition_id'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.notifications = new Counter({
      name: 'tdlp_notifications_total',
      help: 'Notification items by kind (rich, basic, lifecycle, validation, invalid).',
      labelNames: ['kind'],
      registers,
    });
    this.validationSkipped = new Counter({
      name: 'tdlp_validation_events_skipped_total',
      help: 'Graph Event Hubs validation messages skipped.',
      registers,
    });
    this.findings = new Counter({
      name: 'tdlp_findings_total',
      help: 'Findings produced, by canonical type and severity.',
      labelNames: ['type', 'severity'],
      registers,
    });
    this.decryptFailures = new Counter({
      name: 'tdlp_decrypt_failures_total',
      help: 'Notifications that failed decryption, by reason code.',
      labelNames: ['reason'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'tdlp_dlq_events_total',
      help: 'Events or items dead-lettered, by reason code.',
      labelNames: ['reason'],
      registers,
    });
    this.lag = new Gauge({
      name: 'tdlp_partition_lag_events',
      help: 'Last enqueued sequence number minus the checkpoint (what KEDA scales on), per partition.',
      labelNames: ['partition'],
      registers,
    });
    this.checkpointAge = new Gauge({
      name: 'tdlp_checkpoint_age_seconds',
      help: 'Seconds since the last checkpoint write, per owned partition.',
      labelNames: ['partition'],
      registers,
    });
    this.checkpoints = new Counter({
      name: 'tdlp_checkpoints_total',
      help: 'Checkpoints written.',
      labelNames: ['partition'],
      registers,
    });
    this.partitionsOwned = new Gauge({
      name: 'tdlp_partitions_owned',
      help: 'Partitions this replica currently processes.',
      registers,
    });
    this.ownershipChanges = new Counter({
      name: 'tdlp_ownership_changes_total',
      help: 'Partition claims and releases, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.sinkErrors = new Counter({
      name: 'tdlp_sink_errors_total',
      help: 'Failed sink write attempts.',
      labelNames: ['sink'],
      registers,
    });
    this.sinkWrites = new Counter({
      name: 'tdlp_sink_findings_written_total',
      help: 'Findings written per sink (after dedupe).',
      labelNames: ['sink'],
      registers,
    });
    this.dedupHits = new Counter({
      name: 'tdlp_dedup_hits_total',
      help: 'Findings a sink had already (replay, rebalance).',
      labelNames: ['sink'],
      registers,
    });
    this.sinkSkips = new Counter({
      name: 'tdlp_sink_skipped_total',
      help: 'Findings a sink can never write, by code (Graph write-back on a message Graph refuses: 402/403/404, no message path).',
      labelNames: ['sink', 'code'],
      registers,
    });
    this.basicFetches = new Counter({
      name: 'tdlp_basic_notification_fetches_total',
      help: 'Notifications without resource data by outcome: fetched, gone (deleted since), deleted (changeType), failed, disabled.',
      labelNames: ['outcome'],
      registers,
    });
    this.lifecycleEvents = new Counter({
      name: 'tdlp_lifecycle_events_total',
      help: 'Lifecycle notifications by event.',
      labelNames: ['event'],
      registers,
    });
    this.subscriptionSecondsToExpiry = new Gauge({
      name: 'tdlp_subscription_seconds_to_expiry',
      help: 'Seconds until a Graph subscription expires, from the latest notification.',
      labelNames: ['resource'],
      registers,
    });
    this.enqueueToProcess = new Histogram({
      name: 'tdlp_enqueue_to_process_seconds',
      help: 'From Event Hubs enqueue time to findings delivered.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.pendingEvents = new Gauge({
      name: 'tdlp_partition_pending_events',
      help: 'Events received and held back from the checkpoint (in flight, waiting for a retry, or final behind one that is not), per partition.',
      labelNames: ['partition'],
      registers,
    });
    this.pendingRetries = new Counter({
      name: 'tdlp_pending_retries_total',
      help: 'Retries of events whose outcome was not final (a required sink, the decryptor, the registry or the dead-letter store was down).',
      labelNames: ['partition'],
      registers,
    });
    this.sinkRejections = new Counter({
      name: 'tdlp_sink_rejections_total',
      help: 'Batches a required sink rejected permanently (poison error): their events are dead-lettered.',
      labelNames: ['sink', 'code'],
      registers,
    });
    this.sequenceGaps = new Counter({
      name: 'tdlp_sequence_gaps_total',
      help: 'Jumps in sequence numbers between consecutive batches of a partition.',
      labelNames: ['partition'],
      registers,
    });
    this.processingErrors = new Counter({
      name: 'tdlp_processing_errors_total',
      help: 'Errors reported by the Event Hubs client (processError), by code.',
      labelNames: ['code'],
      registers,
    });
  }

  /** Sum of a counter across its labels (for progress output). */
  async total(counter: Counter<string>): Promise<number> {
    const m = await counter.get();
    return m.values.reduce((s, v) => s + v.value, 0);
  }
}
