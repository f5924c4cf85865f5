/**
 * `TEST_STACK=containers` profile: the official Event Hubs emulator image and the Azurite image through
 * testcontainers (eventhubs-amqp.md §8.3), with our entities mounted as Config.json. Same shape as the
 * embedded stack's connection strings, so tests that only use the SDK run unchanged against either.
 * Not verified on this machine (no Docker engine); the default profile stays embedded.
 */
import { GraphDlpError } from '../errors.js';
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from './azurite/index.js';
import { DEFAULT_ENTITIES, type EmulatorEntities, toOfficialConfig } from './eventhubs/config.js';

export type TestStackProfile = 'embedded' | 'containers';

export const EVENTHUBS_EMULATOR_IMAGE = 'mcr.microsoft.com/azure-messaging/eventhubs-emulator:latest';
export const AZURITE_IMAGE = 'mcr.microsoft.com/azure-storage/azurite:3.35.0';

/** Parse a TEST_STACK value (the caller reads the environment). */
export function parseTestStackProfile(value: string | undefined): TestStackProfile {
  if (value === undefined || value === '' || value === 'embedded') return 'embedded';
  if (value === 'containers') return 'containers';
  throw new GraphDlpError(
    'GDLP_LOCAL_TEST_STACK_INVALID',
    'fatal',
    `TEST_STACK must be "embedded" (default) or "containers" (got "${value}")`,
  );
}

export interface ContainerStackOptions {
  entities?: EmulatorEntities;
  emulatorImage?: string;
  azuriteImage?: string;
}

export interface ContainerStack {
  eventHubsConnectionString: string;
  eventHubsHealthUrl: string;
  storageConnectionString: string;
  stop(): Promise<void>;
}

export async function startContainerStack(options: ContainerStackOptions = {}): Promise<ContainerStack> {
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const network = await new Network().start();
  const azurite = await new GenericContainer(options.azuriteImage ?? AZURITE_IMAGE)
    .withNetwork(network)
    .withNetworkAliases('azurite')
    .withExposedPorts(10000, 10001, 10002)
    .withCommand([
      'azurite',
      '--blobHost',
      '0.0.0.0',
      '--queueHost',
      '0.0.0.0',
      '--tableHost',
      '0.0.0.0',
      '--disableTelemetry',
      '--skipApiVersionCheck',
    ])
    .start();
  try {
    const emulator = await new GenericContainer(options.emulatorImage ?? EVENTHUBS_EMULATOR_IMAGE)
      .withNetwork(network)
      .withExposedPorts(5672, 5300)
      .withEnvironment({ BLOB_SERVER: 'azurite', METADATA_SERVER: 'azurite', ACCEPT_EULA: 'Y' })
      .withCopyContentToContainer([
        {
          content: JSON.stringify(toOfficialConfig(options.entities ?? DEFAULT_ENTITIES)),
          target: '/Eventhubs_Emulator/ConfigFiles/Config.json',
        },
      ])
      .withWaitStrategy(Wait.forLogMessage('Emulator Service is Successfully Up!'))
      .withStartupTimeout(180_000)
      .start();
    const host = emulator.getHost();
    const blobPort = azurite.getMappedPort(10000);
    return {
      eventHubsConnectionString: `Endpoint=sb://${host}:${emulator.getMappedPort(5672)};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true`,
      eventHubsHealthUrl: `http://${host}:${emulator.getMappedPort(5300)}/health`,
      storageConnectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=http://${azurite.getHost()}:${blobPort}/${AZURITE_ACCOUNT_NAME};`,
      async stop() {
        await emulator.stop().catch(() => undefined);
        await azurite.stop().catch(() => undefined);
        await network.stop().catch(() => undefined);
      },
    };
  } catch (err) {
    await azurite.stop().catch(() => undefined);
    await network.stop().catch(() => undefined);
    throw err;
  }
}
