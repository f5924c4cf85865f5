import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../log.js';
import { bootstrapWorker } from '../../worker/bootstrap.js';
import { workerSettingsFrom } from '../../worker/compose.js';
import { type CliCommand, parseCommandArgs, waitForShutdownSignal, writeLine } from '../command.js';

const usage = `Usage: graph-dlp run [options]

Runs the worker: consumes Graph change notifications from Event Hubs, validates, decrypts, scans and
pushes findings to the configured sinks, with checkpoints in blob storage. Configuration comes from the
environment and an optional config file (see \`graph-dlp config options\`); flags win over both.
Stops on SIGTERM/SIGINT: stop intake, finish in-flight batches, final checkpoint, release partitions,
within GDLP_SHUTDOWN_DEADLINE_MS (default 25000 ms).

Options:
  --config FILE           JSON or YAML config file (GDLP_CONFIG_FILE)
  --consumer-group NAME   Consumer group (GDLP_CONSUMER_GROUP, default graph-dlp). A side group replays
                          the hub without touching the main group's checkpoints.
  --start POSITION        Start for partitions without a checkpoint: earliest | latest | ISO-8601 time
                          (GDLP_START_POSITION, default earliest). Ignored once a checkpoint exists;
                          use \`graph-dlp checkpoints reset\` to move one.
  --sinks LIST            Finding sinks: file,blob,eventhubs,http,graph (GDLP_SINKS, default file)
  --findings-file PATH    File of the file sink (GDLP_FINDINGS_FILE, default ./findings.jsonl)
  --health-port PORT      /healthz, /readyz, /metrics port (GDLP_HEALTH_PORT, default 8080; 0 = free port)

Exit codes: 0 after a clean drain, 1 on a configuration or start-up error, 3 when the drain missed its deadline.`;

export const command: CliCommand = {
  summary: 'Run the worker',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      'consumer-group': { type: 'string' },
      start: { type: 'string' },
      sinks: { type: 'string' },
      'findings-file': { type: 'string' },
      'health-port': { type: 'string' },
    });
    const overrides: Record<string, unknown> = {};
    if (values['consumer-group']) overrides['eventHubs.consumerGroup'] = values['consumer-group'];
    if (values.start) overrides['consumer.startPosition'] = values.start;
    if (values.sinks) overrides['sinks.enabled'] = values.sinks;
    if (values['findings-file']) overrides['sinks.file'] = values['findings-file'];
    if (values['health-port']) overrides['worker.healthPort'] = values['health-port'];
    const config = loadConfig({
      ...(values.config ? { file: values.config } : {}),
      overrides,
      purpose: 'worker',
    });
    const settings = workerSettingsFrom(config);
    const logger = createLogger({
      level: (config.logLevel as string | undefined) ?? 'info',
      base: { replica: settings.replicaId, component: 'worker' },
    });
    const shutdown = waitForShutdownSignal();
    try {
      const { worker } = await bootstrapWorker(config, logger, { settings });
      await worker.start();
      writeLine(
        io.stderr,
        `graph-dlp worker running (consumer group ${settings.eventHubs.consumerGroup}); health on ${worker.healthUrl ?? '(disabled)'}; Ctrl-C to stop`,
      );
      const signal = await shutdown.signal;
      logger.info({ signal }, 'shutdown requested');
      const result = await worker.stop();
      logger.flush();
      return result.drained ? 0 : 3;
    } finally {
      shutdown.dispose();
    }
  },
};
