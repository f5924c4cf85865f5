import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
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
its own line). Each distinct (type, value) is reported once, at its first occurrence (findings contract
§9.2); --occurrences all reports every occurrence with its own offsets. Lines end at LF (a CR before it
is dropped; a bare CR stays inside the line); a UTF-8 BOM before the first line is ignored.
WARNING: values are printed unmasked; this command is for evaluation and triage, not for logs.

Options:
  --input FILE            JSONL input (default: standard input)
  --policy FILE           DLP policy (JSON or YAML): its per-type minConfidence thresholds and custom
                          detectors apply (default: none; every built-in type at its default minimum
                          confidence: 65 for credit_card and iban, 75 for the others)
  --min-confidence LEVEL  low|medium|high or 1-100: report every type from this confidence instead
                          (default: per-type defaults)
  --occurrences MODE      first: one finding per distinct (type, value), at its first occurrence;
                          all: every occurrence, each with its own start/end (default: first)
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
      occurrences: { type: 'string' },
    });
    const occurrences = values.occurrences ?? 'first';
    if (occurrences !== 'first' && occurrences !== 'all')
      throw new UsageError(`--occurrences must be first or all (got '${occurrences}')`);
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
    const lineSource = jsonLines(input);
    try {
      for await (const line of lineSource) {
        if (outputClosed) break;
        lines++;
        buffer += `${scanLine(engine, line, () => errors++, occurrences)}\n`;
        if (buffer.length > 64 * 1024) await flush();
      }
      await flush();
    } finally {
      await lineSource.return(undefined);
      if (outputClosed && 'destroy' in input && typeof input.destroy === 'function') input.destroy();
    }
    if (errors > 0) writeLine(io.stderr, `graph-dlp scan: ${lines} line(s), ${errors} malformed`);
    return 0;
  },
};

/**
 * JSONL lines of a text stream, split on `\n` only (a trailing `\r` is dropped). readline would also split
 * on a bare `\r`, which is legal inside a JSON line only as an escape but does occur in raw exports, and
 * would then print two result lines for one input line. The final line needs no newline.
 */
export async function* jsonLines(input: NodeJS.ReadableStream): AsyncGenerator<string, void, undefined> {
  let rest = '';
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let from = 0;
    for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', from)) {
      yield stripCr(rest.slice(from, nl));
      from = nl + 1;
    }
    rest = rest.slice(from);
  }
  rest += decoder.end();
  if (rest.length > 0) yield stripCr(rest);
}

/** JSON.parse, retried once with raw CRs escaped: a bare CR inside a string is what the producer meant. */
function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    if (line.indexOf('\r') < 0) throw err;
    return JSON.parse(line.replace(/\r/g, '\\r'));
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

function scanLine(
  engine: ReturnType<typeof createDlpEngine>,
  line: string,
  onError: () => void,
  occurrences: 'first' | 'all',
): string {
  let doc: unknown;
  try {
    doc = parseJsonLine(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line); // tolerate a UTF-8 BOM
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
    const findings = engine.scanHtml(o.html, { occurrences }).map((m) => ({
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
