import {
  type CliCommand,
  parseCommandArgs,
  UsageError,
  waitForShutdownSignal,
  writeLine,
} from '../command.js';

const usage = `Usage: graph-dlp local up [options]

Starts the local Azure stack and keeps it running until Ctrl-C: our Event Hubs emulator (hubs
notifications and findings), Azurite (blob) and the Graph simulator. Prints the environment to run the
worker against it from another terminal (\`graph-dlp run\`), e.g. to try replays with \`graph-dlp checkpoints\`.

Options:
  --data-dir DIR        Keep emulator partitions and blobs in DIR across restarts (default: in memory)
  --eventhubs-port N    AMQP port of the Event Hubs emulator (default 5672; 0 = a free port)
  --blob-port N         Azurite blob port (default 10000; 0 = a free port)
  --graph-port N        Graph simulator port (default 0 = a free port)
  --rate N              Generated Teams messages per second once subscriptions exist (default 5)`;

export const command: CliCommand = {
  summary: 'Run the local Azure stack',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        'data-dir': { type: 'string' },
        'eventhubs-port': { type: 'string' },
        'blob-port': { type: 'string' },
        'graph-port': { type: 'string' },
        rate: { type: 'string' },
      },
      true,
    );
    if (positionals[0] !== 'up')
      throw new UsageError(
        positionals[0] ? `unknown subcommand '${positionals[0]}'` : 'name a subcommand: up',
      );
    const port = (name: string, fallback: number) => {
      const v = values[name as keyof typeof values];
      const n = v === undefined ? fallback : Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new UsageError(`--${name} must be a port number (0-65535)`);
      return n;
    };
    const rate = values.rate === undefined ? 5 : Number(values.rate);
    if (!Number.isFinite(rate) || rate < 0)
      throw new UsageError('--rate must be a number of messages per second');
    const shutdown = waitForShutdownSignal();
    const { startLocalStack } = await import('../../local/stack.js');
    const stack = await startLocalStack({
      eventHubsPort: port('eventhubs-port', 5672),
      blobPort: port('blob-port', 10000),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    });
    try {
      const { startGraphSimulator } = await import('../../local/graph/index.js');
      const sim = await startGraphSimulator({
        port: port('graph-port', 0),
        eventHubsConnectionString: stack.eventHubsConnectionString,
        messagesPerSecond: rate,
      });
      try {
        writeLine(io.stdout, '# local stack is up; in another shell:');
        writeLine(io.stdout, `export EVENTHUB_CONNECTION_STRING='${stack.eventHubsConnectionString}'`);
        writeLine(io.stdout, `export STORAGE_CONNECTION_STRING='${stack.storageConnectionString}'`);
        writeLine(io.stdout, `export GRAPH_BASE_URL='${sim.url}'`);
        writeLine(io.stdout, `export GDLP_TENANT_ID='${sim.tenantId}'`);
        writeLine(io.stdout, `export GDLP_TENANT_DOMAIN='${sim.tenantDomain}'`);
        writeLine(io.stdout, 'export GDLP_KEY_CREATE_IF_MISSING=true');
        writeLine(
          io.stdout,
          'graph-dlp run            # the worker (creates subscriptions; traffic starts once they exist)',
        );
        writeLine(io.stderr, 'Ctrl-C stops the stack.');
        await shutdown.signal;
      } finally {
        await sim.stop();
      }
    } finally {
      shutdown.dispose();
      await stack.stop();
    }
    return 0;
  },
};
