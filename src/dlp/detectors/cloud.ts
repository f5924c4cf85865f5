import type { ScanContext } from '../context.js';
import { T_AKIA, T_AWS, T_CONN, T_EQEQ, T_QTILDE, T_SIG } from '../context.js';
import { type Detector, markedFake, nameEndBefore, pushMatch } from '../detector.js';
import { KW_AWS_SECRET, KW_AZURE_STORAGE, KW_CREDENTIAL } from '../keywords.js';
import type { RawMatch } from '../types.js';
import { base64ByteLength, isPlaceholder, shannonEntropy } from '../validators.js';

/** The Azurite / storage-emulator account key: documented, public, never a finding. */
export const AZURE_EMULATOR_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function validStorageKey(key: string): boolean {
  return (
    key.length === 88 &&
    base64ByteLength(key) === 64 &&
    key !== AZURE_EMULATOR_KEY &&
    shannonEntropy(key) >= 4.5 &&
    !isPlaceholder(key)
  );
}

/**
 * Sticky: tried only where the lower-cased view has `defaultendpointsprotocol` (a case-insensitive scan is slow).
 * Values stop at quotes, typographic ones included (`“<code>…EndpointSuffix=core.windows.net</code>”`): no
 * connection-string value holds one.
 */
const CONN_RE =
  /DefaultEndpointsProtocol[ \t]{0,2}=[ \t]{0,2}[^;\s"'<>\u2018\u2019\u201c\u201d\u00ab\u00bb`]*(?:;[ \t]?[A-Za-z]+[ \t]{0,2}=[ \t]{0,2}[^;\s"'<>\u2018\u2019\u201c\u201d\u00ab\u00bb`]*)*/iy;
const CONN_ANCHOR = 'defaultendpointsprotocol';

function isTrimmable(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0;
}

/**
 * The trimmed value of the last `name=value` pair (name compared case-insensitively, trimmed) in a
 * `;`-separated connection string, or undefined; no allocation except the value returned.
 */
export function connectionStringValue(s: string, lowerName: string): string | undefined {
  let found: string | undefined;
  for (let from = 0; from <= s.length; ) {
    let partEnd = s.indexOf(';', from);
    if (partEnd < 0) partEnd = s.length;
    const eq = s.indexOf('=', from);
    if (eq > from && eq < partEnd) {
      let ns = from;
      let ne = eq;
      while (ns < ne && isTrimmable(s.charCodeAt(ns))) ns++;
      while (ne > ns && isTrimmable(s.charCodeAt(ne - 1))) ne--;
      if (ne - ns === lowerName.length) {
        let same = true;
        for (let k = 0; k < lowerName.length && same; k++) {
          const c = s.charCodeAt(ns + k);
          same = (c >= 65 && c <= 90 ? c + 32 : c) === lowerName.charCodeAt(k);
        }
        if (same) found = s.slice(eq + 1, partEnd).trim();
      }
    }
    from = partEnd + 1;
  }
  return found;
}

/**
 * A connection string without what follows it in the sentence: trailing `;` and spaces, sentence punctuation, non-ASCII
 * characters, and a `)` or `]` that closes a bracket opened before the string ("(DefaultEndpointsProtocol=…;BlobEndpoint=https://…/)").
 * No value of a storage connection string ends with any of them (keys end in `=`, endpoints in a name or `/`).
 */
export function trimConnectionStringEnd(s: string): string {
  let end = s.length;
  for (;;) {
    const c = s.charCodeAt(end - 1);
    if (
      c === 59 /* ; */ ||
      c === 32 ||
      c === 46 /* . */ ||
      c === 44 /* , */ ||
      c === 33 /* ! */ ||
      c === 63 /* ? */ ||
      c > 0x7e // an emoji's alt text glued on (`…core.windows.net🔒`): connection strings are ASCII
    )
      end--;
    else if (c === 41 /* ) */ && unclosed(s, end - 1, 40, 41)) end--;
    else if (c === 93 /* ] */ && unclosed(s, end - 1, 91, 93)) end--;
    else break;
  }
  return end === s.length ? s : s.slice(0, end);
}

/** Whether the closing bracket at `at` has no opening one before it in `s` (it closes one outside `s`). */
function unclosed(s: string, at: number, open: number, close: number): boolean {
  let depth = 0;
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    if (c === open) depth++;
    else if (c === close && depth > 0) depth--;
  }
  return depth === 0;
}

export const azureConnectionStringDetector: Detector = {
  id: 'azure_storage_connection_string',
  types: ['azure_storage_connection_string'],
  scan(ctx, out) {
    if (!(ctx.triggers & T_CONN)) return;
    const t = ctx.text;
    const lower = ctx.lower;
    for (let at = lower.indexOf(CONN_ANCHOR); at >= 0; at = lower.indexOf(CONN_ANCHOR, at + 1)) {
      CONN_RE.lastIndex = at;
      const m = CONN_RE.exec(t);
      if (m === null) continue;
      const s = trimConnectionStringEnd(m[0]);
      const name = connectionStringValue(s, 'accountname');
      const key = connectionStringValue(s, 'accountkey');
      if (!name || !key || !ctx.verdict(key, validStorageKey)) continue;
      if (name === 'devstoreaccount1') continue;
      pushMatch(out, ctx, 'azure_storage_connection_string', this.id, m.index, m.index + s.length, 85);
    }
  },
};

function isB64(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/**
 * A SHA-512 digest in base64 is 88 characters with `==`, exactly a storage key's shape: a value written as an SRI
 * integrity string (`sha512-…`) or whose label on its line names a hash or signature ("Signature blob from the audit
 * export: …", `"integrity": …`) is that digest, whatever storage words the message has (`@azure/storage-blob`).
 */
const HASH_LABEL_RE =
  /sha-?(?:256|384|512)|hash|checksum|digest|integrity|(?<!access )signature|signatur|prüfsumme|empreinte|somme de contrôle|suma de comprobación/;
const HASH_LABEL_LOOKBACK = 60;

function labelledAsHash(lower: string, start: number): boolean {
  const lineStart = lower.lastIndexOf('\n', start - 1) + 1;
  return HASH_LABEL_RE.test(lower.slice(Math.max(lineStart, start - HASH_LABEL_LOOKBACK), start));
}

export const azureStorageKeyDetector: Detector = {
  id: 'azure_storage_key',
  types: ['azure_storage_key'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_EQEQ)) return;
    // Anchor on each '==' and look back 86 base64 characters (no regex restarts inside long base64 runs).
    for (let eq = t.indexOf('=='); eq >= 0; eq = t.indexOf('==', eq + 2)) {
      const start = eq - 86;
      if (
        start < 0 ||
        isB64(t.charCodeAt(start - 1)) ||
        isB64(t.charCodeAt(eq + 2)) ||
        t.charCodeAt(eq + 2) === 61
      )
        continue;
      let ok = true;
      for (let k = start; k < eq; k++) {
        if (!isB64(t.charCodeAt(k))) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const m = [t.slice(start, eq + 2)] as [string];
      if (!ctx.verdict(m[0], validStorageKey)) continue;
      if (labelledAsHash(ctx.lower, start)) continue;
      const end = start + 88;
      const ctxOk = ctx.hasKeyword(KW_AZURE_STORAGE, start, end, 300);
      pushMatch(out, ctx, 'azure_storage_key', this.id, start, end, ctxOk ? 85 : 65);
    }
  },
};

const SAS_RE = /(?:^|[?&;\s"'(])sig[ \t]{0,2}=[ \t]{0,2}([A-Za-z0-9%+/]{20,160}={0,2})/gi;

const _SAS_GATE = /sig[ \t]{0,2}=/;

/**
 * A Logic Apps / Power Automate HTTP-trigger URL signs with an HMAC-SHA256 in unpadded base64url (43 characters, the
 * last one's two spare bits zero); SAS_RE above takes the padded base64 of storage SAS, so the two never overlap.
 */
const SAS_URL_SAFE_RE = /(?:^|[?&;\s"'(])sig[ \t]{0,2}=[ \t]{0,2}([A-Za-z0-9_-]{43})(?![A-Za-z0-9_\-%=+/])/gi;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 43 base64url characters that encode exactly 32 bytes (no bits set past the last byte). */
function unpaddedBase64Url32(v: string): boolean {
  return v.length === 43 && (BASE64URL_ALPHABET.indexOf(v.charAt(42)) & 3) === 0;
}

export const azureSasDetector: Detector = {
  id: 'azure_sas_token',
  types: ['azure_sas_token'],
  scan(ctx, out) {
    if (!(ctx.triggers & T_SIG)) return;
    const t = ctx.text;
    SAS_RE.lastIndex = 0;
    for (let m = SAS_RE.exec(t); m !== null; m = SAS_RE.exec(t)) {
      const raw = m[1] as string;
      // The value ends at the first `%3D`-padded or `=`-padded end of a 32-byte base64 HMAC.
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        continue;
      }
      if (isPlaceholder(decoded)) continue;
      if (base64ByteLength(decoded) !== 32) continue;
      if (shannonEntropy(decoded) < 3.5) continue;
      const start = m.index + m[0].length - raw.length;
      pushMatch(out, ctx, 'azure_sas_token', this.id, start, start + raw.length, 85);
    }
    SAS_URL_SAFE_RE.lastIndex = 0;
    for (let m = SAS_URL_SAFE_RE.exec(t); m !== null; m = SAS_URL_SAFE_RE.exec(t)) {
      const sig = m[1] as string;
      if (!unpaddedBase64Url32(sig) || isPlaceholder(sig) || shannonEntropy(sig) < 3.5) continue;
      const start = m.index + m[0].length - sig.length;
      pushMatch(out, ctx, 'azure_sas_token', this.id, start, start + sig.length, 85);
    }
  },
};

// A `.` right after the secret ends a sentence ("…xVESVvM4W. Tenant …") unless more secret characters follow it.
// Exactly 34 characters after `Q~` (the contract's 40-character secret): a copy one character short is a broken
// fragment people point out ("the one in the pipeline was cXD5Q~… — last char missing"), not a working secret.
const ENTRA_RE =
  /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{34}(?![A-Za-z0-9_~-]|\.[A-Za-z0-9_~.-])/g;

export const entraSecretDetector: Detector = {
  id: 'entra_client_secret',
  types: ['entra_client_secret'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_QTILDE)) return;
    ENTRA_RE.lastIndex = 0;
    for (let m = ENTRA_RE.exec(t); m !== null; m = ENTRA_RE.exec(t)) {
      const s = m[0];
      if (shannonEntropy(s) < 3 || isPlaceholder(s)) continue;
      const start = m.index;
      const end = start + s.length;
      if (markedFake(ctx, start, end)) continue;
      pushMatch(
        out,
        ctx,
        'entra_client_secret',
        this.id,
        start,
        end,
        ctx.hasKeyword(KW_CREDENTIAL, start, end, 300) ? 85 : 75,
      );
    }
  },
};

const AWS_ID_RE = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;
const AWS_ID_MIN_ENTROPY = 2.75;

export const awsAccessKeyIdDetector: Detector = {
  id: 'aws_access_key_id',
  types: ['aws_access_key_id'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_AKIA)) return;
    AWS_ID_RE.lastIndex = 0;
    for (let m = AWS_ID_RE.exec(t); m !== null; m = AWS_ID_RE.exec(t)) {
      const s = m[0];
      // Random ids of 16 base32 characters fall below 3 bits of entropy once in ~300 (`AKIA3B4W74WB7QBWT7H5`: 2.98), below
      // 2.75 once in ~5,000; placeholders (`AKIAXXXX…`, `AKIAABCDABCD…`) stay far below.
      if (s.endsWith('EXAMPLE') || shannonEntropy(s.slice(4)) < AWS_ID_MIN_ENTROPY || isPlaceholder(s))
        continue;
      pushMatch(out, ctx, 'aws_access_key_id', this.id, m.index, m.index + 20, 85);
    }
  },
};

function isBase64Code(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 43 /* + */ ||
    c === 47 /* / */
  );
}

/**
 * Start of the next maximal run of exactly 40 `[A-Za-z0-9+/]` characters at or after `from`, not preceded by
 * `_`/`-` and not followed by `=`/`_`/`-` (same as `(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=_-])`),
 * or -1. Linear, and it skips ahead: any run of ≥ 40 characters starting in [i, i + 39] covers i + 39, so
 * when that character is not base64 the whole window is skipped (prose words are short). The regex
 * restarted inside every run, quadratic in the run length.
 */
export function nextBase64Run40(t: string, from: number): number {
  const n = t.length;
  let i = from;
  while (i + 40 <= n) {
    const probe = i + 39;
    if (!isBase64Code(t.charCodeAt(probe))) {
      i = probe + 1;
      continue;
    }
    let runStart = probe;
    while (runStart > i && isBase64Code(t.charCodeAt(runStart - 1))) runStart--;
    let runEnd = probe + 1;
    while (runEnd < n && isBase64Code(t.charCodeAt(runEnd))) runEnd++;
    // A run that starts before `from` counts from `from`, as a scan starting there would see it.
    if (runEnd - runStart === 40) {
      const before = runStart > 0 ? t.charCodeAt(runStart - 1) : 0;
      const after = runEnd < n ? t.charCodeAt(runEnd) : 0;
      if (!(before === 95 || before === 45 || after === 61 || after === 95 || after === 45)) return runStart;
    }
    i = runEnd;
  }
  return -1;
}

/**
 * Whether the value at `start` is assigned to a configuration identifier (`NAME=`, `name: `, `"name": "`) that names
 * neither AWS nor a secret access key: the name says whose value it is.
 */
function namedOtherThanAws(t: string, start: number): boolean {
  const k = nameEndBefore(t, start);
  if (k === start) return false;
  const joiner = t.slice(k, start);
  if (joiner.indexOf('=') < 0 && joiner.indexOf(':') < 0) return false;
  let nameStart = k;
  while (nameStart > 0 && k - nameStart < 64 && isAwsNameCode(t.charCodeAt(nameStart - 1))) nameStart--;
  const name = t.slice(nameStart, k);
  // A configuration identifier (`PERMITS_API_TOKEN`, `apiToken`), not a word of prose ("Secret access key: …"), nor a
  // user or role named in prose ("the secret access key of the IAM user receipts-upload: …").
  if (!/[_.-]|[a-z][A-Z]/.test(name)) return false;
  if (/(?:user|role|account) $/i.test(t.slice(Math.max(0, nameStart - 8), nameStart))) return false;
  return !/aws|secret[_.-]?(?:access|key)|access[_.-]?key|amazon/i.test(name);
}

function isAwsNameCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46
  );
}

export const awsSecretKeyDetector: Detector = {
  id: 'aws_secret_access_key',
  types: ['aws_secret_access_key'],
  scan(ctx: ScanContext, out: RawMatch[]) {
    const t = ctx.text;
    if (!(ctx.triggers & (T_AWS | T_AKIA))) return;
    for (let start = nextBase64Run40(t, 0); start >= 0; start = nextBase64Run40(t, start + 40)) {
      const s = t.slice(start, start + 40);
      if (!/[a-z]/.test(s) || !/[A-Z]/.test(s) || !/\d/.test(s)) continue;
      if (/^[0-9a-fA-F]+$/.test(s) || s.includes('EXAMPLE') || shannonEntropy(s) < 4.25 || isPlaceholder(s))
        continue;
      if (/^[A-Za-z]+(\/[A-Za-z]+)+$/.test(s)) continue; // a path
      // Assigned to another secret's name (`PERMITS_API_TOKEN=…` in the same .env as the AWS key id): that secret's.
      if (namedOtherThanAws(t, start)) continue;
      const end = start + 40;
      const hasId = /(?:AKIA|ASIA)[A-Z2-7]{16}/.test(
        t.slice(Math.max(0, start - 400), Math.min(t.length, end + 400)),
      );
      if (!hasId && !ctx.hasKeyword(KW_AWS_SECRET, start, end, 300)) continue;
      pushMatch(out, ctx, 'aws_secret_access_key', this.id, start, end, 85);
    }
  },
};
