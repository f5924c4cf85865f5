/**
 * Owner-level (epoch) and quota rules per (consumer group, partition), as the service applies them
 * (eventhubs-amqp.md §5.3). Pure decision core: the AMQP shell asks `admit` and then detaches what it says.
 */
import { type AmqpError, MAX_NON_EPOCH_RECEIVERS, serviceErrors } from './serviceErrors.js';

export interface RegisteredReceiver {
  /** Receiver identity as the client named it (`com.microsoft:receiver-name`), used in service texts. */
  receiverName: string | undefined;
  /** Owner level; undefined = non-epoch receiver. */
  epoch: number | undefined;
}

export type AdmitDecision<R extends RegisteredReceiver> =
  | { admitted: true; evict: { receiver: R; error: AmqpError }[] }
  | { admitted: false; error: AmqpError };

export function decideAdmission<R extends RegisteredReceiver>(
  existing: readonly R[],
  candidate: RegisteredReceiver,
  tracker: string,
): AdmitDecision<R> {
  const epochReceivers = existing.filter((r) => r.epoch !== undefined);
  if (candidate.epoch !== undefined) {
    if (epochReceivers.length > 0) {
      const maxEpoch = Math.max(...epochReceivers.map((r) => r.epoch as number));
      if (candidate.epoch < maxEpoch)
        return {
          admitted: false,
          error: serviceErrors.lowerEpochRejected(maxEpoch, candidate.epoch, tracker),
        };
    }
    // Equal or higher epoch steals; epoch receivers also displace every non-epoch receiver.
    return {
      admitted: true,
      evict: existing.map((receiver) => ({
        receiver,
        error: serviceErrors.stolenByHigherEpoch(
          candidate.receiverName,
          candidate.epoch as number,
          receiver.receiverName,
          receiver.epoch,
          tracker,
        ),
      })),
    };
  }
  if (epochReceivers.length > 0) {
    const maxEpoch = Math.max(...epochReceivers.map((r) => r.epoch as number));
    return { admitted: false, error: serviceErrors.nonEpochRejected(maxEpoch, tracker) };
  }
  if (existing.length >= MAX_NON_EPOCH_RECEIVERS) {
    return {
      admitted: false,
      error: serviceErrors.receiverQuotaExceeded(
        existing.map((r) => r.receiverName),
        tracker,
      ),
    };
  }
  return { admitted: true, evict: [] };
}
