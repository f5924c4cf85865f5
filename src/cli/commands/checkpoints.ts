import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '../../config/index.js';
import { createGroupAdmin, type PartitionReport } from '../../consumer/checkpoint-admin.js';
import {
  type PlannedReset,
  parseDurationMs,
  planFromCsv,
  planReset,
  planToCsv,
  type ResetStrategy,
} from '../../consumer/replay-plan.js';
import { GraphDlpError } from '../../errors.js';
import { createToolClients } from '../../worker/clients.js';
import { workerSettingsFrom } from '../../worker/compose.js';
import { type CliCommand, parseCommandArgs, UsageError, writeLine } from '../command.js';

const usage = `Usage: graph-dlp checkpoints <show|reset> [options]

  show    Per partition: checkpointed sequence number, retained range, last enqueued, lag (events not yet
          processed by the group) and the current owner.
  reset   Move a consumer group's checkpoints, like kafka-consumer-groups --reset-offsets. Prints the plan
          (dry run) unless --execute. Refuses while live consumers own the partitions (ownership renewed
          within GDLP_OWNERSHIP_EXPIRY_MS) unless --force: stop the workers (or scale to 0) first.

Strategy (reset, exactly one):
  --to-earliest           Restart at the oldest retained event.
  --to-latest             Skip everything enqueued so far.
  --to-datetime TIME      Restart at the first event enqueued at or after TIME (ISO-8601, e.g. 2026-11-23T05:00:00Z).
  --by-duration DUR       Restart DUR ago (ISO-8601 PT2H, P1DT30M, or 90s, 15m, 2h, 1d).
  --shift-by N            Move by N events from the current checkpoint (negative = replay N events).
  --to-sequence N         Restart at sequence number N.
  --from-file FILE        Apply a plan exported with --export (CSV: partition,next_sequence_number).

Options:
  --consumer-group NAME   Group to show/reset (default GDLP_CONSUMER_GROUP, graph-dlp).
  --partition LIST        Only these partitions, e.g. 0,3 (default: all).
  --execute               Write the checkpoints (default: dry run, print the plan only).
  --force                 Reset even though live consumers own partitions (they may overwrite it).
  --export FILE           Also write the plan as CSV to FILE.
  --json                  Machine-readable output.
  --config FILE           Config file (GDLP_CONFIG_FILE); connection settings as for \`graph-dlp run\`.

Replays are safe downstream: finding ids are deterministic; the file and blob sinks dedupe by id, the
Event Hubs and HTTP sinks carry the id (messageId / JSON field) so their consumers can dedupe.
To replay without touching the main group, use a side group: \`graph-dlp run --consumer-group replay --start 2026-11-23T05:00:00Z\`.`;

export const command: CliCommand = {
  summary: 'Consumer-group checkpoints: show and reset (replay)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        'consumer-group': { type: 'string' },
        partition: { type: 'string' },
        execute: { type: 'boolean' },
        force: { type: 'boolean' },
        export: { type: 'string' },
        'from-file': { type: 'string' },
        json: { type: 'boolean' },
        config: { type: 'string' },
        'to-earliest': { type: 'boolean' },
        'to-latest': { type: 'boolean' },
        'to-datetime': { type: 'string' },
        'by-duration': { type: 'string' },
        'shift-by': { type: 'string' },
        'to-sequence': { type: 'string' },
      },
      true,
    );
    const sub = positionals[0];
    if (sub !== 'show' && sub !== 'reset')
      throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'name a subcommand: show or reset');
    let strategy: ResetStrategy | undefined;
    let fromFile: Array<{ partitionId: string; targetNextSequenceNumber: number }> | undefined;
    if (sub === 'reset') {
      const chosen = [
        'to-earliest',
        'to-latest',
        'to-datetime',
        'by-duration',
        'shift-by',
        'to-sequence',
        'from-file',
      ].filter((k) => values[k as keyof typeof values] !== undefined);
      if (chosen.length !== 1)
        throw new UsageError(
          'choose exactly one of --to-earliest, --to-latest, --to-datetime, --by-duration, --shift-by, --to-sequence, --from-file',
        );
      strategy = parseStrategy(values);
      if (values['from-file']) fromFile = planFromCsv(await readFile(values['from-file'], 'utf8'));
    }

    const overrides: Record<string, unknown> = {};
    if (values['consumer-group']) overrides['eventHubs.consumerGroup'] = values['consumer-group'];
    const config = loadConfig({ ...(values.config ? { file: values.config } : {}), overrides });
    const settings = workerSettingsFrom(config);
    const partitions = values.partition
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);

    const clients = await createToolClients(settings);
    const client = clients.consumer();
    try {
      const admin = createGroupAdmin({
        client,
        consumerGroup: settings.eventHubs.consumerGroup,
        checkpointStore: clients.checkpointStore,
        ownershipExpiryMs: settings.consumer.ownershipExpiryMs,
      });
      const reports = await admin.report(partitions);
      if (sub === 'show') {
        if (values.json) writeLine(io.stdout, JSON.stringify(reports));
        else printReports(io.stdout, admin.eventHubName, admin.consumerGroup, reports);
        return 0;
      }
      let plan: PlannedReset[];
      if (fromFile) {
        plan = fromFile
          .filter((row) => !partitions || partitions.includes(row.partitionId))
          .map((row) => {
            const r = reports.find((x) => x.partitionId === row.partitionId);
            if (!r)
              throw new GraphDlpError(
                'GDLP_CHECKPOINT_UNKNOWN_PARTITION',
                'fatal',
                `plan names partition '${row.partitionId}', which ${admin.eventHubName} does not have`,
              );
            return planReset(
              [r],
              { kind: 'to-sequence', sequenceNumber: row.targetNextSequenceNumber },
              new Date(),
            )[0]!;
          });
      } else {
        const resolved = new Map<string, number | undefined>();
        if (strategy!.kind === 'to-datetime' || strategy!.kind === 'by-duration') {
          const at =
            strategy!.kind === 'to-datetime' ? strategy!.at : new Date(Date.now() - strategy!.durationMs);
          for (const r of reports)
            resolved.set(
              r.partitionId,
              r.isEmpty ? undefined : await admin.sequenceAtOrAfter(r.partitionId, at),
            );
        }
        plan = planReset(reports, strategy!, new Date(), (pid) => resolved.get(pid));
      }
      if (values.json)
        writeLine(
          io.stdout,
          JSON.stringify({ consumerGroup: admin.consumerGroup, plan, executed: !!values.execute }),
        );
      else printPlan(io.stdout, admin.consumerGroup, plan);
      if (values.export) {
        await writeFile(values.export, planToCsv(plan));
        writeLine(io.stderr, `plan written to ${values.export}`);
      }
      if (!values.execute) {
        writeLine(io.stderr, 'dry run: nothing written. Add --execute to apply this plan.');
        return 0;
      }
      const owned = reports.filter((r) => r.liveOwner && plan.some((p) => p.partitionId === r.partitionId));
      if (owned.length > 0 && !values.force) {
        writeLine(
          io.stderr,
          `refusing to reset: live consumers own partition(s) ${owned.map((r) => `${r.partitionId} (${r.ownerId}, renewed ${Math.round((r.ownershipAgeMs ?? 0) / 1000)} s ago)`).join(', ')}. Stop the workers of group '${admin.consumerGroup}' first, or pass --force.`,
        );
        return 4;
      }
      await admin.apply(plan, reports);
      writeLine(
        io.stderr,
        `checkpoints of group '${admin.consumerGroup}' reset on ${plan.length} partition(s). Start the workers to replay.`,
      );
      return 0;
    } finally {
      await client.close();
    }
  },
};

function parseStrategy(values: Record<string, string | boolean | undefined>): ResetStrategy {
  if (values['to-earliest']) return { kind: 'to-earliest' };
  if (values['to-latest']) return { kind: 'to-latest' };
  if (typeof values['to-datetime'] === 'string') {
    const t = Date.parse(values['to-datetime']);
    if (!Number.isFinite(t))
      throw new UsageError(`--to-datetime: '${values['to-datetime']}' is not an ISO-8601 time`);
    return { kind: 'to-datetime', at: new Date(t) };
  }
  if (typeof values['by-duration'] === 'string') {
    try {
      return { kind: 'by-duration', durationMs: parseDurationMs(values['by-duration']) };
    } catch (err) {
      throw new UsageError(`--by-duration: ${(err as Error).message}`);
    }
  }
  const int = (name: string) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n))
      throw new UsageError(`--${name}: expected a whole number, got '${values[name]}'`);
    return n;
  };
  if (values['shift-by'] !== undefined) return { kind: 'shift-by', delta: int('shift-by') };
  if (values['to-sequence'] !== undefined) return { kind: 'to-sequence', sequenceNumber: int('to-sequence') };
  return { kind: 'to-sequence', sequenceNumber: 0 };
}

function printReports(
  out: NodeJS.WritableStream,
  hub: string,
  group: string,
  reports: PartitionReport[],
): void {
  writeLine(out, `event hub ${hub}, consumer group ${group}`);
  writeLine(
    out,
    `${'PARTITION'.padEnd(10)}${'CHECKPOINT'.padStart(12)}${'RETAINED'.padStart(20)}${'LAST'.padStart(10)}${'LAG'.padStart(8)}  OWNER`,
  );
  for (const r of reports) {
    const retained = r.isEmpty ? '(empty)' : `${r.beginningSequenceNumber}..${r.lastEnqueuedSequenceNumber}`;
    const owner = r.ownerId ? `${r.ownerId}${r.liveOwner ? '' : ' (expired)'}` : '-';
    writeLine(
      out,
      `${r.partitionId.padEnd(10)}${String(r.checkpointSequenceNumber ?? '-').padStart(12)}${retained.padStart(20)}${String(r.lastEnqueuedSequenceNumber).padStart(10)}${String(r.lag).padStart(8)}  ${owner}`,
    );
  }
  writeLine(out, `total lag: ${reports.reduce((s, r) => s + r.lag, 0)} events`);
}

function printPlan(out: NodeJS.WritableStream, group: string, plan: PlannedReset[]): void {
  writeLine(out, `reset plan for consumer group ${group}`);
  writeLine(
    out,
    `${'PARTITION'.padEnd(10)}${'CURRENT NEXT'.padStart(14)}${'NEW NEXT'.padStart(12)}${'REPLAYED'.padStart(10)}`,
  );
  for (const p of plan) {
    writeLine(
      out,
      `${p.partitionId.padEnd(10)}${String(p.currentNextSequenceNumber ?? '(none)').padStart(14)}${String(p.targetNextSequenceNumber).padStart(12)}${String(p.delta ?? '-').padStart(10)}${p.clamped ? '  (clamped to retained range)' : ''}`,
    );
  }
}
