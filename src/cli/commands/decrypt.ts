/**
 * `graph-dlp decrypt`: decrypts Graph change notifications with one private key (PEM or PKCS#12).
 * Contract (external checks rely on it): one compact JSON line per decrypted resource on stdout, in input
 * order; items without encryptedContent are skipped with a note on stderr; any failure prints
 * `<ERROR_CODE>: <message>` on stderr, no plaintext of that item, and the exit code is non-zero.
 */
import { readFile } from 'node:fs/promises';
import { certificateThumbprint, decryptNotificationContent, readKeyFile } from '../../crypto/index.js';
import { describeError, GraphDlpError, isGraphDlpError } from '../../errors.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeLine } from '../command.js';

const usage = `Usage: graph-dlp decrypt --key <file.pem|file.pfx> [--password P] [--input FILE]

Decrypts the encryptedContent of Microsoft Graph change notifications (rich notifications) and prints each
decrypted resource as one compact JSON line on stdout, in input order.

Input (FILE or stdin, UTF-8 JSON): one change notification, a collection {"value":[...]}, an Event Hubs
body (the same collection), a JSON array of those, a bare encryptedContent object, or JSON Lines of any
of them. Items without encryptedContent (validation messages, lifecycle events, notifications without
resource data) are skipped with a note on stderr.

On a failure prints "<ERROR_CODE>: <message>" on stderr (e.g. GDLP_DECRYPT_SIGNATURE_MISMATCH), prints
nothing of the failed item, continues with the other items, and exits 1. Usage errors exit 2.

Options:
  --key FILE        Private key: PEM (PKCS#8, PKCS#1 or encrypted PKCS#8, optionally with the certificate)
                    or PKCS#12 (.pfx/.p12, binary or base64 text). Required.
  --password P      Password of the PKCS#12 file or encrypted PEM key (default: none)
  --input FILE      Read from FILE instead of stdin
  -h, --help        Show this help

The certificate id is not checked (one key decrypts whatever it can); when the key file includes the
certificate, each item's encryptionCertificateThumbprint must match it.`;

const BAD_INPUT = 'GDLP_DECRYPT_BAD_INPUT';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Parses the whole input as JSON, else as JSON Lines. */
export function parseInputDocuments(text: string): unknown[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new GraphDlpError(BAD_INPUT, 'poison', 'input is empty');
  try {
    return [JSON.parse(trimmed)];
  } catch {
    const docs: unknown[] = [];
    const lines = trimmed.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      try {
        docs.push(JSON.parse(line));
      } catch {
        throw new GraphDlpError(
          BAD_INPUT,
          'poison',
          `input is neither JSON nor JSON Lines (line ${i + 1} does not parse)`,
        );
      }
    }
    return docs;
  }
}

export type InputItem =
  | { kind: 'encrypted'; encryptedContent: unknown; label: string }
  | { kind: 'skip'; label: string; reason: string };

/** Flattens the accepted input shapes into notification items, in order. */
export function collectItems(doc: unknown, label = 'item', out: InputItem[] = []): InputItem[] {
  if (Array.isArray(doc)) {
    for (const [i, d] of doc.entries()) collectItems(d, `${label}[${i}]`, out);
    return out;
  }
  if (typeof doc === 'string') {
    // An Event Hubs body captured as a JSON string.
    let inner: unknown;
    try {
      inner = JSON.parse(doc);
    } catch {
      out.push({ kind: 'skip', label, reason: 'a string that is not JSON' });
      return out;
    }
    return collectItems(inner, label, out);
  }
  if (doc === null || typeof doc !== 'object') {
    out.push({ kind: 'skip', label, reason: `not an object (${doc === null ? 'null' : typeof doc})` });
    return out;
  }
  const o = doc as Record<string, unknown>;
  if (Array.isArray(o.value)) {
    for (const [i, d] of o.value.entries()) collectItems(d, `${label}.value[${i}]`, out);
    return out;
  }
  if ('body' in o && !('encryptedContent' in o) && !('data' in o))
    return collectItems(o.body, `${label}.body`, out);
  if ('encryptedContent' in o && o.encryptedContent !== null && o.encryptedContent !== undefined) {
    out.push({ kind: 'encrypted', encryptedContent: o.encryptedContent, label });
    return out;
  }
  if ('data' in o && 'dataKey' in o) {
    out.push({ kind: 'encrypted', encryptedContent: o, label });
    return out;
  }
  const reason =
    typeof o.lifecycleEvent === 'string'
      ? `lifecycle event ${o.lifecycleEvent}`
      : typeof o.changeType === 'string' && o.changeType.startsWith('Validation')
        ? 'Event Hubs validation message'
        : typeof o.changeType === 'string'
          ? `notification without resource data (${o.changeType})`
          : 'no encryptedContent';
  out.push({ kind: 'skip', label, reason });
  return out;
}

async function decryptCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    key: { type: 'string' },
    password: { type: 'string' },
    input: { type: 'string' },
  });
  if (values.help) {
    writeLine(io.stdout, usage);
    return 0;
  }
  if (!values.key) throw new UsageError('--key is required');
  const key = await readKeyFile(values.key, values.password);
  const thumbprint = key.certificateDer ? certificateThumbprint(key.certificateDer) : undefined;
  let raw: Buffer;
  try {
    raw = values.input ? await readFile(values.input) : await readAll(io.stdin);
  } catch (err) {
    throw new GraphDlpError(
      BAD_INPUT,
      'poison',
      `cannot read input ${values.input ?? 'stdin'}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const items: InputItem[] = [];
  for (const [i, doc] of parseInputDocuments(raw.toString('utf8')).entries())
    collectItems(doc, `document ${i + 1}`, items);
  let failures = 0;
  let decrypted = 0;
  for (const item of items) {
    if (item.kind === 'skip') {
      writeLine(io.stderr, `graph-dlp decrypt: skipped ${item.label}: ${item.reason}`);
      continue;
    }
    let line: string;
    try {
      const value = decryptNotificationContent(
        item.encryptedContent,
        key.privateKey,
        thumbprint ? { expectedThumbprint: thumbprint } : {},
      );
      line = JSON.stringify(value);
    } catch (err) {
      failures++;
      writeLine(
        io.stderr,
        isGraphDlpError(err)
          ? `${err.code}: ${err.message} (${item.label})`
          : `${describeError(err)} (${item.label})`,
      );
      continue;
    }
    writeLine(io.stdout, line);
    decrypted++;
  }
  if (failures > 0)
    writeLine(
      io.stderr,
      `graph-dlp decrypt: ${failures} of ${decrypted + failures} encrypted item(s) failed`,
    );
  return failures > 0 ? 1 : 0;
}

export const command: CliCommand = {
  summary: 'Decrypt Graph change notifications (encryptedContent) with a private key',
  usage,
  run: decryptCommand,
};
