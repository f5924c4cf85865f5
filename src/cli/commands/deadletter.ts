import { loadConfig } from '../../config/index.js';
import { BlobDeadLetterStore, type DeadLetterSummary } from '../../deadletter/store.js';
import { createToolClients } from '../../worker/clients.js';
import { workerSettingsFrom } from '../../worker/compose.js';
import { type CliCommand, parseCommandArgs, UsageError, writeLine } from '../command.js';

const usage = `Usage: graph-dlp deadletter <list|show|redrive> [options]

Dead-lettered events (malformed, forged, tampered, undecryptable) kept with their raw bytes, position
and reason in the GDLP_DEADLETTER_CONTAINER blob container (default deadletters).

  list                  One line per dead letter: name, partition, sequence number, error code, time.
  show NAME             The record: position, error code/kind/message, attempts; the raw body as base64
                        with --raw (it may contain encrypted message content; never printed by default).
  redrive NAME...|--all Send the raw event bytes back to the notifications hub (after fixing the cause,
                        e.g. a missing key) and delete the records that were re-sent.

Options:
  --code CODE        list/redrive: only dead letters with this error code
  --partition ID     list/redrive: only this partition
  --limit N          list: at most N rows (default 100)
  --all              redrive: every dead letter matching the filters
  --raw              show: include the raw body (base64)
  --json             machine-readable output
  --config FILE      config file (GDLP_CONFIG_FILE); connection settings as for \`graph-dlp run\``;

export const command: CliCommand = {
  summary: 'Dead-lettered events: list, show, redrive',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        code: { type: 'string' },
        partition: { type: 'string' },
        limit: { type: 'string' },
        all: { type: 'boolean' },
        raw: { type: 'boolean' },
        json: { type: 'boolean' },
        config: { type: 'string' },
      },
      true,
    );
    const [sub, ...names] = positionals;
    if (!sub || !['list', 'show', 'redrive'].includes(sub))
      throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'name a subcommand: list, show or redrive');
    const settings = workerSettingsFrom(loadConfig(values.config ? { file: values.config } : {}));
    const clients = await createToolClients(settings);
    const store = new BlobDeadLetterStore(
      clients.blobService.getContainerClient(settings.storage.deadLetterContainer),
    );
    const filter = (d: DeadLetterSummary) =>
      (!values.code || d.errorCode === values.code) &&
      (!values.partition || d.partitionId === values.partition);

    if (sub === 'list') {
      const limit = values.limit ? Number(values.limit) : 100;
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError('--limit must be a positive whole number');
      const rows = (await store.list()).filter(filter).slice(0, limit);
      if (values.json) writeLine(io.stdout, JSON.stringify(rows));
      else {
        writeLine(
          io.stdout,
          `${'NAME'.padEnd(64)} ${'PART'.padEnd(5)} ${'SEQ'.padStart(8)}  ${'CODE'.padEnd(42)} TIME`,
        );
        for (const d of rows)
          writeLine(
            io.stdout,
            `${d.name.padEnd(64)} ${d.partitionId.padEnd(5)} ${String(d.sequenceNumber).padStart(8)}  ${d.errorCode.padEnd(42)} ${d.deadLetteredAt}`,
          );
        writeLine(io.stderr, `${rows.length} dead letter(s)`);
      }
      return 0;
    }
    if (sub === 'show') {
      if (names.length !== 1) throw new UsageError('show takes exactly one NAME (see `deadletter list`)');
      const record = await store.get(names[0]!);
      const { rawBody, ...rest } = record;
      const shown = {
        ...rest,
        rawBodyBytes: rawBody.length,
        ...(values.raw ? { rawBodyBase64: Buffer.from(rawBody).toString('base64') } : {}),
      };
      writeLine(io.stdout, values.json ? JSON.stringify(shown) : JSON.stringify(shown, null, 2));
      return 0;
    }
    // redrive
    if (names.length === 0 && !values.all) throw new UsageError('redrive needs NAME... or --all');
    const targets = names.length > 0 ? names : (await store.list()).filter(filter).map((d) => d.name);
    const producer = clients.producer(settings.eventHubs.name);
    let sent = 0;
    try {
      for (const name of targets) {
        const record = await store.get(name);
        await producer.sendBatch([{ body: record.rawBody }]);
        await store.delete(name);
        sent++;
        writeLine(io.stderr, `redriven ${name}`);
      }
    } finally {
      await producer.close();
    }
    writeLine(io.stderr, `${sent} event(s) sent back to ${settings.eventHubs.name}`);
    return 0;
  },
};
