import { EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import type { WorkerSettings } from './compose.js';

/** Azure clients for the CLI tools (checkpoints, deadletter), from the same settings as the worker. */
export async function createToolClients(
  settings: WorkerSettings,
  consumerGroup = settings.eventHubs.consumerGroup,
) {
  let credential: TokenCredential | undefined;
  if (!settings.eventHubs.connectionString || !settings.storage.connectionString) {
    const { DefaultAzureCredential } = await import('@azure/identity');
    credential = new DefaultAzureCredential();
  }
  const eh = settings.eventHubs;
  const blobService = settings.storage.connectionString
    ? BlobServiceClient.fromConnectionString(settings.storage.connectionString)
    : new BlobServiceClient(settings.storage.accountUrl!, credential);
  const checkpointStore = new BlobCheckpointStore(
    blobService.getContainerClient(settings.storage.checkpointContainer),
  );
  const consumer = () =>
    eh.connectionString
      ? new EventHubConsumerClient(consumerGroup, eh.connectionString, eh.name)
      : new EventHubConsumerClient(consumerGroup, eh.namespace!, eh.name, credential!);
  const producer = (hub = eh.name) =>
    eh.connectionString
      ? new EventHubProducerClient(eh.connectionString, hub)
      : new EventHubProducerClient(eh.namespace!, hub, credential!);
  return { blobService, checkpointStore, consumer, producer };
}
