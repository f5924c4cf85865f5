/**
 * Pure validators: checksums, number ranges, token checksums, structure checks and entropy. No I/O except
 * `crypto.createPrivateKey` for PEM parsing (CPU only).
 */
import { createPrivateKey } from 'node:crypto';

/** Strip everything but ASCII digits. */
export function digitsOf(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}

/** Number of ASCII digits in `s`. */
export function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay';

/**
 * Brand by IIN prefix and length; undefined when none of the contract's brands (§9.3: Visa, Mastercard, Amex,
 * Discover, JCB, Diners, UnionPay) issues that prefix/length combination. Maestro and RuPay ranges (50, 56-58, 60,
 * 63, 67, 81, 82…) are left out on purpose: the contract's validator does not list them, and those prefixes carry
 * bank transaction and reference ids that pass Luhn by chance.
 */
export function cardBrand(d: string): CardBrand | undefined {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19 ? 'visa' : undefined;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16 ? 'mastercard' : undefined;
  if (p2 === 34 || p2 === 37) return n === 15 ? 'amex' : undefined;
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) {
    return n >= 16 && n <= 19 ? 'discover' : undefined;
  }
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19 ? 'jcb' : undefined;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39 || p3 === 309) {
    return n >= 14 && n <= 19 ? 'diners' : undefined;
  }
  if (p2 === 62) return n >= 16 && n <= 19 ? 'unionpay' : undefined;
  return undefined;
}

/** Reserved processor test PANs (Visa/Stripe/Adyen/PayPal documentation); never findings (§9.4). */
export const TEST_PANS = new Set([
  '4111111111111111',
  '4012888888881881',
  '4222222222222',
  '4242424242424242',
  '4000056655665556',
  '4000000000000002',
  '4000000000009995',
  '4000000000000077',
  '4000002500003155',
  '4000000000003220',
  '4917610000000000',
  '4462030000000000',
  '4005550000000001',
  '4444333322221111',
  '4988438843884305',
  '4035501000000008',
  '5555555555554444',
  '5105105105105100',
  '5200828282828210',
  '5454545454545454',
  '5431111111111111',
  '2223003122003222',
  '2222400070000005',
  '5425233430109903',
  '2223000048410010',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '340000000000009',
  '370000000000002',
  '6011111111111117',
  '6011000990139424',
  '6011601160116611',
  '6011000000000004',
  '6445644564456445',
  '3530111333300000',
  '3566002020360505',
  '3566111111111113',
  '30569309025904',
  '38520000023237',
  '36227206271667',
  '3056930009020004',
  '6200000000000005',
  '6250941006528599',
  '6759649826438453',
  '4111111145551142',
  '5555341244441115',
  '370000000000002',
  '6771798021000008',
  '4000020000000000',
  '4000160000000004',
  '4000002760003184',
  '4000000000000010',
  '4000000000000028',
  '4000000000000036',
  '4000000000000101',
  '4000000000000341',
  '4000000000000127',
  '4000000000000069',
  '4000000000000119',
  '5105105105105100',
  '4007000000027',
  '4012888818888',
  '4217651111111119',
  '5424000000000015',
  '6011000000000012',
  '4032039317984658',
]);

/** True when the digits repeat one digit or run in a simple ascending/descending sequence. */
export function isTrivialDigits(d: string): boolean {
  if (/^(\d)\1+$/.test(d)) return true;
  if ('01234567890123456789'.includes(d) || '98765432109876543210'.includes(d)) return true;
  return false;
}

export function validCard(d: string): boolean {
  return (
    d.length >= 13 &&
    d.length <= 19 &&
    luhnValid(d) &&
    cardBrand(d) !== undefined &&
    !TEST_PANS.has(d) &&
    !isTrivialDigits(d.slice(0, 12))
  );
}

/** SSA ranges: area not 000/666/900-999, group not 00, serial not 0000; plus well-known examples. */
const SSN_EXAMPLES = new Set([
  '078051120',
  '123456789',
  '219099999',
  '457555462',
  '111111111',
  '987654320',
  '987654321',
]);
export function validSsn(d: string): boolean {
  if (d.length !== 9) return false;
  const area = Number(d.slice(0, 3));
  const group = Number(d.slice(3, 5));
  const serial = Number(d.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  if (SSN_EXAMPLES.has(d) || /^(\d)\1{8}$/.test(d) || d.startsWith('98765432')) return false;
  return true;
}

/** ABA routing: prefix 00-12, 21-32, 61-72, 80 and the 3-7-1 weighted checksum. */
export function validAba(d: string): boolean {
  if (d.length !== 9 || /^(\d)\1{8}$/.test(d)) return false;
  const p = Number(d.slice(0, 2));
  if (!((p >= 0 && p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p === 80)) return false;
  const w = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (w[i % 3] as number);
  return sum % 10 === 0;
}

/** IBAN lengths per country (ISO 13616 registry, incl. the Purview list). */
export const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LY: 25,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** ISO 13616 mod-97 over a compact upper-case IBAN. */
export function ibanMod97(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      rem = (rem * 10 + (c - 48)) % 97;
    } else if (c >= 65 && c <= 90) {
      const v = c - 55;
      rem = (rem * 100 + v) % 97;
    } else {
      return false;
    }
  }
  return rem === 1;
}

export function validIban(compact: string): boolean {
  const len = IBAN_LENGTHS[compact.slice(0, 2)];
  return len !== undefined && compact.length === len && ibanMod97(compact);
}

/** UK NINO (HMRC prefix rules, suffix A-D), compact upper-case input `AB123456C`. */
const NINO_BAD_PAIRS = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
export function validNino(compact: string): boolean {
  if (!/^[A-Z]{2}\d{6}[A-D]$/.test(compact)) return false;
  const a = compact[0] as string;
  const b = compact[1] as string;
  if ('DFIQUV'.includes(a) || 'DFIOQUV'.includes(b)) return false;
  if (NINO_BAD_PAIRS.has(a + b)) return false;
  // HMRC's documented example (QQ 12 34 56 C; Q is never a first letter anyway). Administrative prefixes such as
  // NC or PY stay valid: the findings contract (§9.3) excludes only the letters and pairs above.
  return !compact.startsWith('QQ');
}

const ENTROPY_COUNTS = new Int32Array(65536);
/** k·log2(k) for small k (counts of one character in a token). */
const K_LOG2_K = Float64Array.from({ length: 512 }, (_, k) => (k === 0 ? 0 : k * Math.log2(k)));

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const counts = ENTROPY_COUNTS;
  for (let i = 0; i < n; i++) counts[s.charCodeAt(i)] = (counts[s.charCodeAt(i)] as number) + 1;
  // H = log2(n) - (1/n)·Σ k·log2(k): one table lookup per distinct character instead of a log per character.
  let sumKLogK = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const k = counts[c] as number;
    if (k > 0) {
      sumKLogK += k < K_LOG2_K.length ? (K_LOG2_K[k] as number) : k * Math.log2(k);
      counts[c] = 0;
    }
  }
  return Math.log2(n) - sumKLogK / n;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(s: string): number {
  let crc = -1;
  for (let i = 0; i < s.length; i++)
    crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff] as number);
  return (crc ^ -1) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function base62Encode(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (`ghp_` …) and npm (`npm_`) token checksum: the last 6 characters are the base62 CRC32 of the
 * 30 random characters after the 4-character prefix.
 */
export function validCrc32Base62Token(token: string): boolean {
  if (token.length !== 40) return false;
  const body = token.slice(4, 34);
  return base62Encode(crc32(body), 6) === token.slice(34);
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
/** Byte length of a standard base64 string, or -1 if it is not well-formed base64. */
export function base64ByteLength(s: string): number {
  if (s.length % 4 !== 0 || !BASE64_RE.test(s)) return -1;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}

/** Decode a base64url segment to UTF-8 text, or undefined. */
function base64UrlText(seg: string): string | undefined {
  try {
    return Buffer.from(seg, 'base64url').toString('utf8');
  } catch {
    return undefined;
  }
}

/** The jwt.io sample token's signature and payload: a documented example, never a finding. */
const JWT_EXAMPLE_SIGNATURES = new Set([
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  'TJVA95OrM7E2cBab30RMHrHDcEfxjoYZgeFONFh7HgQ',
  'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
]);

/** Verdicts for recently seen JWT headers: a tenant's tokens share a handful of headers. */
const JWT_HEADER_VERDICTS = new Map<string, boolean>();

function jwtHeaderAcceptable(encodedHeader: string): boolean {
  const known = JWT_HEADER_VERDICTS.get(encodedHeader);
  if (known !== undefined) return known;
  let verdict = false;
  try {
    const header = JSON.parse(base64UrlText(encodedHeader) ?? '') as { alg?: unknown };
    verdict =
      typeof header === 'object' &&
      header !== null &&
      typeof header.alg === 'string' &&
      header.alg.toLowerCase() !== 'none';
  } catch {
    verdict = false;
  }
  if (encodedHeader.length <= 256) {
    if (JWT_HEADER_VERDICTS.size >= 64) JWT_HEADER_VERDICTS.clear(); // bounded: never grows with traffic
    JWT_HEADER_VERDICTS.set(encodedHeader, verdict);
  }
  return verdict;
}

/** JWT: three base64url parts, header JSON with a string `alg` other than `none`, payload JSON. */
export function validJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const [h, p, s] = parts as [string, string, string];
  if (s.length < 16 || JWT_EXAMPLE_SIGNATURES.has(s)) return false;
  try {
    if (!jwtHeaderAcceptable(h)) return false;
    const payload = JSON.parse(base64UrlText(p) ?? '') as Record<string, unknown>;
    if (typeof payload !== 'object' || payload === null) return false;
    // jwt.io's sample payload and RFC 7519's example (iss "joe").
    if (payload.sub === '1234567890' && payload.name === 'John Doe') return false;
    if (payload.iss === 'joe' && 'http://example.com/is_root' in payload) return false;
    return true;
  } catch {
    return false;
  }
}

export type PemVerdict = 'parsed' | 'structural' | 'invalid';

/**
 * A PEM private-key block: `parsed` when Node can load it (or an OpenSSH key has its magic header),
 * `structural` for a clean, long base64 body that Node cannot load (unknown/encrypted formats),
 * `invalid` for redacted or truncated blocks.
 */
export function pemVerdict(block: string): PemVerdict {
  const headerEnd = block.indexOf('-----', 5);
  const endAt = block.lastIndexOf('-----END');
  if (headerEnd < 0 || endAt < headerEnd) return 'invalid';
  const header = block.slice(0, headerEnd + 5);
  const footer = block.slice(endAt).trim();
  let inner = block.slice(headerEnd + 5, endAt);
  if (header.includes('PGP')) {
    // ASCII armour: "Version:"-style headers, base64 body, then a "=XXXX" CRC-24 line. Not parsed by Node.
    const armour = inner
      .replace(/^[ \t]*[A-Za-z-]+:[^\n]*$/gm, '')
      .replace(/^[ \t]*=[A-Za-z0-9+/]{4}[ \t]*$/m, '');
    const pgpBody = armour.replace(/[\s\u00a0]+/g, '');
    return pgpBody.length >= 200 && /^[A-Za-z0-9+/]+={0,2}$/.test(pgpBody) && !/(.)\1{15}/.test(pgpBody)
      ? 'parsed'
      : 'invalid';
  }
  const encrypted = /Proc-Type:|DEK-Info:/.test(inner);
  // Drop RFC 1421 headers (`Proc-Type: …`, `DEK-Info: …`) of encrypted PKCS#1 blocks.
  inner = inner.replace(/^[ \t]*[A-Za-z-]+:[^\n]*$/gm, '');
  const body = inner.replace(/[\s\u00a0]+/g, '');
  if (body.length < 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return 'invalid';
  if (/(.)\1{15}/.test(body)) return 'invalid';
  if (header.includes('OPENSSH')) {
    const bytes = Buffer.from(body, 'base64');
    return bytes.subarray(0, 15).toString('latin1') === 'openssh-key-v1\0' ? 'parsed' : 'invalid';
  }
  if (encrypted || header.includes('ENCRYPTED')) return body.length >= 200 ? 'parsed' : 'invalid';
  try {
    const lines = body.match(/.{1,64}/g) ?? [];
    createPrivateKey({ key: `${header}\n${lines.join('\n')}\n${footer}\n`, format: 'pem' });
    return 'parsed';
  } catch {
    return body.length >= 200 ? 'structural' : 'invalid';
  }
}

/**
 * Placeholder / fill-in values that are never secrets (§7.3, §9.4), with the word "password" or "secret" of German,
 * French and Spanish documentation (`Password=geheim;`, `Pwd=MotDePasse;`, `usuario:contraseña@`).
 */
const PLACEHOLDER_WORDS =
  /^(?:password|passwd|pass|pwd|secret|passwort|kennwort|geheim|motdepasse|mot_de_passe|mot-de-passe|contraseña|contrasena|secreto|changeme|change_me|changeit|example|sample|dummy|test|testing|placeholder|redacted|hidden|masked|null|none|undefined|true|false|todo|tbd|value|token|apikey|api_key|key|mypassword|yourpassword|your_password|my_password|mysecret|yoursecret|password123|admin|root|user|username|foo|bar|foobar|xyz|abc|abc123|123456|12345678|qwerty)$/i;
/** Fill-in markers anywhere in a value (one case-insensitive pass). */
const PLACEHOLDER_MARKERS =
  /x{4,}|\*{3,}|•{3,}|\.\.\.|abcdefghij|1234567890|qwertyuiop|<[^>]*>|\$\{|\{\{|your[_-]?|[_-]here$|^my[_-]|changeme|redacted|placeholder|example|sample|dummy|insert[_-]/i;
/** Whole-value template references: [..], $(..), %VAR%, $VAR. */
const PLACEHOLDER_WHOLE = /^\[.*\]$|^\$\(.*\)$|^%[^%]+%$|^\$[A-Za-z_][A-Za-z0-9_]*$/;
const MASK_RUN = /[xX*•.#_?-]{4,}/;
const MASK_ONLY = /^[xX*•.#_?\-\s]*[^xX*•.#_?-]{0,6}[xX*•.#_?\-\s]*$/;

/**
 * Public sandbox credentials that payment gateways and exchanges print in their documentation (§9.4: documented
 * examples are negatives): PayU Latam's test `apiKey` (merchant 508029) and `apiLogin`, and the API key and secret of
 * Binance's signed-request walkthrough.
 */
const DOCUMENTED_SANDBOX_VALUES = new Set([
  '4Vj8eK4rloUd272L48hsrarnUA',
  'pRRXKOl8ikMmt9u',
  'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
  'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
]);

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || DOCUMENTED_SANDBOX_VALUES.has(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (PLACEHOLDER_MARKERS.test(v) || PLACEHOLDER_WHOLE.test(v)) return true;
  return MASK_ONLY.test(v) && MASK_RUN.test(v); // the anchored test fails fast on real tokens
}

/** ASCII digit `0`-`9` by char code (the detectors' character checks). */
export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * An ISBN as books print it (the digits of `s` in `digits`): ISBN-10 in four hyphenated groups ending in the check
 * digit (`3-996-86254-7`, weights 10…1, mod 11) or ISBN-13 in five, starting 978 or 979 (`978-4-49851-752-3`, EAN
 * weights 1 and 3, mod 10). No phone numbering plan groups digits so.
 */
const ISBN10_GROUPS_RE = /^\d{1,5}-\d{1,7}-\d{1,7}-\d$/;
const ISBN13_GROUPS_RE = /^97[89]-\d{1,5}-\d{1,7}-\d{1,7}-\d$/;

export function hyphenatedIsbn(s: string, digits: string): boolean {
  if (digits.length === 10 && ISBN10_GROUPS_RE.test(s)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (10 - i) * (digits.charCodeAt(i) - 48);
    return sum % 11 === 0;
  }
  if (digits.length === 13 && ISBN13_GROUPS_RE.test(s)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * (digits.charCodeAt(i) - 48);
    return sum % 10 === 0;
  }
  return false;
}
