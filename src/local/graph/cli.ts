import {
  type CliCommand,
  parseCommandArgs,
  UsageError,
  waitForShutdownSignal,
  wantsHelp,
  writeLine,
} from '../../cli/command.js';
import { configSection, loadConfig } from '../../config/index.js';
import { createLogger } from '../../log.js';
import { startGraphSimulator } from './index.js';

const usage = `Usage: graph-dlp emulator graph [options]

Microsoft Graph simulator: Graph's subscription API (POST/GET/list/PATCH/DELETE/reauthorize with Graph's validation
rules and error bodies, 429 with Retry-After at a configurable rate), message GET, the policyViolation PATCH, channel
and chat delta, and a publisher that writes into the Event Hub of every live subscription what Graph writes: the
validation message on creation, encrypted rich chatMessage notifications, lifecycle events. It accepts ANY bearer
token (local test double; no identity provider). Runs until SIGINT/SIGTERM.

Options:
  --host HOST                   Listen address. Default 127.0.0.1.
  --port PORT                   Listen port. Default 0 (a free port; the URL is printed).
  --eventhubs-connection-string CS
                                Event Hubs connection string used for every EventHub: namespace (the local emulator's).
                                Default: EVENTHUB_CONNECTION_STRING. Without one, nothing is published.
  --rate N                      Teams messages per second to publish. Default 1. 0 = none.
  --seed N                      Seed for tenant and traffic (deterministic). Default 1.
  --sensitive-share F           Share of messages with planted sensitive data, 0..1. Default 0.2.
  --tenant-id GUID              Tenant id in notifications. Default 8afd02d6-ebdd-4270-a515-c749898ea5c5.
  --tenant-domain DOMAIN        Domain expected in ?tenantId= of Event Hubs URLs. Default contoso.onmicrosoft.com.
  --throttle-rate F             Share of requests answered 429, 0..1. Default 0.
  --retry-after S               Retry-After seconds on 429. Default 1.
  --max-lifetime-minutes N      Longest subscription lifetime accepted. Default 4320.
  --lifecycle-every-ms MS       Send reauthorizationRequired to every subscription this often (ms). Default 0 (never).`;

export const command: CliCommand = {
  summary: 'Microsoft Graph simulator',
  usage,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      writeLine(io.stdout, usage);
      return 0;
    }
    const { values } = parseCommandArgs(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      'eventhubs-connection-string': { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      'sensitive-share': { type: 'string' },
      'tenant-id': { type: 'string' },
      'tenant-domain': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'retry-after': { type: 'string' },
      'max-lifetime-minutes': { type: 'string' },
      'lifecycle-every-ms': { type: 'string' },
    });
    const num = (
      name: string,
      v: string | undefined,
      fallback: number,
      min = 0,
      max = Number.POSITIVE_INFINITY,
    ) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max)
        throw new UsageError(`--${name} must be a number between ${min} and ${max}, got '${v}'`);
      return n;
    };
    const connectionString =
      values['eventhubs-connection-string'] ??
      configSection<{ connectionString?: string }>(loadConfig(), 'eventHubs').connectionString;
    const sim = await startGraphSimulator({
      host: values.host ?? '127.0.0.1',
      port: num('port', values.port, 0, 0, 65_535),
      ...(connectionString ? { eventHubsConnectionString: connectionString } : {}),
      messagesPerSecond: num('rate', values.rate, 1),
      seed: num('seed', values.seed, 1),
      sensitiveShare: num('sensitive-share', values['sensitive-share'], 0.2, 0, 1),
      ...(values['tenant-id'] ? { tenantId: values['tenant-id'] } : {}),
      ...(values['tenant-domain'] ? { tenantDomain: values['tenant-domain'] } : {}),
      throttleRate: num('throttle-rate', values['throttle-rate'], 0, 0, 1),
      retryAfterSeconds: num('retry-after', values['retry-after'], 1),
      maxLifetimeMinutes: num('max-lifetime-minutes', values['max-lifetime-minutes'], 4_320, 1),
      lifecycleEveryMs: num('lifecycle-every-ms', values['lifecycle-every-ms'], 0),
      logger: createLogger({ base: { component: 'graph-simulator' } }),
    });
    writeLine(io.stdout, `Graph simulator listening: GRAPH_BASE_URL=${sim.url}`);
    writeLine(
      io.stdout,
      `tenant ${sim.tenantId} (${sim.tenantDomain}); publishing ${connectionString ? 'into Event Hubs' : 'nowhere (no Event Hubs connection string)'}`,
    );
    const { signal, dispose } = waitForShutdownSignal();
    await signal;
    dispose();
    await sim.stop();
    writeLine(io.stdout, `stopped; ${sim.sentEvents()} events published`);
    return 0;
  },
};
