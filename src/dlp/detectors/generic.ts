import {
  LOCAL_KEY_WORDS,
  PROSE_KEY_GAP_MAX,
  type ScanContext,
  T_NAME,
  T_PASS,
  T_URI,
  T_VENDOR,
} from '../context.js';
import { type Detector, markedFake, pushMatch } from '../detector.js';
import type { RawMatch } from '../types.js';
import { isDigitCode, isPlaceholder, shannonEntropy } from '../validators.js';
import { AZURE_EMULATOR_KEY } from './cloud.js';

/**
 * `Password=…` / `Pwd=…` in connection strings, `?password=` query parameters, and compound names that end in it
 * (`storePassword=`, `DB_PASSWORD=`, `spring.datasource.password=`: the contract's `Password=` written there too; a
 * compound before `:` is a key name, the generic detector's): the value only. A compound `pwd` is left out (`OLDPWD=`
 * is a directory).
 */
// Up to 16 spaces before `=`: ini and odbc.ini files align their values (`PWD         = QC.QPStq-D40K0`).
const PASSWORD_KV_RE = /(?:password|pwd|passwd)[ \t]{0,16}=[ \t]{0,2}/gi;
/** Words that make a compound `…Password` name a setting about passwords (who may read them, policies, expiry). */
const PASSWORD_SETTING_NAME_RE =
  /allowed|principals|retrieve|policy|expir|never|history|complexity|hint|prompt/i;
const VARIABLE_REFERENCE_RE =
  /^(?:\$\{[^}]*\}|\$\(?[A-Za-z_][\w.]*\)?|%[A-Za-z_][\w.]*%|@[A-Za-z_][\w.]*|\{\{[^}]*\}\}|\{[^}]*\}|\[[^\]]*\])$/;
/**
 * An app-setting or workflow expression as the value (`@Microsoft.KeyVault(SecretUri=…)`, `@parameters('pw')`,
 * `@{body('Get_secret')}`) or a JCL symbolic parameter (`PASSWORD=&DB2PW`): a reference to the secret, resolved at
 * run time, not the secret.
 */
const EXPRESSION_REFERENCE_RE = /^@(?:[A-Za-z_][\w.]*\(|\{)|^&[A-Z@#$][A-Z0-9@#$]{0,7}\.?$/;

const ENCRYPTED_VALUE_RE = /^(?:ENC\(|\{cipher\})/;

/** `;`, `,`, `?` or `&` before a name: the name is a field of a connection string or a query. */
function startsConnectionField(c: number): boolean {
  return c === 59 || c === 44 || c === 63 || c === 38;
}

function isPasswordNameCode(c: number): boolean {
  return isLetterCode(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/** `scheme://user:PASS@host`: the password only. */
// A password may hold `#` or one `?` as people write them (`postgres://app:Vt7u#72Ax@db`, `mysql://kasse:suuK?1@db`),
// though a URI would encode them; a `?` followed by `=` or `&` starts a query, no password.
const USERINFO_RE =
  /[^\s:/@?#"'<>]{0,128}:([^\s@/?"'<>]{1,256}(?:\?[^\s@/?=&"'<>]{1,64})?)@(?=[A-Za-z0-9[])/y;

function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isSchemeChar(c: number): boolean {
  return isLetterCode(c) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/**
 * End of an unquoted `password=` value. `;` separates ADO.NET/JDBC pairs (a comma may be part of the password
 * there); `&` separates query parameters; in comma-separated strings (StackExchange.Redis:
 * `host:6380,password=…,ssl=True`) the comma ends the value.
 */
function kvValueEnd(
  t: string,
  from: number,
  quote: number,
  queryParam: boolean,
  commaSeparated: boolean,
): number {
  let e = from;
  while (e < t.length && e - from < 256) {
    const c = t.charCodeAt(e);
    if (
      quote
        ? c === quote
        : c === 59 /* ; */ ||
          (queryParam && c === 38) /* & ends a query parameter, not a connection-string value */ ||
          (commaSeparated && c === 44) ||
          c === 34 ||
          c === 39 ||
          c <= 32 ||
          c === 0xa0 ||
          c === 60 ||
          c === 62
    )
      break;
    e++;
  }
  return e;
}

/**
 * An unquoted value that ends the sentence (`…;Password=Kx9&mT2!pLw4vR. It failed at 01:00.`, the inline code's end lost
 * in decoding): its last character is a full stop followed by a line break, the end of the text, or a space and a
 * capital letter. The full stop is the sentence's.
 */
function sentenceEndsAfter(t: string, e: number): boolean {
  if (t.charCodeAt(e - 1) !== 46 /* . */) return false;
  if (e >= t.length || t.charCodeAt(e) === 10) return true;
  const next = t.charCodeAt(e + 1);
  return t.charCodeAt(e) === 32 && next >= 65 && next <= 90;
}

/** A lower-case word as the value, then a space and another word: a sentence goes on, no value was assigned. */
function proseAfter(t: string, s: number, e: number): boolean {
  for (let k = s; k < e; k++) if (!isLowerLetter(t.charCodeAt(k))) return false;
  return t.charCodeAt(e) === 32 && isLowerLetter(t.charCodeAt(e + 1));
}

/** Whether `(` opens before `nameStart` on its line and no `(` in the value t[s, e) pairs with the `)` ending it. */
function openParenBefore(t: string, nameStart: number, s: number, e: number): boolean {
  if (t.lastIndexOf('(', e - 1) >= s) return false;
  let depth = 0;
  for (let k = nameStart - 1; k >= 0; k--) {
    const c = t.charCodeAt(k);
    if (c === 10) break;
    if (c === 41) depth++;
    else if (c === 40 && depth-- === 0) return true;
  }
  return false;
}

export const passwordInConnectionStringDetector: Detector = {
  id: 'password_in_connection_string',
  types: ['password_in_connection_string'],
  scan(ctx, out) {
    const t = ctx.text;
    const triggers = ctx.triggers;
    if (triggers & T_PASS) {
      PASSWORD_KV_RE.lastIndex = 0;
      for (let m = PASSWORD_KV_RE.exec(t); m !== null; m = PASSWORD_KV_RE.exec(t)) {
        // The name the password word ends: bare (`Password=`) or compound (`storePassword=`, `DB_PASSWORD=`), found
        // backwards from the word (a regex starting at every name character cost secret-dense text a tenth).
        let nameStart = m.index;
        while (nameStart > 0 && isPasswordNameCode(t.charCodeAt(nameStart - 1))) nameStart--;
        if (nameStart < m.index && (m[0].charCodeAt(1) | 0x20) === 119 /* pWd */) continue;
        // Settings about passwords, not passwords (`PrincipalsAllowedToRetrieveManagedPassword = GG-SQL-Hosts`).
        if (nameStart < m.index && PASSWORD_SETTING_NAME_RE.test(t.slice(nameStart, m.index))) continue;
        let s = m.index + m[0].length;
        let quote = 0;
        const q = t.charCodeAt(s);
        if (q === 34 || q === 39) {
          quote = q;
          s++;
        } else if (q === 96 /* ` */ || t.startsWith('(sensitive', s)) {
          // Gitea's app.ini sets a value off in backticks, which the generic detector reads without them (a password
          // name is a key name there). A Terraform plan prints `(sensitive value)` for what it hides.
          continue;
        } else if (q === 123 /* { */) {
          // `Password={{ db_password }}`: a template's fill-in (Jinja, Helm, Mustache), not a braced value.
          if (t.charCodeAt(s + 1) === 123) continue;
          // ODBC-style {braced} value
          const close = t.indexOf('}', s);
          if (close > s && close - s < 256) {
            const val = t.slice(s + 1, close);
            if (!isPlaceholder(val) && val.length >= 3)
              pushMatch(out, ctx, 'password_in_connection_string', this.id, s + 1, close, 85);
          }
          continue;
        }
        const prev = t.charCodeAt(nameStart - 1);
        if (prev === 36 /* $ */) continue; // a shell or PowerShell variable (`$pwd = Get-Secret …`), not a key
        let e = kvValueEnd(t, s, quote, prev === 63 /* ? */ || prev === 38 /* & */, prev === 44 /* , */);
        if (quote && t.charCodeAt(e) !== quote) continue;
        // "… avec Password= dans les appsettings": a space after `=`, then words, is prose about the setting.
        if (!quote && m[0].endsWith(' ') && proseAfter(t, s, e)) continue;
        // `(jdbc:postgresql://…&password=KM9YA2NA3j!Ux) for user …`: the parenthesis the URL was opened with closes it.
        if (!quote && t.charCodeAt(e - 1) === 41 /* ) */ && openParenBefore(t, nameStart, s, e)) e--;
        if (!quote && sentenceEndsAfter(t, e)) e--;
        const val = t.slice(s, e);
        if (val.length < 3 || isPlaceholder(val)) continue;
        // A variable reference as the whole value (`${DB_PASS}`, `$(pw)`, `%DB_PASS%`, `@pw`, `{{ pw }}`), an app-setting
        // or workflow expression (`@Microsoft.KeyVault(SecretUri=…)`, `@parameters('pw')`, `@{body('Get_secret')}`), or
        // a path (`PWD=/home/ana` in `env` output); a password that only starts with `%`, `$` or `@` is still a password.
        if (VARIABLE_REFERENCE_RE.test(val) || EXPRESSION_REFERENCE_RE.test(val) || /^[/~]/.test(val))
          continue;
        // Code in a configuration line (`password = data.azurerm_key_vault_secret.db.value`), not in a connection
        // string or query, where a dotted password is a password.
        if (!quote && !startsConnectionField(prev) && codeReference(val, t.charCodeAt(e))) continue;
        // Ciphertext that the application decrypts (jasypt's `ENC(…)`, Spring Cloud Config's `{cipher}…`): not the password.
        if (ENCRYPTED_VALUE_RE.test(val)) continue;
        if (markedFake(ctx, s, e)) continue;
        pushMatch(out, ctx, 'password_in_connection_string', this.id, s, e, 85);
      }
    }
    if (triggers & T_URI) {
      // Anchor on each '://' (a scheme-first regex would restart at every letter of the text).
      for (let p = t.indexOf('://'); p >= 0; p = t.indexOf('://', p + 3)) {
        let k = p;
        while (k > 0 && p - k < 20 && isSchemeChar(t.charCodeAt(k - 1))) k--;
        if (k === p || !isLetterCode(t.charCodeAt(k))) continue;
        USERINFO_RE.lastIndex = p + 3;
        const m = USERINFO_RE.exec(t);
        if (!m) continue;
        const pw = m[1] as string;
        if (pw.length < 3 || isPlaceholder(pw) || /^[$%{]/.test(pw)) continue;
        // `jdbc:sqlserver://host:1433;database=dw;user=etl@host;…`: a port and the JDBC properties after it, with an `@`
        // in a property's value; no userinfo.
        if (/^\d{1,5}[;?]/.test(pw)) continue; // a port, then properties or a query
        // Default-credential fill-ins such as postgres:postgres or guest:guest repeat the user name.
        if (m[0].slice(0, m[0].indexOf(':')).toLowerCase() === pw.toLowerCase()) continue;
        const start = p + 3 + m[0].length - 1 - pw.length;
        pushMatch(out, ctx, 'password_in_connection_string', this.id, start, start + pw.length, 85);
      }
    }
  },
};

/**
 * Values assigned to key-like names (`api_key = …`, `"x-api-key": "…"`, `Authorization: Bearer …`), with
 * length ≥ 16 and entropy ≥ 3.5, plus vendor keys without their own type (OpenAI, Anthropic, SendGrid).
 */
/** A whole key-like name (lower-cased), e.g. `api_key`, `x-api-key`, `client_secret`, `github_token`, `bearer`, Duo's `skey`. */
const NAME_OK =
  /^(?:(?:[a-z0-9]+[_.-])*(?:x-api-key|api[_\-. ]?key|apikey|api[_-]?secret|api[_-]?token|hapikey|ws[_-]?token|bot[_-]?token|access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|security[_-]?token|client[_-]?secret|pre[_-]?shared[_-]?key|app[_-]?secret|app[_-]?key|secret[_-]?key|private[_-]?key|private[_-]?token|subscription[_-]?key|shared[_-]?access[_-]?key|ocp-apim-subscription-key|skey|token|secret)|(?:[a-z0-9]+[_.-])+key|bearer)$/;
/**
 * Password names in configuration (`DB_PASSWORD=`, `password:`, `smtp_auth_password:`, `adminPassword`,
 * `--password`): the value is a credential like any key (detect-secrets' KeywordDetector takes them too).
 * Connection-string passwords keep their own, more specific type (overlap resolution).
 */
const PASSWORD_NAME = /^(?:[a-z0-9]+[_.-])*[a-z0-9]*pass(?:word|wd)$/;
/**
 * Public keys (`public_key`, WireGuard's `PublicKey`) are not secrets, nor are hashes of secrets (detect-secrets'
 * `hashed_secret`, `password_hash`, `secret_sha256`), nor identifiers named like keys: PagerDuty's `dedup_key` (an
 * alert's id) and the `Postman-Token` header (a random GUID Postman adds to every request).
 */
const PUBLIC_NAME = /public|(?:^|[_.-])pub[_.-]?key$|hash|sha\d|dedup|postman-token/;
// Gitea's app.ini quotes values in backticks (`PASSWD = \`…\``); chat sets one off in square brackets
// (`webhook secret: [Pst8…]`).
const OPERATOR_RE = /["']?[ \t]{0,3}(?:=>|:=|=|:|\s)[ \t]{0,3}(?:bearer[ \t]+)?["'`[]?/y;
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

/** A key or token: long ones exist (an AWS STS session token is ~350-1,000 characters). */
const VALUE_RE = /[A-Za-z0-9_\-.+/=~]{16,4096}/y;
/** A character VALUE_RE takes into a value. */
function isKeyValueCode(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 45 ||
    c === 46 ||
    c === 43 ||
    c === 47 ||
    c === 61 ||
    c === 126
  );
}
/** A password may hold any printable character; one longer than 128 is encrypted data or a blob, not a password. */
const PASSWORD_VALUE_MAX = 128;

/** End of a password value starting at `s`: the closing quote, or the first space, quote, `;`, `,` or `<`. */
function passwordValueEnd(t: string, s: number, quote: number): number {
  let e = s;
  while (e < t.length && e - s <= PASSWORD_VALUE_MAX) {
    const c = t.charCodeAt(e);
    if (
      quote
        ? c === quote || c === 10
        : c <= 32 || c === 34 || c === 39 || c === 59 || c === 44 || c === 60 || c === 0xa0
    )
      break;
    e++;
  }
  return e;
}

/**
 * What every value assigned to a key or password name must be: 16 characters or more, not prose words (a digit
 * or mixed case), not a placeholder, entropy ≥ 3.5 bits per character, and no "example"/"fake" word nearby.
 */
/** Twilio resource SIDs (`AC…`, `SK…`, `PN…` + 32 hex digits): identifiers, not secrets (the secret is separate). */
const TWILIO_SID_RE = /^(?:AC|SK|PN|MG|CA|SM|MM|RE|CF|QU|WS|WK|US|IS|FW)[0-9a-f]{32}$/;

function credibleValue(ctx: ScanContext, val: string, start: number): boolean {
  if (val.length < 16 || TWILIO_SID_RE.test(val)) return false;
  if (!/\d/.test(val) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(val)) return false; // prose words
  if (isPlaceholder(val) || EXPRESSION_REFERENCE_RE.test(val) || shannonEntropy(val) < 3.5) return false;
  if (codeReference(val, ctx.text.charCodeAt(start + val.length)) || ENCRYPTED_VALUE_RE.test(val))
    return false;
  return !markedFake(ctx, start, start + val.length);
}

/** The password word alone, without a prefix that makes it a configuration name (`keyPassword`, `db_password`). */
const BARE_PASSWORD_WORD = /^pass(?:word|wd)$/;

/** Anchor length that marks a password anchor (`pass` of password/passwd): no key-name word has 4 letters. */
const PASSWORD_ANCHOR_LENGTH = 4;

/** (start, PASSWORD_ANCHOR_LENGTH) of each `passw` (password, passwd) in the lower-cased view, in order. */
function passwordAnchors(lower: string): number[] {
  const out: number[] = [];
  for (let p = lower.indexOf('passw'); p >= 0; p = lower.indexOf('passw', p + 5))
    out.push(p, PASSWORD_ANCHOR_LENGTH);
  return out;
}

/** Two sorted (start, length) anchor lists merged into one, in document order. */
function mergeAnchors(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))) {
      out.push(a[i] as number, a[i + 1] as number);
      i += 2;
    } else {
      out.push(b[j] as number, b[j + 1] as number);
      j += 2;
    }
  }
  return out;
}
const IDENTIFIER_LIKE_RE = /^(?:[a-z]{2,}[0-9]*[-_.])+[a-z0-9]+$/;

/** A part of 20+ characters mixing letters and digits, between `-`, `_` or `.`: a token, not a word of a name. */
function hasTokenPart(val: string): boolean {
  for (const part of val.split(/[-_.]/))
    if (part.length >= 20 && /\d/.test(part) && /[a-z]/.test(part)) return true;
  return false;
}

/** "ID du secret", "ID de secret", "id of the token": the name is what the id belongs to. */
const ID_WORD_BEFORE_NAME_RE = /(?:^|[^a-z0-9])id[ \t]+(?:(?:du|de|del|des|de la|of|of the|der|des)[ \t]+)?$/;

/** `key="` (or `key='`) right before a name: the name is an XML setting's key attribute. */
const KEY_ATTRIBUTE_BEFORE_RE = /(?:^|[^a-z0-9_-])key[ \t]*=[ \t]*["']$/;
const VALUE_ATTRIBUTE_RE = /["'][ \t]+value[ \t]*=[ \t]*["']/y;

/** After a key attribute's name ending at `ne`, the start of the quoted value of the `value` attribute, or -1. */
function xmlValueAt(lower: string, ne: number): number {
  VALUE_ATTRIBUTE_RE.lastIndex = ne;
  return VALUE_ATTRIBUTE_RE.test(lower) ? VALUE_ATTRIBUTE_RE.lastIndex : -1;
}

/** A Kubernetes env entry names its variable and gives its value on the next line (`- name: DD_API_KEY` / `value: …`). */
const ENV_NAME_BEFORE_RE = /(?:^|[\s-])name:[ \t]*["']?$/;
const ENV_VALUE_LINE_RE = /["']?[ \t]*\r?\n[ \t]*value:[ \t]*["']?/y;

/** After an env entry's name ending at `ne`, the start of the value on the next line, or -1. */
function envValueAt(lower: string, ne: number): number {
  ENV_VALUE_LINE_RE.lastIndex = ne;
  return ENV_VALUE_LINE_RE.test(lower) ? ENV_VALUE_LINE_RE.lastIndex : -1;
}

/**
 * Code as an unquoted value: a dotted path of identifiers (`data.azurerm_key_vault_secret.db.value`,
 * `process.env.DB_PASSWORD`, `var.db_password`) or a call (`System.getenv(`, `providers.environmentVariable(`): where the
 * secret comes from at run time, not the secret. Each part is a lower- or upper-case identifier (a token's parts mix
 * case), and a path of two parts needs a root that code reads settings from.
 */
const CODE_PATH_RE =
  /^(?:[a-z_$][a-z0-9_$]*|[A-Z_][A-Z0-9_]*)(?:\.(?:[a-z_$][a-z0-9_$]*|[A-Z_][A-Z0-9_]*)){2,}$|^(?:var|local|locals|env|secrets|vars|inputs|settings|config|os|process|module|data)\.[A-Za-z_][A-Za-z0-9_]*$|^[A-Za-z_$][\w$.]*\($/;

/**
 * A PowerShell cmdlet, an approved verb and a PascalCase noun (`$clientSecret = Get-AzKeyVaultSecret -VaultName …`): the
 * command that fetches the secret.
 */
const POWERSHELL_CMDLET_RE =
  /^(?:Get|Set|New|Add|Remove|Invoke|Read|Import|Export|ConvertTo|ConvertFrom|Unprotect|Select|Test|Resolve|Find|Use)-(?:[A-Z]{1,3}[a-z]+){1,6}$/;

function codeReference(val: string, next: number): boolean {
  return (
    CODE_PATH_RE.test(val) ||
    (next === 40 /* ( */ && /^[A-Za-z_$][\w$.]*$/.test(val)) ||
    POWERSHELL_CMDLET_RE.test(val)
  );
}

const FOUND = 0;
/** The anchor's name was not a key name, or no credible value followed it: the prose reading may still apply. */
const NONE = -1;
/** Nothing to find at this anchor (its name was read before, or it is a password name whose value failed). */
const SKIP = -2;
/** namedKeyValue's outputs, reused (no allocation per anchor on the hot path). */
const NAMED = { start: 0, end: 0, nameEnd: -1 };

/**
 * The `name = value` / `name: value` reading at a key or password anchor: FOUND (value in NAMED.start/end), NONE
 * or SKIP. NAMED.nameEnd carries `lastNameEnd` forward (a name is read once, from its first anchor).
 */
function namedKeyValue(
  ctx: ScanContext,
  t: string,
  lower: string,
  p: number,
  anchorLength: number,
  lastNameEnd: number,
  /** Whether the segment has an `encryptedData:` key (found once per segment: per key value it was quadratic). */
  encryptedDataInSegment: boolean,
): number {
  NAMED.nameEnd = lastNameEnd;
  let ns = p;
  while (ns > 0 && p - ns < 48 && isNameChar(lower.charCodeAt(ns - 1))) ns--;
  if (ns >= 4 && lower.charCodeAt(ns - 1) === 32 && lower.slice(ns - 4, ns - 1) === 'api') ns -= 4; // "api key"
  let ne = p + anchorLength;
  while (ne < lower.length && ne - p < 48 && isNameChar(lower.charCodeAt(ne))) ne++;
  while (ne > p + anchorLength && (lower.charCodeAt(ne - 1) === 46 || lower.charCodeAt(ne - 1) === 45)) ne--;
  if (ne === lastNameEnd) return SKIP;
  while (
    ns < p &&
    (lower.charCodeAt(ns) === 46 || lower.charCodeAt(ns) === 45 || lower.charCodeAt(ns) === 95)
  )
    ns++;
  const name = lower.slice(ns, ne);
  // Helm's `checksum/secret:` annotation holds a hash of the rendered secret, not the secret.
  if (ns >= 9 && lower.startsWith('checksum/', ns - 9)) return SKIP;
  // A SealedSecret's `encryptedData:` entries are ciphertext for the cluster's controller, made to be committed.
  if (encryptedDataInSegment && underEncryptedData(lower, ns)) return SKIP;
  const passwordName = anchorLength === PASSWORD_ANCHOR_LENGTH;
  const bareJsonKey = !passwordName && name === 'key' && quotedName(lower, ns, ne);
  if (
    passwordName ? !PASSWORD_NAME.test(name) : !bareJsonKey && (!NAME_OK.test(name) || PUBLIC_NAME.test(name))
  )
    return NONE;
  NAMED.nameEnd = ne;
  // .NET configuration names the setting and its value in two attributes (`<add key="ApiKey" value="…"/>`, NuGet's
  // `<add key="ClearTextPassword" value="…"/>`): the value attribute is the assignment.
  // So does a Kubernetes env list, on two lines (`- name: DD_API_KEY` / `  value: 4690…`).
  const nameBefore = lower.slice(Math.max(0, ns - 10), ns);
  const valueAttribute = KEY_ATTRIBUTE_BEFORE_RE.test(nameBefore)
    ? xmlValueAt(lower, ne)
    : ENV_NAME_BEFORE_RE.test(nameBefore)
      ? envValueAt(lower, ne)
      : -1;
  let operator: string;
  if (valueAttribute >= 0) {
    operator = lower.slice(ne, valueAttribute);
  } else {
    OPERATOR_RE.lastIndex = ne;
    const op = OPERATOR_RE.exec(lower);
    if (!op) return NONE;
    operator = op[0];
  }
  const s = ne + operator.length;
  // "SHA-256 of the secret: 2901e9…" in a sentence (a name after a space, then a colon).
  if (!passwordName && lower.charCodeAt(ns - 1) === 32 && operator.includes(':') && digestOfBefore(lower, ns))
    return SKIP;
  if (passwordName) {
    const before = lower.charCodeAt(ns - 1);
    // Inside a connection string or query (`;Password=`, `,password=`, `?password=`, `&pwd=`) the password
    // is password_in_connection_string's, the more specific type.
    if (startsConnectionField(before)) return SKIP;
    const last = operator.charCodeAt(operator.length - 1);
    const quote = last === 34 || last === 39 || last === 96 ? last : 0;
    // `password = …`, `password: …`, a flag `--password …`, or a compound name before a quoted value (Gradle's
    // `keyPassword 'Vn3b…'`); "my password Xk29…" is prose (out of scope).
    if (!/[=:]/.test(operator) && before !== 45 /* - */ && !(quote && !BARE_PASSWORD_WORD.test(name)))
      return SKIP;
    let e = passwordValueEnd(t, s, quote);
    if (e - s > PASSWORD_VALUE_MAX || (quote && t.charCodeAt(e) !== quote)) return SKIP;
    // "password: barnwedding2025. The DJ has …": an unquoted value's last dot before a space or the end closes the
    // sentence.
    if (!quote && t.charCodeAt(e - 1) === 46 && (e === t.length || t.charCodeAt(e) <= 32)) e--;
    const val = t.slice(s, e);
    if (/^[$%{<]/.test(val) || !credibleValue(ctx, val, s)) return SKIP; // `${VAR}`, `%VAR%`, `{{ x }}`, `<…>`
    NAMED.start = s;
    NAMED.end = e;
    return FOUND;
  }
  // Some services issue their keys as GUIDs (Postmark server tokens, HubSpot `hapikey`, Heroku API keys; gitleaks
  // matches both as GUIDs): one assigned to a key name is that key, except an idempotency key (a request id) and the
  // id of a secret ("ID du secret\t1bbd…", next to the secret's value in Entra's table), nor a payment token
  // (`card_token=d343bb93-…`: the surrogate a card vault hands out so that the card number is not stored; no credential).
  const e = keyValueEnd(
    ctx,
    t,
    s,
    !name.includes('idempotency') &&
      !PAYMENT_TOKEN_NAME_RE.test(name) &&
      !ID_WORD_BEFORE_NAME_RE.test(lower.slice(Math.max(0, ns - 16), ns)),
  );
  if (e < 0 || (bareJsonKey && !COMPACT_TOKEN_RE.test(t.slice(s, e)))) return NONE;
  NAMED.start = s;
  NAMED.end = e;
  return FOUND;
}

/**
 * A value under a bare, quoted `"key"` name (kaggle.json's `{"username": …, "key": "2160ff…"}`) is a key only when it
 * looks like one: letters and digits only, 20 to 64 of them, after at most three short `_`-ended prefixes (OBS's
 * `"key": "live_331351616_Hb9T…"`, a Twitch stream key). `"key"` alone also names i18n labels, object paths, cache and
 * map keys (`"key": "checkout.title"`, `"key": "exports/2024/q3.csv"`), which have other separators.
 */
const COMPACT_TOKEN_RE = /^(?:[A-Za-z0-9]{1,16}_){0,3}(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{20,64}$/;

/** Whether the name lower[ns, ne) stands in double quotes (a JSON member name). */
function quotedName(lower: string, ns: number, ne: number): boolean {
  return lower.charCodeAt(ns - 1) === 34 && lower.charCodeAt(ne) === 34;
}

/** How far above a YAML entry (characters) its parent mapping's key is looked for. */
const YAML_PARENT_MAX_CHARS = 4096;

/**
 * Whether the YAML entry whose name starts at `at` is indented under an `encryptedData:` key (Bitnami SealedSecret,
 * `spec.encryptedData.api_key: AgBc…`): its parent is the nearest line above with less indentation.
 */
export function underEncryptedData(lower: string, at: number): boolean {
  const lowest = Math.max(0, at - YAML_PARENT_MAX_CHARS);
  let lineStart = at;
  while (lineStart > lowest && lower.charCodeAt(lineStart - 1) !== 10) lineStart--;
  if (lineStart === lowest && lineStart > 0) return false;
  const indent = at - lineStart;
  if (indent === 0 || lower.slice(lineStart, at).trim() !== '') return false;
  // Lines above, nearest first, within the bound: the first one indented less is the parent.
  let lineEnd = lineStart - 1;
  while (lineEnd > lowest) {
    let start = lineEnd;
    while (start > lowest && lower.charCodeAt(start - 1) !== 10) start--;
    const line = lower.slice(start, lineEnd);
    const text = line.trimStart();
    if (text !== '' && line.length - text.length < indent) return text.trimEnd() === 'encrypteddata:';
    lineEnd = start - 1;
  }
  return false;
}

/**
 * End of a key value starting at `s` (a token of 16-4,096 key characters that is credible and not a URL, GUID,
 * resource name or a vendor-shaped value its own detector rejected), or -1. `guidMayBeKey`: a GUID counts, for a
 * value assigned to a key name in configuration (see namedKeyValue).
 */
function keyValueEnd(ctx: ScanContext, t: string, s: number, guidMayBeKey = false): number {
  VALUE_RE.lastIndex = s;
  const vm = VALUE_RE.exec(t);
  if (!vm) return -1;
  let val = vm[0];
  // DeepL's API keys end in `:fx` (free plan): `402b2065-…-8452:fx` is one key.
  if (t.startsWith(':fx', s + val.length) && !isKeyValueCode(t.charCodeAt(s + val.length + 3))) val += ':fx';
  // A value directly followed by more non-space text is part of a longer word (e.g. a URL): skip. One cut short
  // with an ellipsis (`IQoJb3JpZ2luX2Vj…`, `IQoJb3JpZ2luX2VjE...(cut)`) is no usable secret.
  const next = t.charCodeAt(s + val.length);
  if (next === 64 /* @ */ || next === 58 /* : */ || next === 0x2026 /* … */ || val.endsWith('...')) return -1;
  while (val.endsWith('.') || val.endsWith(',')) val = val.slice(0, -1);
  if (val.length < 16) return -1;
  // `signing secret: webhook_secret=whsec_…`: the value is itself an assignment, which its own name reads.
  if (/^[A-Za-z_][\w.-]*=[^=]/.test(val)) return -1;
  // Letters only: words or identifiers, except a Hugging Face token (`hf_` and 34 random letters).
  if (
    !/[0-9]/.test(val) &&
    /^[A-Za-z._-]+$/.test(val) &&
    !HUGGING_FACE_TOKEN_RE.test(val) &&
    !randomCase(val)
  )
    return -1;
  if (!guidMayBeKey && GUID_RE.test(val)) return -1;
  // A vendor-prefixed value that its own detector rejected (bad checksum, documented example) stays rejected.
  if (VENDOR_PREFIX.test(val) || val === AZURE_EMULATOR_KEY) return -1;
  if (/^https?:|^\/|^[a-z]+\.[a-z]+\.[a-z]+$/.test(val)) return -1;
  // Lower-case identifiers joined by - _ . (resource names, ids in configs) are names, not secrets, unless a part is
  // a random token itself (`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`, a vendor prefix before 32 hex characters).
  if (IDENTIFIER_LIKE_RE.test(val) && !hasTokenPart(val)) return -1;
  if (!credibleValue(ctx, val, s)) return -1;
  return s + val.length;
}

/**
 * (start, length) of each German, French and Spanish key word (`schlüssel`, `clé`, `clave`, `jeton`) in the
 * lower-cased view, in document order; `key`, `token`, `secret` come from keyNameAnchors. Found from their rarest
 * letters (`ü`, `é`, `v`, `j`) with single-character searches: a search for each whole word cost secret-dense text
 * about 3 times as much.
 */
function localKeyAnchors(lower: string): readonly number[] {
  let out: readonly number[] = [];
  for (const { word, rare, at } of LOCAL_KEY_WORDS) {
    const found: number[] = [];
    for (let p = lower.indexOf(rare); p >= 0; p = lower.indexOf(rare, p + 1))
      if (p >= at && lower.startsWith(word, p - at)) found.push(p - at, word.length);
    if (found.length > 0) out = mergeAnchors(out, found);
  }
  return out;
}

/**
 * Words that make `key`/`Schlüssel`/`clé`/`clave` a key name ("API key", "clé API"): a bare "key" is prose
 * ("the key point: …"). Written before the word (glued, or after a space, `-` or `_`).
 */
const KEY_QUALIFIERS = new Set([
  'stream',
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'client',
  'app',
  'subscription',
  'signing',
  'encryption',
  'master',
  'shared',
  'zugangs',
  'zugriffs',
  'geheimer',
]);
/** `clé`/`clave` followed by what makes them an API key or a secret key. */
const KEY_QUALIFIER_AFTER = /^ (?:d'|de )?(?:api|accès|acceso)\b|^ (?:secrète|secreta|privée|privada)\b/;
/** Glued prefixes a `token`/`secret`/`jeton` word may carry (`Zugangstoken`, `accesstoken`). */
const TOKEN_PREFIXES = new Set([
  '',
  'access',
  'auth',
  'api',
  'session',
  'refresh',
  'app',
  'client',
  'bot',
  'oauth',
  'zugangs',
  'zugriffs',
]);
/** Words between a key word and the colon that say the value is not the secret (`key ID:`, `secret name:`). */
const NOT_THE_SECRET = new Set([
  'id',
  'ids',
  'name',
  'names',
  'fingerprint',
  'thumbprint',
  'hash',
  'hashed',
  'sha',
  'sha1',
  'sha256',
  'checksum',
  'digest',
  'commit',
  'public',
  'pub',
  'version',
  'type',
  'length',
  'format',
  'url',
  'uri',
  'path',
  'file',
  // "Token reference: DNITHE…" (a network token's reference id), "token requestor ID".
  'reference',
  'ref',
  'requestor',
  'referenz',
  'référence',
  'referencia',
]);

function isLowerLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

/**
 * Start of the value after a key word in chat ("API key for the weather widget: …", "Zugangstoken = …", "clé API
 * de Mapbox expire demain, voilà la nouvelle : …"), or -1: the word must be a key name (qualified `key`,
 * `Schlüssel`, `clé`, `clave`; `token`, `secret`, `jeton` alone or with a known prefix), followed on the same line
 * and sentence, within PROSE_KEY_GAP_MAX characters, by `:` or `=`, with no word between that names something
 * other than the secret (`key ID`, `secret name`, `public`).
 */
function proseKeyValueStart(lower: string, at: number, length: number): number {
  if (digestOfBefore(lower, at)) return -1;
  const gapStart = keyNameEnd(lower, at, length);
  if (gapStart < 0) return -1;
  const limit = Math.min(lower.length, gapStart + PROSE_KEY_GAP_MAX);
  // "(calculée avec le secret partagé) : …": a key word inside parentheses that close before the colon says how the
  // value was made, it does not name it ("API key (prod): …" opens its own).
  let open = 0;
  for (let k = gapStart; k < limit; k++) {
    const c = lower.charCodeAt(k);
    if (c === 10) return -1;
    if (c === 40) open++;
    else if (c === 41 && open-- === 0) return -1;
    if ((c === 46 || c === 33 || c === 63) && (k + 1 >= lower.length || lower.charCodeAt(k + 1) === 32))
      return -1;
    if (c === 58 /* : */) {
      if (lower.charCodeAt(k + 1) === 47 && lower.charCodeAt(k + 2) === 47) return -1; // a URL
      // A time (`9:00`) inside the gap is not the operator.
      if (k > gapStart && isDigitCode(lower.charCodeAt(k - 1)) && isDigitCode(lower.charCodeAt(k + 1)))
        continue;
    } else if (c !== 61 /* = */) {
      continue;
    }
    if (gapNamesSomethingElse(lower, gapStart, k)) return -1;
    let s = k + 1;
    while (
      s < k + 4 &&
      (lower.charCodeAt(s) === 32 || lower.charCodeAt(s) === 0xa0 || lower.charCodeAt(s) === 9)
    )
      s++;
    const q = lower.charCodeAt(s);
    if (q === 34 || q === 39 || q === 96 || q === 0xab || q === 0x201c || q === 0x201e) s++;
    // "Clave de API del proveedor: api_key=…": the value is itself an assignment, which the name reading takes.
    let n = s;
    while (n < lower.length && isNameChar(lower.charCodeAt(n))) n++;
    if (n > s && lower.charCodeAt(n) === 61 /* = */ && lower.charCodeAt(n + 1) !== 61) return -1;
    return s;
  }
  return -1;
}

/**
 * "We only store the SHA-256 of the rotated secret: …", "le hash du secret : …": the value after such a key word is a
 * digest of the secret, not the secret.
 */
const DIGEST_OF_BEFORE_RE =
  /(?:sha-?\d{1,3}|hash|hashes|digest|checksum|fingerprint|hmac|prüfsumme|empreinte|huella)(?: of| for| des| der| du| de la| de l'| del| de)(?: the| our| this| that| a| an| your| its| le| la| el| den| dem)?(?: [a-zà-ÿ-]+)? ?$/;
const DIGEST_OF_LOOKBACK = 48;

function digestOfBefore(lower: string, at: number): boolean {
  const lineStart = lower.lastIndexOf('\n', at - 1) + 1;
  return DIGEST_OF_BEFORE_RE.test(lower.slice(Math.max(lineStart, at - DIGEST_OF_LOOKBACK), at));
}

/**
 * End of the key name around a key word (after `clé API`, `clave de API` and a plural `s`), or -1 when the word is
 * not a key name: qualified `key`/`Schlüssel`/`clé`/`clave`, `token`/`secret`/`jeton` alone or with a known prefix,
 * nothing that names something else (`public key`, `keyboard`, `tokenizer`).
 */
function keyNameEnd(lower: string, at: number, length: number): number {
  const word = lower.slice(at, at + length);
  if (word === 'bearer') return -1;
  let ws = at;
  while (ws > 0 && isLowerLetter(lower.charCodeAt(ws - 1))) ws--;
  let we = at + length;
  if (lower.charCodeAt(we) === 115 /* s */) we++;
  if (isLowerLetter(lower.charCodeAt(we))) return -1; // keyboard, secretary, tokenizer
  const glued = lower.slice(ws, at);
  // The word before, when joined by a space, `-` or `_` ("API key", "API-Schlüssel", "public_key").
  let before = '';
  const sep = lower.charCodeAt(ws - 1);
  if (glued === '' && (sep === 32 || sep === 45 || sep === 95)) {
    let bs = ws - 1;
    while (bs > 0 && isLowerLetter(lower.charCodeAt(bs - 1))) bs--;
    before = lower.slice(bs, ws - 1);
  }
  if (NOT_THE_SECRET.has(before) || NOT_THE_SECRET.has(glued)) return -1;
  let gapStart = we;
  if (word === 'key' || word === 'schlüssel') {
    if (!KEY_QUALIFIERS.has(glued) && !KEY_QUALIFIERS.has(before)) return -1;
  } else if (word === 'clé' || word === 'clave') {
    const m = KEY_QUALIFIER_AFTER.exec(lower.slice(we, we + 12));
    if (m === null) return -1;
    gapStart = we + m[0].length;
  } else if (!TOKEN_PREFIXES.has(glued)) {
    return -1;
  }
  return gapStart;
}

/** Rows of a table read below a key-name column header. */
const KEY_COLUMN_MAX_ROWS = 50;

/**
 * A table column headed by a key name ("API key", "Token", "Client secret"): decoded Teams tables end every cell
 * with a tab and every row with a newline (§9.1), so the header's column index picks each row's cell. Pushes every
 * cell that holds exactly one credible key value.
 */
function keyColumnValues(
  ctx: ScanContext,
  t: string,
  lower: string,
  at: number,
  length: number,
  out: RawMatch[],
  detectorId: string,
): void {
  if (!ctx.hasTab) return;
  const cellEnd = t.indexOf('\t', at);
  if (cellEnd < 0) return;
  const lineEnd = t.indexOf('\n', at);
  if (lineEnd >= 0 && lineEnd < cellEnd) return; // not a tab-terminated cell
  const lineStart = t.lastIndexOf('\n', at - 1) + 1;
  const cellStart = Math.max(lineStart, t.lastIndexOf('\t', at - 1) + 1);
  if (at - cellStart > 24 || cellEnd - cellStart > 40) return; // a sentence in a cell, not a header
  const nameEnd = keyNameEnd(lower, at, length);
  if (nameEnd < 0 || lower.slice(nameEnd, cellEnd).trim().replace(/:$/, '') !== '') return;
  let column = 0;
  for (let k = t.indexOf('\t', lineStart); k >= 0 && k < cellStart; k = t.indexOf('\t', k + 1)) column++;
  let rowStart = lineEnd < 0 ? t.length : lineEnd + 1;
  for (let row = 0; row < KEY_COLUMN_MAX_ROWS && rowStart < t.length; row++) {
    let rowEnd = t.indexOf('\n', rowStart);
    if (rowEnd < 0) rowEnd = t.length;
    if (rowEnd === rowStart) {
      rowStart = rowEnd + 1; // the blank line between two rows (</tr> and <tr> each end a line)
      continue;
    }
    let cs = rowStart;
    for (let c = 0; c < column && cs >= 0; c++) {
      const tab = t.indexOf('\t', cs);
      cs = tab >= 0 && tab < rowEnd ? tab + 1 : -1;
    }
    const ce = cs < 0 ? -1 : t.indexOf('\t', cs);
    if (ce < 0 || ce > rowEnd) break; // the table ended
    let vs = cs;
    while (vs < ce && (t.charCodeAt(vs) === 32 || t.charCodeAt(vs) === 0xa0)) vs++;
    let ve = ce;
    while (ve > vs && (t.charCodeAt(ve - 1) === 32 || t.charCodeAt(ve - 1) === 0xa0)) ve--;
    if (ve > vs && keyValueEnd(ctx, t, vs) === ve)
      pushMatch(out, ctx, 'generic_api_key', detectorId, vs, ve, 75);
    rowStart = rowEnd + 1;
  }
}

/** Whether a word of lower[from, to) is in NOT_THE_SECRET (words of 2-11 letters or digits are looked up). */
function gapNamesSomethingElse(lower: string, from: number, to: number): boolean {
  let ws = -1;
  for (let k = from; k <= to; k++) {
    const c = k < to ? lower.charCodeAt(k) : 32;
    if (isLowerLetter(c) || isDigitCode(c)) {
      if (ws < 0) ws = k;
    } else if (ws >= 0) {
      if (k - ws >= 2 && k - ws <= 11 && NOT_THE_SECRET.has(lower.slice(ws, k))) return true;
      ws = -1;
    }
  }
  return false;
}

/**
 * Values of a vendor's own shape: reported by that vendor's detector or rejected by it (bad checksum,
 * documented example, a truncated Entra secret `xxx7Q~…`), and Stripe publishable keys (`pk_live_…`), which
 * the findings contract says are not secrets.
 */
const VENDOR_PREFIX =
  /^(?:gh[pousr]_|github_pat_|npm_|xox[a-z]-|xapp-|AKIA|ASIA|AIza|[spr]k_(?:live|test)_|eyJ|sk-|SG\.|key-[0-9a-f]{32}|[A-Za-z0-9_~.]{3}\dQ~)/;
const HUGGING_FACE_TOKEN_RE = /^hf_[A-Za-z]{34}$/;

/**
 * A random letters-only token (`vvUfYBGjGRgELhKEOINC`) changes case every two or three letters; a camel-case
 * identifier (`ConvertTo-SecureString`, `grafana-admin-CuMgPu`) once or twice per word.
 */
function randomCase(val: string): boolean {
  let letters = 0;
  for (let i = 0; i < val.length; i++) {
    const c = val.charCodeAt(i) | 0x20;
    if (c >= 97 && c <= 122) letters++;
  }
  const changes = caseChanges(val);
  return changes >= 6 && changes >= letters * 0.4;
}

function caseChanges(val: string): number {
  let changes = 0;
  let upper = -1;
  for (let i = 0; i < val.length; i++) {
    const c = val.charCodeAt(i);
    const u = c >= 65 && c <= 90 ? 1 : c >= 97 && c <= 122 ? 0 : -1;
    if (u < 0) continue;
    if (upper >= 0 && u !== upper) changes++;
    upper = u;
  }
  return changes;
}
/** A card vault's surrogate for a card number: `card_token`, `paymentToken`, `pan-token`. */
const PAYMENT_TOKEN_NAME_RE = /(?:card|pan|payment)[_.-]?token/i;
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VENDOR_RE =
  /(?<![A-Za-z0-9_-])(?:sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,120}AA|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}|hf_[A-Za-z]{34}|key-[0-9a-f]{32})(?![A-Za-z0-9_-])/g;

export const genericApiKeyDetector: Detector = {
  id: 'generic_api_key',
  types: ['generic_api_key'],
  scan(ctx, out) {
    const t = ctx.text;
    const triggers = ctx.triggers;
    if (triggers & T_VENDOR) {
      VENDOR_RE.lastIndex = 0;
      for (let m = VENDOR_RE.exec(t); m !== null; m = VENDOR_RE.exec(t)) {
        if (isPlaceholder(m[0]) || shannonEntropy(m[0]) < 3.5) continue;
        pushMatch(out, ctx, 'generic_api_key', this.id, m.index, m.index + m[0].length, 85);
      }
    }
    if (!(triggers & (T_NAME | T_PASS))) return;
    const lower = ctx.lower;
    const encryptedDataInSegment = lower.indexOf('encrypteddata:') >= 0;
    let lastNameEnd = -1;
    const keyAnchors = triggers & T_NAME ? mergeAnchors(ctx.keyNameAnchors, localKeyAnchors(lower)) : [];
    const anchors = triggers & T_PASS ? mergeAnchors(keyAnchors, passwordAnchors(lower)) : keyAnchors;
    for (let ai = 0; ai < anchors.length; ai += 2) {
      const p = anchors[ai] as number;
      const anchorLength = anchors[ai + 1] as number;
      const found = namedKeyValue(ctx, t, lower, p, anchorLength, lastNameEnd, encryptedDataInSegment);
      lastNameEnd = NAMED.nameEnd;
      if (found === FOUND) {
        pushMatch(out, ctx, 'generic_api_key', this.id, NAMED.start, NAMED.end, 75);
        continue;
      }
      // No `name = value` here: chat writes "API key for the weather widget: …", "Zugangstoken = …", "clé API
      // de Mapbox …, voilà la nouvelle : …" (passwords in prose are out of scope, §9.5).
      if (found === SKIP || anchorLength === PASSWORD_ANCHOR_LENGTH) continue;
      const s = proseKeyValueStart(lower, p, anchorLength);
      if (s < 0) {
        // A key-name column header: the values in the cells below it.
        keyColumnValues(ctx, t, lower, p, anchorLength, out, this.id);
        continue;
      }
      const e = keyValueEnd(ctx, t, s);
      if (e >= 0) pushMatch(out, ctx, 'generic_api_key', this.id, s, e, 75);
    }
  },
};
