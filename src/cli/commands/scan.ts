import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createDlpEngine, type DlpPolicy, loadPolicyFile } from '../../dlp/index.js';
import { confidenceLevel } from '../../dlp/types.js';
import { type CliCommand, parseCommandArgs, UsageError, writeLine } from '../command.js';

const usage = `Usage: graph-dlp scan [--input FILE.jsonl] [--policy FILE] [--min-confidence LEVEL]

Scan Teams-style HTML for sensitive data. Reads JSON Lines, one object per line:
  {"id": "<string>", "html": "<Teams message HTML>"}
and writes exactly one JSON line per input line, in order:
  {"id": "...", "findings": [{"type": "<canonical type>", "value": "<exact substring of the scannable
   content>", "confidence": "low|medium|high", "start": n, "end": n}]}
A malformed line yields {"id": ..., "error": "<reason>", "findings": []} and scanning continues.
Offsets are UTF-16 code-unit offsets into the scannable content (decoded text, then each link href on
its own line). Each distinct (type, value) is reported once, at its first occurrence.
WARNING: values are printed unmasked; this command is for evaluation and triage, not for logs.

Options:
  --input FILE            JSONL input (default: standard input)
  --policy FILE           DLP policy (JSON or YAML): its per-type minConfidence thresholds and custom
                          detectors apply (default: none; every built-in type at its default minimum
                          confidence: 65 for credit_card and iban, 75 for the others)
  --min-confidence LEVEL  low|medium|high or 1-100: report every type from this confidence instead
                          (default: per-type defaults)
  -h, --help              Show this help`;

const LEVELS: Record<string, number> = { low: 65, medium: 75, high: 85 };

export const command: CliCommand = {
  summary: 'Scan JSONL {"id","html"} lines for sensitive data and print findings',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      input: { type: 'string' },
      policy: { type: 'string' },
      'min-confidence': { type: 'string' },
    });
    let policy: DlpPolicy | undefined;
    if (values.policy) policy = loadPolicyFile(values.policy);
    let minConfidence: Record<string, number> | undefined;
    const mc = values['min-confidence'];
    if (mc !== undefined) {
      const n = LEVELS[mc] ?? (/^\d+$/.test(mc) ? Number(mc) : Number.NaN);
      if (!(n >= 1 && n <= 100))
        throw new UsageError(`--min-confidence must be low, medium, high or 1-100 (got '${mc}')`);
      minConfidence = {};
      const engineProbe = createDlpEngine(policy ? { policy } : {});
      for (const d of engineProbe.detectors) for (const t of d.types) minConfidence[t] = n;
    }
    const engine = createDlpEngine({
      ...(policy ? { policy } : {}),
      ...(minConfidence ? { minConfidence } : {}),
    });
    const input = values.input ? createReadStream(values.input, { encoding: 'utf8' }) : io.stdin;
    const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let buffer = '';
    let lines = 0;
    let errors = 0;
    // A closed pipe (`graph-dlp scan | head`) ends the scan quietly instead of crashing on EPIPE.
    let outputClosed = false;
    let wakeWriter: (() => void) | undefined;
    const onOutputError = (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      outputClosed = true;
      wakeWriter?.();
    };
    io.stdout.on('error', onOutputError);
    const flush = async () => {
      if (buffer.length === 0 || outputClosed) return;
      const chunk = buffer;
      buffer = '';
      if (!io.stdout.write(chunk)) {
        await new Promise<void>((resolve) => {
          wakeWriter = resolve;
          io.stdout.once('drain', () => resolve());
        });
        wakeWriter = undefined;
      }
    };
    try {
      for await (const line of rl) {
        if (outputClosed) break;
        lines++;
        buffer += `${scanLine(engine, line, () => errors++)}\n`;
        if (buffer.length > 64 * 1024) await flush();
      }
      await flush();
    } finally {
      rl.close();
    }
    if (errors > 0) writeLine(io.stderr, `graph-dlp scan: ${lines} line(s), ${errors} malformed`);
    return 0;
  },
};

function scanLine(engine: ReturnType<typeof createDlpEngine>, line: string, onError: () => void): string {
  let doc: unknown;
  try {
    doc = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line); // tolerate a UTF-8 BOM
  } catch (err) {
    onError();
    return JSON.stringify({ id: null, error: `invalid JSON: ${(err as Error).message}`, findings: [] });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    onError();
    return JSON.stringify({
      id: null,
      error: 'expected an object {"id": string, "html": string}',
      findings: [],
    });
  }
  const o = doc as Record<string, unknown>;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? o.id : null;
  if (typeof o.html !== 'string') {
    onError();
    return JSON.stringify({ id, error: 'missing or non-string "html" field', findings: [] });
  }
  try {
    const findings = engine.scanHtml(o.html).map((m) => ({
      type: m.type,
      value: m.value,
      confidence: confidenceLevel(m.confidence),
      start: m.start,
      end: m.end,
    }));
    return JSON.stringify({ id, findings });
  } catch (err) {
    onError();
    return JSON.stringify({ id, error: `scan failed: ${(err as Error).message}`, findings: [] });
  }
}
