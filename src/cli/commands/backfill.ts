import {
  createBackfillStatusStore,
  type GapReport,
  gapKey,
  runBackfill,
  walkFor,
} from '../../backfill/index.js';
import { configSection, loadConfig } from '../../config/index.js';
import { createDlpEngine, loadPolicyFile } from '../../dlp/index.js';
import { createLogger } from '../../log.js';
import { SinkSet } from '../../sinks/sink-set.js';
import {
  controlContainerFromConfig,
  graphClientFromConfig,
  graphConfigOf,
} from '../../subscriptions/from-config.js';
import { createControlStore } from '../../subscriptions/store.js';
import { adaptDlpEngine, type DlpScanEngine } from '../../worker/adapters.js';
import { createToolClients } from '../../worker/clients.js';
import { createConfiguredSinks, workerSettingsFrom } from '../../worker/compose.js';
import {
  type CliCommand,
  intOption,
  parseCommandArgs,
  UsageError,
  wantsHelp,
  writeLine,
} from '../command.js';

const usage = `Usage: graph-dlp backfill <list|run> [options]

Catches up on recorded gaps: windows in which notifications for a subscription may have been lost (a removed or
missed subscription, a recreation after 404). The subscription manager records them; this command reads the
messages that changed in each window straight from Microsoft Graph, scans them with the DLP engine and delivers
the findings to the configured sinks (GDLP_SINKS). Finding ids are the worker's, so messages the worker already
reported are not reported twice. A gap done is recorded in the control container and skipped next time.

  list        The recorded gaps: resource, window, reason, and whether they are done (messages, findings).
  run         Backfill every gap not done yet (or one with --gap N, the number \`list\` shows).

Graph reads (Teams export APIs, lastModifiedDateTime range, the subscription's payment model): tenant-wide
channels GET /teams (Team.ReadBasic.All) then /teams/{id}/channels/getAllMessages (ChannelMessage.Read.All);
tenant-wide chats GET /users (User.Read.All) then /users/{id}/chats/getAllMessages (Chat.Read.All); one channel
or one user's chats read only that. Each read starts 5 minutes before the gap; a gap whose subscription has not
been recreated yet is "open" and waits.

Options:
  --file FILE   JSON or YAML config file (same as GDLP_CONFIG_FILE); environment variables win.
  --gap N       (run) only the gap numbered N in \`list\` (1-based).
  --dry-run     (run) count messages and findings; deliver nothing, record nothing.
  --redo        (run) also redo gaps already recorded as done (sinks dedupe repeats).
  --json        print JSON instead of lines.

Configuration: the worker's (graph-dlp config options): GRAPH_BASE_URL, GDLP_TENANT_ID, Graph credentials,
STORAGE_CONNECTION_STRING or STORAGE_ACCOUNT_URL (control container), GDLP_SINKS and the sink settings,
GDLP_POLICY_FILE.`;

export const command: CliCommand = {
  summary: 'Catch up on recorded subscription gaps from Graph: `backfill list|run`',
  usage,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      writeLine(io.stdout, usage);
      return 0;
    }
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        file: { type: 'string' },
        gap: { type: 'string' },
        'dry-run': { type: 'boolean' },
        redo: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      true,
    );
    const sub = positionals[0];
    if (sub !== 'list' && sub !== 'run') throw new UsageError('name a subcommand: list or run');
    const config = loadConfig({ ...(values.file ? { file: values.file } : {}), purpose: 'worker' });
    const logger = createLogger({
      level: configSection<string>(config, 'logLevel') as never,
      destination: io.stderr,
    });
    const container = controlContainerFromConfig(config);
    const gaps = (await createControlStore(container).readRegistry()).gaps;
    const status = createBackfillStatusStore(container);
    if (sub === 'list') {
      const done = (await status.read()).status.done;
      const rows = gaps.map((g, i) => {
        const d = done[gapKey(g)];
        const walk = walkFor(g.resource);
        return {
          n: i + 1,
          resource: g.resource,
          from: g.from,
          to: g.to,
          reason: g.reason,
          state: d ? 'done' : g.open ? 'open' : walk.kind === 'unsupported' ? 'unsupported' : 'pending',
          ...(d ? { doneAt: d.at, messages: d.messages, findings: d.findings } : {}),
        };
      });
      if (values.json) writeLine(io.stdout, JSON.stringify({ gaps: rows }, null, 2));
      else if (rows.length === 0) writeLine(io.stdout, 'no gaps recorded');
      else
        for (const r of rows)
          writeLine(
            io.stdout,
            `${r.n}. ${r.state.padEnd(11)} ${r.resource} ${r.from} → ${r.to} (${r.reason})${r.state === 'done' ? `: ${r.messages} messages, ${r.findings} findings` : ''}`,
          );
      return 0;
    }
    const only =
      values.gap !== undefined ? intOption('gap', values.gap, 1, 1, Math.max(1, gaps.length)) : undefined;
    const selected = only !== undefined ? [gaps[only - 1]!] : gaps;
    if (selected.length === 0) {
      writeLine(io.stdout, 'no gaps recorded: nothing to backfill');
      return 0;
    }
    const settings = workerSettingsFrom(config);
    const graph = graphClientFromConfig(config);
    const policyFile = configSection<{ policyFile?: string }>(config, 'dlp').policyFile;
    const engine = createDlpEngine(policyFile ? { policy: loadPolicyFile(policyFile) } : {});
    let sinks: SinkSet | undefined;
    if (!values['dry-run']) {
      const { blobService } = await createToolClients(settings);
      const policy = { baseMs: settings.sinks.retryBaseMs, maxMs: settings.sinks.retryMaxMs };
      sinks = new SinkSet(createConfiguredSinks(settings, { blobService, graph, logger }), {
        requiredBackoff: { ...policy, maxAttempts: 20 },
        bestEffortBackoff: { ...policy, maxAttempts: settings.sinks.bestEffortAttempts },
        poisonAttempts: settings.sinks.bestEffortAttempts,
        logger,
      });
    }
    const ac = new AbortController();
    const onSignal = () => ac.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let reports: GapReport[];
    try {
      reports = await runBackfill(selected, {
        graph,
        scanner: adaptDlpEngine(engine as unknown as DlpScanEngine),
        ...(sinks ? { sinks } : {}),
        status,
        tenantId: graphConfigOf(config).tenantId ?? '',
        logger,
        dryRun: values['dry-run'] === true,
        redo: values.redo === true,
        signal: ac.signal,
        onProgress: (line) => writeLine(io.stderr, line),
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      for (const s of sinks?.sinks ?? []) await s.close().catch(() => {});
    }
    if (values.json) writeLine(io.stdout, JSON.stringify({ gaps: reports }, null, 2));
    else
      for (const r of reports)
        writeLine(
          io.stdout,
          `${r.status.padEnd(12)} ${r.resource} ${r.from} → ${r.to}: ${r.messages} messages, ${r.findings} findings${r.reason ? ` (${r.reason})` : ''}`,
        );
    return reports.some((r) => r.status === 'failed') ? 1 : 0;
  },
};
