/** `graph-dlp emulator eventhubs`: the Event Hubs emulator in the foreground until SIGINT/SIGTERM. */
import {
  type CliCommand,
  intOption,
  parseCommandArgs,
  waitForShutdownSignal,
  writeLine,
} from '../../cli/command.js';
import { createLogger } from '../../log.js';
import { DEFAULT_RETENTION_MS, startEventHubsEmulator } from './index.js';

const usage = `Usage: graph-dlp emulator eventhubs [--port 5672] [--config FILE] [--data-dir DIR] [options]

Runs a local Event Hubs emulator (AMQP 1.0 over plain TCP on 127.0.0.1) that the unmodified
@azure/event-hubs clients and BlobCheckpointStore use through a connection string with
UseDevelopmentEmulator=true. Prints the connection string, serves until SIGINT/SIGTERM, exits 0.

Options:
  --port N            AMQP port on 127.0.0.1 (default 5672; 0 = a free port)
  --config FILE       Entities from a Config.json in the official emulator's shape
                      (default: hub notifications with 4 partitions and consumer groups
                      $default, graph-dlp; hub findings with 2 partitions)
  --data-dir DIR      Persist partition logs in DIR (append-only files); sequence numbers and
                      offsets survive restarts, so checkpoints stay valid (default: memory only)
  --retention-ms N    Drop events older than N milliseconds (default ${DEFAULT_RETENTION_MS} = 1 hour)
  --validate-sas      Check SAS tokens on $cbs against RootManageSharedAccessKey / SAS_KEY_VALUE (the key in
                      the printed connection string); wrong keys get 401 amqp:unauthorized-access
                      (default: off, any token is accepted)
  --ingress-events-per-second N
                      Simulate throughput-unit throttling: namespace ingress budget in events/s
                      (1 TU = 1000); sends beyond it get com.microsoft:server-busy (default: off)
  --idle-connection-timeout-ms N
                      Close connections without producer/receiver links after N ms with
                      amqp:connection:forced, as the service does after 300000 (default: never)
  --health-port N     HTTP port of GET /health on 127.0.0.1 (default 0 = a free port, printed)
  --log-level LEVEL   pino level: fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help          Show this help`;

export const command: CliCommand = {
  summary: 'Event Hubs emulator (AMQP 1.0, real SDK compatible)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      port: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'retention-ms': { type: 'string' },
      'health-port': { type: 'string' },
      'log-level': { type: 'string' },
      'validate-sas': { type: 'boolean' },
      'ingress-events-per-second': { type: 'string' },
      'idle-connection-timeout-ms': { type: 'string' },
    });
    if (values.help) {
      writeLine(io.stdout, usage);
      return 0;
    }
    const port = intOption('port', values.port, 5672, 0, 65535);
    const healthPort = intOption('health-port', values['health-port'], 0, 0, 65535);
    const retentionMs = intOption(
      'retention-ms',
      values['retention-ms'],
      DEFAULT_RETENTION_MS,
      1,
      Number.MAX_SAFE_INTEGER,
    );
    const logger = createLogger({
      level: values['log-level'] ?? 'info',
      base: { component: 'eventhubs-emulator' },
    });
    const shutdown = waitForShutdownSignal();
    try {
      const emulator = await startEventHubsEmulator({
        port,
        healthPort,
        retentionMs,
        logger,
        validateSas: values['validate-sas'] === true,
        ...(values['idle-connection-timeout-ms'] !== undefined
          ? {
              idleConnectionTimeoutMs: intOption(
                'idle-connection-timeout-ms',
                values['idle-connection-timeout-ms'],
                0,
                1,
                86_400_000,
              ),
            }
          : {}),
        ...(values['ingress-events-per-second'] !== undefined
          ? {
              ingressEventsPerSecond: intOption(
                'ingress-events-per-second',
                values['ingress-events-per-second'],
                0,
                1,
                10_000_000,
              ),
            }
          : {}),
        ...(values.config ? { config: values.config } : {}),
        ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      });
      writeLine(
        io.stdout,
        `Event Hubs emulator listening on 127.0.0.1:${emulator.port} (hubs: ${emulator.entities.hubs.map((h) => `${h.name}[${h.partitionCount}]`).join(', ')})`,
      );
      writeLine(io.stdout, `Connection string: ${emulator.connectionString}`);
      writeLine(io.stdout, `Health: ${emulator.healthUrl}`);
      const signal = await shutdown.signal;
      writeLine(io.stdout, `Received ${signal}; stopping.`);
      await emulator.stop();
      return 0;
    } finally {
      shutdown.dispose();
    }
  },
};
