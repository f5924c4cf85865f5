/**
 * AMQP error conditions and descriptions shaped like the real service's (eventhubs-amqp.md §7), so
 * `@azure/event-hubs` classifies them exactly as it would in Azure.
 */
import { randomUUID } from 'node:crypto';

export interface AmqpError {
  condition: string;
  description: string;
}

export const MAX_NON_EPOCH_RECEIVERS = 5;
export const MAX_MESSAGE_SIZE = 1048576;

function suffix(tracker: string): string {
  return ` TrackingId:${randomUUID()}, SystemTracker:${tracker}, Timestamp:${new Date().toISOString()}`;
}

export const serviceErrors = {
  entityNotFound(entity: string): AmqpError {
    return {
      condition: 'amqp:not-found',
      description: `The messaging entity '${entity}' could not be found.${suffix(entity)}`,
    };
  },
  consumerGroupNotFound(namespace: string, hub: string, consumerGroup: string): AmqpError {
    const entity = `${namespace.toLowerCase()}:eventhub:${hub}~16383|${consumerGroup}`;
    return {
      condition: 'amqp:not-found',
      description: `The messaging entity '${entity}' could not be found.${suffix(entity)}`,
    };
  },
  partitionInvalid(tracker: string): AmqpError {
    return {
      condition: 'com.microsoft:argument-out-of-range',
      description: `The specified partition is invalid for an EventHub partition sender or receiver.${suffix(tracker)}`,
    };
  },
  messageTooLarge(deliveryId: number, size: number): AmqpError {
    return {
      condition: 'amqp:link:message-size-exceeded',
      description: `The received message (delivery-id:${deliveryId}, size:${size} bytes) exceeds the limit (${MAX_MESSAGE_SIZE} bytes) currently allowed on the link.`,
    };
  },
  stolenByHigherEpoch(
    newName: string | undefined,
    newEpoch: number,
    oldName: string | undefined,
    oldEpoch: number | undefined,
    tracker: string,
  ): AmqpError {
    const nn = newName ?? 'nil';
    const on = oldName ?? 'nil';
    const description =
      oldEpoch === undefined
        ? `Receiver '${on}' with no epoch is getting disconnected because a receiver '${nn}' with epoch '${newEpoch}' was created; epoch receivers take precedence.`
        : `New receiver '${nn}' with higher epoch of '${newEpoch}' is created hence current receiver '${on}' with epoch '${oldEpoch}' is getting disconnected. If you are recreating the receiver, make sure a higher epoch is used.`;
    return { condition: 'amqp:link:stolen', description: description + suffix(tracker) };
  },
  lowerEpochRejected(existingEpoch: number, newEpoch: number, tracker: string): AmqpError {
    return {
      condition: 'amqp:link:stolen',
      description: `Receiver with epoch '${newEpoch}' cannot be created because a receiver with a higher epoch '${existingEpoch}' already exists for the same partition and consumer group.${suffix(tracker)}`,
    };
  },
  nonEpochRejected(existingEpoch: number, tracker: string): AmqpError {
    return {
      condition: 'amqp:link:stolen',
      description: `At least one receiver for the endpoint is created with epoch of '${existingEpoch}', and so non-epoch receiver is not allowed. Either reconnect with a higher epoch, or make sure all epoch receivers are closed or disconnected.${suffix(tracker)}`,
    };
  },
  receiverQuotaExceeded(names: (string | undefined)[], tracker: string): AmqpError {
    const list = names.length > 0 ? names.map((n) => n ?? 'nil').join(', ') : 'nil';
    return {
      condition: 'amqp:resource-limit-exceeded',
      description: `Exceeded the maximum number of allowed receivers per partition in a consumer group which is ${MAX_NON_EPOCH_RECEIVERS}. List of connected receivers - ${list}.${suffix(tracker)}`,
    };
  },
  badFilter(message: string): AmqpError {
    return { condition: 'com.microsoft:argument-error', description: message };
  },
  notImplemented(what: string): AmqpError {
    return {
      condition: 'amqp:not-implemented',
      description: `The operation '${what}' is not supported by the Event Hubs emulator.`,
    };
  },
  serverBusy(): AmqpError {
    return {
      condition: 'com.microsoft:server-busy',
      description: `The request was terminated because the entity is being throttled. Error code : 50002. Sub error : 102. Please wait 4 seconds and try again.${suffix('ingress')}`,
    };
  },
  connectionInactive(limitMs: number): AmqpError {
    return {
      condition: 'amqp:connection:forced',
      description: `The connection was inactive for more than the allowed ${limitMs} milliseconds and is closed by container '${randomUUID()}'.${suffix('connection')}`,
    };
  },
  shuttingDown(): AmqpError {
    return { condition: 'amqp:connection:forced', description: 'The Event Hubs emulator is shutting down.' };
  },
};
