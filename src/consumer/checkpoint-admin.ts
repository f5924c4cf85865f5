/**
 * I/O shell for `graph-dlp checkpoints show|reset`: reads partition properties, checkpoints and
 * ownership, resolves times and sequence numbers to offsets by reading single events, and writes
 * checkpoints in the SDK's own blob format (so the SDK resumes there and KEDA computes lag from them).
 * The SDK resumes *after* the checkpointed offset (exclusive), so "restart at sequence S" is written as
 * the checkpoint of event S-1, or offset -1 (start of stream) when S is the first retained event.
 */
import type { CheckpointStore, EventHubConsumerClient, ReceivedEventData } from '@azure/event-hubs';
import { GraphDlpError } from '../errors.js';
import type { PartitionState, PlannedReset } from './replay-plan.js';

export interface PartitionReport extends PartitionState {
  lastEnqueuedOffset: string;
  lastEnqueuedOn?: Date;
  checkpointOffset?: string;
  /** Events not yet processed by this group: last enqueued − checkpoint (or everything retained without one). */
  lag: number;
  ownerId?: string;
  ownershipAgeMs?: number;
  /** Ownership renewed within the expiry window by a non-empty owner: a live consumer holds the partition. */
  liveOwner: boolean;
}

export interface GroupAdmin {
  readonly eventHubName: string;
  readonly consumerGroup: string;
  readonly fullyQualifiedNamespace: string;
  report(partitionIds?: readonly string[]): Promise<PartitionReport[]>;
  /** First sequence number enqueued at or after `time` on the partition (undefined if none). */
  sequenceAtOrAfter(partitionId: string, time: Date): Promise<number | undefined>;
  apply(
    plan: readonly Pick<PlannedReset, 'partitionId' | 'targetNextSequenceNumber'>[],
    reports: readonly PartitionReport[],
  ): Promise<void>;
}

export function createGroupAdmin(options: {
  client: EventHubConsumerClient;
  consumerGroup: string;
  checkpointStore: CheckpointStore;
  ownershipExpiryMs: number;
  readTimeoutMs?: number;
}): GroupAdmin {
  const { client, checkpointStore } = options;
  const fqns = client.fullyQualifiedNamespace;
  const hub = client.eventHubName;
  const group = options.consumerGroup;
  const readTimeoutMs = options.readTimeoutMs ?? 10_000;

  async function readFirst(
    partitionId: string,
    position: { sequenceNumber?: number; enqueuedOn?: Date; isInclusive?: boolean },
  ): Promise<ReceivedEventData | undefined> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (value: ReceivedEventData | undefined, err?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sub.close().then(
          () => (err ? reject(err) : resolve(value)),
          () => (err ? reject(err) : resolve(value)),
        );
      };
      const timer = setTimeout(() => finish(undefined), readTimeoutMs);
      const sub = client.subscribe(
        partitionId,
        {
          processEvents: async (events) => {
            if (events.length > 0) finish(events[0]);
          },
          processError: async (err) => finish(undefined, err),
        },
        { startPosition: position, maxBatchSize: 1, maxWaitTimeInSeconds: 2 },
      );
    });
  }

  return {
    eventHubName: hub,
    consumerGroup: group,
    fullyQualifiedNamespace: fqns,
    async report(partitionIds) {
      const ids =
        partitionIds && partitionIds.length > 0 ? [...partitionIds] : await client.getPartitionIds();
      const [checkpoints, ownerships] = await Promise.all([
        checkpointStore.listCheckpoints(fqns, hub, group),
        checkpointStore.listOwnership(fqns, hub, group),
      ]);
      const now = Date.now();
      return Promise.all(
        ids.map(async (id) => {
          const p = await client.getPartitionProperties(id);
          const cp = checkpoints.find((c) => c.partitionId === id);
          const own = ownerships.find((o) => o.partitionId === id);
          const ageMs = own?.lastModifiedTimeInMs !== undefined ? now - own.lastModifiedTimeInMs : undefined;
          const retainedFrom = p.isEmpty ? p.lastEnqueuedSequenceNumber + 1 : p.beginningSequenceNumber;
          const next = cp ? cp.sequenceNumber + 1 : retainedFrom;
          return {
            partitionId: id,
            beginningSequenceNumber: p.beginningSequenceNumber,
            lastEnqueuedSequenceNumber: p.lastEnqueuedSequenceNumber,
            isEmpty: p.isEmpty,
            checkpointSequenceNumber: cp?.sequenceNumber,
            checkpointOffset: cp ? String(cp.offset) : undefined,
            lastEnqueuedOffset: String(p.lastEnqueuedOffset),
            lastEnqueuedOn: p.lastEnqueuedOnUtc,
            lag: Math.max(0, p.lastEnqueuedSequenceNumber + 1 - Math.max(next, retainedFrom)),
            ownerId: own?.ownerId || undefined,
            ownershipAgeMs: ageMs,
            liveOwner: !!own?.ownerId && ageMs !== undefined && ageMs < options.ownershipExpiryMs,
          } satisfies PartitionReport;
        }),
      );
    },
    async sequenceAtOrAfter(partitionId, time) {
      // The service filter is "enqueued after"; step back 1 ms to make it "at or after".
      const event = await readFirst(partitionId, { enqueuedOn: new Date(time.getTime() - 1) });
      return event?.sequenceNumber;
    },
    async apply(plan, reports) {
      for (const step of plan) {
        const r = reports.find((x) => x.partitionId === step.partitionId);
        if (!r)
          throw new GraphDlpError(
            'GDLP_CHECKPOINT_UNKNOWN_PARTITION',
            'fatal',
            `partition '${step.partitionId}' does not exist on ${hub}`,
          );
        const retainedFrom = r.isEmpty ? r.lastEnqueuedSequenceNumber + 1 : r.beginningSequenceNumber;
        const target = Math.min(
          r.lastEnqueuedSequenceNumber + 1,
          Math.max(retainedFrom, step.targetNextSequenceNumber),
        );
        let sequenceNumber: number;
        let offset: string;
        if (target <= retainedFrom) {
          sequenceNumber = retainedFrom - 1;
          offset = '-1';
        } else if (target === r.lastEnqueuedSequenceNumber + 1) {
          sequenceNumber = r.lastEnqueuedSequenceNumber;
          offset = r.lastEnqueuedOffset;
        } else {
          const previous = await readFirst(step.partitionId, {
            sequenceNumber: target - 1,
            isInclusive: true,
          });
          if (!previous || previous.sequenceNumber !== target - 1) {
            throw new GraphDlpError(
              'GDLP_CHECKPOINT_POSITION_UNREADABLE',
              'transient',
              `cannot read event ${target - 1} of partition ${step.partitionId} to find its offset`,
            );
          }
          sequenceNumber = previous.sequenceNumber;
          offset = String(previous.offset);
        }
        await checkpointStore.updateCheckpoint({
          fullyQualifiedNamespace: fqns,
          eventHubName: hub,
          consumerGroup: group,
          partitionId: step.partitionId,
          sequenceNumber,
          offset,
        });
      }
    },
  };
}
