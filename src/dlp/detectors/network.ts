import { isIPv6 } from 'node:net';
import type { ScanContext } from '../context.js';
import { columnHeaderKind, type Detector, nameEndBefore, pushMatch } from '../detector.js';
import type { KeywordList } from '../keywords.js';
import {
  KW_AMOUNT,
  KW_IP,
  KW_MOBILE_PLATFORM,
  KW_NOT_IP,
  KW_RELEASE_EVENT,
  KW_RELEASED_WORD,
  KW_VERSION_COLUMN,
  KW_VERSION_CONTEXT,
  KW_VERSION_WORD,
} from '../keywords.js';
import type { RawMatch } from '../types.js';
import { isDigitCode } from '../validators.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`(?<![0-9A-Za-z_.\\-])${OCTET}(?:\\.${OCTET}){3}(?![0-9A-Za-z_\\-]|\\.\\d)`, 'g');
/**
 * A range of two addresses joined by a dash (`10.0.0.100-10.0.0.200`, a DHCP pool; Unicode dashes read as `-` in the
 * match view): IPV4_RE keeps away from dashes (`ip-10-0-0-1`, `1.2.3.4-beta`), so ranges are read on their own.
 */
const IPV4_RANGE_RE = new RegExp(
  `(?<![0-9A-Za-z_.\\-])(${OCTET}(?:\\.${OCTET}){3}) ?- ?(${OCTET}(?:\\.${OCTET}){3})(?![0-9A-Za-z_\\-]|\\.\\d)`,
  'g',
);
/**
 * tcpdump's `address.port` (`IP 10.43.21.37.58156 > 91.225.237.238.4444: Flags [S]`): the address before the port,
 * after `IP `/`IP6 ` or the arrow. Looked for only in text with both, since five dotted parts are otherwise OIDs and
 * versions.
 */
const TCPDUMP_ADDRESS_RE = new RegExp(
  `(?<=\\bIP6? |> )(${OCTET}(?:\\.${OCTET}){3})\\.\\d{1,5}(?=[:, ]|$)`,
  'gm',
);
/** A contiguous netmask starting 255 (255.0.0.0 … 255.255.255.254); the broadcast 255.255.255.255 stays an address. */
const NETMASK_RE =
  /^255\.(?:(?:255\.){2}(?:254|252|248|240|224|192|128|0)|255\.(?:254|252|248|240|224|192|128|0)\.0|(?:254|252|248|240|224|192|128|0)\.0\.0)$/;
/** Same test as /:[0-9A-Fa-f]{0,4}:/ (two colons with at most four hex digits between), visiting only colons. */
function hasIpv6Gate(v: string): boolean {
  for (let p = v.indexOf(':'); p >= 0; p = v.indexOf(':', p + 1)) {
    let k = p + 1;
    while (k - p <= 4 && k < v.length) {
      const c = v.charCodeAt(k);
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) break;
      k++;
    }
    if (v.charCodeAt(k) === 58) return true;
  }
  return false;
}
const IPV6_RE =
  /(?:(?<=ip6:)|(?<![0-9A-Za-z_:.]))(?:[0-9A-Fa-f]{1,4}|:)?(?::[0-9A-Fa-f]{0,4}){1,7}(?:\.\d{1,3}){0,3}(?![0-9A-Za-z_:])/g;

/**
 * A version, section, build or OID word within 24 characters before the quad, with no address word nearer ("build
 * 4.2.1.3" is a version, "Build-Agent 10.103.9.239" a host).
 */
const NOT_AN_ADDRESS_AFTER = 12;

function notAnAddressWordNearer(ctx: ScanContext, start: number, end: number): boolean {
  // A number between the word and the quad, on the quad's line, is what the word names ("TAG 55311 — 10.23.197.210":
  // an asset tag); on an earlier line the word may head the quad's column ("Build 9243" in the row above). A sentence
  // that ends between them ("Firmware v2.9.17.3.\nhttps://172.20.15.77/admin") ends what the word names.
  // Most quads have no such word near them: the plain lookup first, without building the filter.
  if (ctx.keywordDistance(KW_NOT_IP, start, end, 24, 0) < 0) return false;
  const v = ctx.view;
  const notIp = ctx.keywordDistanceWhere(KW_NOT_IP, start, end, 24, 0, (hit, _hitStart, hitEnd) => {
    // Abbreviations of three letters or fewer (`v`, `req`, `rev`, `oid`) name only a quad right after them: the `req` of
    // "[nginx-limit-req] Ban 31.219.83.81" names a jail.
    if (hit.length <= 3 && start - hitEnd > 3) return false;
    let digit = false;
    let newline = false;
    for (let k = hitEnd; k < start; k++) {
      const c = v.charCodeAt(k);
      if (c === 10) newline = true;
      else if (isDigitCode(c)) digit = true;
      else if ((c === 46 || c === 33 || c === 63) && isSpaceCode(v.charCodeAt(k + 1))) return false;
    }
    return newline || !digit;
  });
  if (notIp < 0) return false;
  // An address word right after the quad counts too: "firmware 7.22.45.77" ending one list item says nothing of the
  // next item's `10.65.24.95 (port 2404)`.
  const address = ctx.keywordDistance(KW_IP, start, end, 24, NOT_AN_ADDRESS_AFTER);
  return address < 0 || address >= notIp;
}

/**
 * Whether the word that ends at the colon `colon` is a container image reference (`harbor.interno/sonda`): a name
 * with a `/` in it and no `//` (a URL's `http://host:…` has one, and `host:port` no slash).
 */
function imageReferenceBefore(v: string, colon: number): boolean {
  let k = colon;
  let slash = false;
  while (k > 0 && colon - k < 200) {
    const c = v.charCodeAt(k - 1);
    if (c === 47) {
      if (v.charCodeAt(k - 2) === 47) return false;
      slash = true;
    } else if (!(isAsciiLetter(c) || isDigitCode(c) || c === 45 || c === 46 || c === 95)) break;
    k--;
  }
  return slash && k < colon - 1 && v.charCodeAt(colon - 1) !== 47;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * A package pinned to a version (`identity-gateway@7.36.12.93`, `@scope/pkg@1.2.3.4`): a name with a `-` or `/` right
 * before the `@` at `at`, not a login (`ec2-user@…`, `svc-admin@…`) nor one after a remote-shell command on its line
 * (`ssh -i key.pem deploy-team@…`).
 */
function packageNameBefore(v: string, at: number, lower: string): boolean {
  let k = at;
  let joined = false;
  while (k > 0 && at - k < 100) {
    const c = v.charCodeAt(k - 1);
    if (c === 45 || c === 47) joined = true;
    else if (!(isAsciiLetter(c) || isDigitCode(c) || c === 46 || c === 95 || c === 64)) break;
    k--;
  }
  if (!joined || k === at) return false;
  const name = lower.slice(k, at);
  if (/(?:user|admin|root|svc|bot)$/.test(name)) return false;
  const window = lower.slice(Math.max(0, k - 60), k);
  const lineBefore = window.slice(window.lastIndexOf('\n') + 1);
  return !/(?:^|[^a-z])(?:ssh|scp|sftp|rsync|mosh)(?![a-z])/.test(lineBefore);
}

/**
 * Every part ≤ 99 and not a `10.x` address (the private range chat mentions most): the shape of `2.4.1.0`,
 * `6.4.12.2`, `1.4.0.27`. Public resolvers such as 1.1.1.1 fit too, which is why the version word alone does
 * not decide (see the scan).
 */
function versionShaped(quad: string): boolean {
  if (quad.startsWith('10.')) return false;
  // Part lengths from the dots (no array per quad: every dotted quad of a segment comes here).
  let partStart = 0;
  for (let k = 0; k <= quad.length; k++) {
    if (k < quad.length && quad.charCodeAt(k) !== 46) continue;
    if (k - partStart > 2) return false;
    partStart = k + 1;
  }
  return true;
}

/**
 * A versions heading ("Versions …:", "Versionen im Bestand:", "Versiones afectadas:") earlier on the line, with no
 * sentence end between its colon and the quad; dots inside numbers (`3.8.0,`) do not end a sentence.
 */
const VERSIONS_HEADING_RE =
  /(?:^|[^a-z0-9\u00c0-\u024f])(?:versions?|versionen|versiones|versión|versão|versões)(?![a-z0-9\u00c0-\u024f])[^\n:]{0,40}:(?:[^\n.!?]|[.!?](?=\S))*$/;
const VERSIONS_HEADING_REACH = 200;

/**
 * A line that starts with a version label and ends in a colon right before the quad ("Version de memoQ sur les postes :
 * 10.4.6.2", "Versión del cliente en los puestos: 10.2.0.14"): the quad is that version, in a private range or not,
 * unless an address word stands in the label.
 */
const VERSION_LABEL_LINE_RE =
  /^[ \t]*(?:versions?|versionen|versiones|versión|versão)(?![a-z0-9\u00c0-\u024f])[^\n:!?]{0,48}:[ \t\u00a0]*$/;
const VERSION_LABEL_LINE_MAX = 72;

function versionLabelLine(ctx: ScanContext, start: number, end: number): boolean {
  const lower = ctx.lower;
  const lineStart = ctx.lineStartAt(start);
  let k = lineStart;
  while (lower.charCodeAt(k) === 32 || lower.charCodeAt(k) === 9) k++;
  // Every label the pattern takes starts with `versi` (one comparison before the slice and the regex).
  return (
    start - lineStart <= VERSION_LABEL_LINE_MAX &&
    lower.startsWith('versi', k) &&
    VERSION_LABEL_LINE_RE.test(lower.slice(lineStart, start)) &&
    ctx.keywordDistance(KW_IP, start, end, start - lineStart, 0) < 0
  );
}

function underVersionsHeading(lower: string, start: number): boolean {
  return VERSIONS_HEADING_RE.test(lower.slice(Math.max(0, start - VERSIONS_HEADING_REACH), start));
}

/**
 * A firmware heading ("Firmware status: LTE modems on 3.4.12.185, routers on …") earlier on the line: its list gives
 * versions, unless an address word stands in the quad's clause ("Firmware update: the gateway at 203.0.113.54 …").
 */
const FIRMWARE_HEADING_RE =
  /(?:^|[^a-z0-9\u00c0-\u024f])(?:firmware|firmwares|firmwarestand|micrologiciels?)(?![a-z0-9\u00c0-\u024f])[^\n:]{0,40}:(?:[^\n.!?]|[.!?](?=\S))*$/;

/**
 * A firmware label that ends in a colon right before the quad ("Firmware Netzwerk-Switch: 7.0.2.18"): a device named
 * inside the label says whose firmware it is.
 */
const FIRMWARE_LABEL_RE =
  /(?:^|[^a-z0-9\u00c0-\u024f])(?:firmware|firmwares|firmwarestand|micrologiciels?)(?![a-z0-9\u00c0-\u024f])[^\n:.,;!?]{0,40}:[ \t\u00a0]*$/;

function underFirmwareHeading(ctx: ScanContext, v: string, start: number, end: number): boolean {
  const before = ctx.lower.slice(Math.max(0, start - VERSIONS_HEADING_REACH), start);
  return (
    FIRMWARE_HEADING_RE.test(before) &&
    (!addressWordInClause(ctx, v, start, end) ||
      (versionShaped(v.slice(start, end)) && FIRMWARE_LABEL_RE.test(before)))
  );
}

/** How far a version word (KW_VERSION_WORD) may stand before or after a public quad in its clause. */
const VERSION_WORD_BEFORE = 60;
const VERSION_WORD_AFTER = 20;

function versionWordInClause(ctx: ScanContext, v: string, start: number, end: number): boolean {
  const noun = wordInSentence(ctx, KW_VERSION_WORD, v, start, end);
  if (noun >= 0) {
    const address = addressWordDistance(ctx, start, end, VERSION_WORD_BEFORE, VERSION_WORD_AFTER);
    return address < 0 || noun < address;
  }
  return (
    wordInSentence(ctx, KW_RELEASED_WORD, v, start, end) >= 0 && !addressWordInClause(ctx, v, start, end)
  );
}

/** Distance to the nearest word of `list` within VERSION_WORD_BEFORE/AFTER of the quad, in its sentence; or -1. */
function wordInSentence(ctx: ScanContext, list: KeywordList, v: string, start: number, end: number): number {
  const before = ctx.keywordDistance(list, start, end, VERSION_WORD_BEFORE, 0);
  const after = before >= 0 ? -1 : ctx.keywordDistance(list, start, end, 0, VERSION_WORD_AFTER);
  const word = before >= 0 ? before : after;
  if (word < 0) return -1;
  const from = before >= 0 ? start - before : end;
  const to = before >= 0 ? start : end + after;
  return sentenceEndIn(v, from, to) ? -1 : word;
}

/**
 * The nearest address word (KW_IP) that names a host, or -1: "ADSync 2.3.20.0 côté serveur", "server-side", "del lado
 * del servidor" place a component on the server, they do not give the server's address.
 */
function addressWordDistance(
  ctx: ScanContext,
  start: number,
  end: number,
  before: number,
  after: number,
): number {
  const lower = ctx.lower;
  return ctx.keywordDistanceWhere(
    KW_IP,
    start,
    end,
    before,
    after,
    (_hit, hitStart, hitEnd) =>
      !(
        lower.startsWith('côté ', hitStart - 5) ||
        lower.startsWith('lado del ', hitStart - 9) ||
        lower.startsWith('-side', hitEnd) ||
        lower.startsWith(' side', hitEnd)
      ),
  );
}

/**
 * An address word within 60 characters before or 40 after the quad with no clause break (`,`, `;`, sentence end)
 * between: "3389 Gateways ausgerollt, Rest bleibt auf 1.16.15.45" names the gateways in another clause.
 */
function addressWordInClause(
  ctx: ScanContext,
  v: string,
  start: number,
  end: number,
  afterReach = 40,
): boolean {
  const inClause = (_hit: string, hitStart: number, hitEnd: number) =>
    hitEnd <= start ? !clauseBreakIn(v, hitEnd, start) : !clauseBreakIn(v, end, hitStart);
  return ctx.keywordDistanceWhere(KW_IP, start, end, 60, afterReach, inClause) >= 0;
}

function clauseBreakIn(v: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = v.charCodeAt(k);
    if (c === 44 || c === 59) return true;
  }
  return sentenceEndIn(v, from, to);
}

/** A sentence end (`.`, `!`, `?` before a space, or a newline) in v[from, to). */
function sentenceEndIn(v: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = v.charCodeAt(k);
    if (c === 10 || ((c === 46 || c === 33 || c === 63) && v.charCodeAt(k + 1) === 32)) return true;
  }
  return false;
}

/**
 * The client of an access-log line (`212.219.105.60 - - [01/Dec/2026:21:40:56 -0500] "GET …`): a quad that starts a
 * line and is followed by ` - `; user agents on the same line (`Chrome/124.0.6367.91`) make no message about versions.
 */
function accessLogClient(v: string, start: number, end: number): boolean {
  return (start === 0 || v.charCodeAt(start - 1) === 10) && v.startsWith(' - ', end);
}

/** `:` and a digit right after the quad: `host:port`. */
function portAfter(v: string, end: number): boolean {
  return v.charCodeAt(end) === 58 && isDigitCode(v.charCodeAt(end + 1));
}

/** An operating system's name and its version (`FortiOS 7.2.8`, `AireOS 8.10`): a message about versions. */
const OS_VERSION_RE = /[A-Za-z][A-Za-z-]{2,}OS \d+\.\d+/;
/** A version written with its `v` (`v4.1.1`, `v2.3`): the message talks about versions. */
const V_VERSION_RE = /(?<![A-Za-z0-9])v\d+\.\d+/;
/** Four or more dotted numbers, one of them above 255: a version or build number, never an IPv4 address. */
/**
 * A lettered section reference (`L.4.2.1`, `M.2.1`: the sections of a US federal solicitation): a message that cites
 * sections that way numbers its other dotted quads as sections too, when it has no network word.
 */
/** Five or more dotted numbers (an OID such as `1.3.6.1.4.1.311.21.8.1002699`): never an address. */
const MANY_PARTS_RE = /(?<![\d.])\d{1,9}(?:\.\d{1,9}){4,}(?![\d]|\.\d)/;
const LETTERED_SECTION_RE = /(?<![A-Za-z0-9.])[A-Z]\.\d{1,2}(?:\.\d{1,2}){1,3}(?![\dA-Za-z]|\.\d)/;
const DEFINITE_VERSION_RE =
  /(?<![\d.])\d{1,5}(?:\.\d{1,5}){3,}(?!\d|\.\d)(?<=\d{4,5}(?:\.\d{1,5})*|(?:25[6-9]|2[6-9]\d|[3-9]\d\d)(?:\.\d{1,5})*)/;

/**
 * Removes the quads pushed from `from` on, except those with a port (`host:port` is an address whatever the
 * message) and private addresses not named by a software word ("Titrator: 172.23.173.248" next to "Firmware
 * 3.13.5.144" is a device's address; "agente 10.14.8.203" is the agent's version).
 */
function dropVersionsOfVersionMessage(v: string, lower: string, out: RawMatch[], from: number): void {
  let kept = from;
  for (let i = from; i < out.length; i++) {
    const m = out[i] as RawMatch;
    if (
      portAfter(v, m.end) ||
      accessLogClient(v, m.start, m.end) ||
      (privateRange(m.value) && !softwareWordBefore(v, lower, m.start))
    )
      out[kept++] = m;
  }
  out.length = kept;
}

/** Removes the matches from `from` on whose value is in `values`, keeping the order of the rest. */
function dropValues(out: RawMatch[], from: number, values: ReadonlySet<string>, v: string): void {
  let kept = from;
  for (let i = from; i < out.length; i++) {
    const m = out[i] as RawMatch;
    // A URL's host (`http://2.17.35.152/b.ps1`) is an address wherever else its value is read as a version.
    if (!values.has(m.value) || v.startsWith('://', m.start - 3)) out[kept++] = m;
  }
  out.length = kept;
}

/**
 * A Squid access log's hierarchy code before the peer's address (`HIER_DIRECT/2.17.35.152`, `FIRSTUP_PARENT/10.0.0.8`):
 * upper case with an underscore, unlike a product token before its version (`Chrome/120.0.0.0`).
 */
function squidHierarchyCodeBefore(v: string, slash: number): boolean {
  let k = slash;
  let underscore = false;
  while (k > 0) {
    const c = v.charCodeAt(k - 1);
    if (c === 95) underscore = true;
    else if (!(c >= 65 && c <= 90)) break;
    k--;
  }
  return underscore && slash - k >= 6;
}

/**
 * A key or property name ending in `version` right before the quad, as configuration writes it
 * (`"contentVersion": "1.0.0.0"`, `api_version=2.1.0.4`, `FileVersion 3.0.0.1`).
 */
function versionNamedBefore(v: string, start: number): boolean {
  const k = nameEndBefore(v, start);
  if (k === start) return false;
  return VERSION_NAME_END_RE.test(v.slice(Math.max(0, k - 12), k));
}
/** A configuration name that ends in a version word: `contentVersion`, `api_version`, `"fw"`, `firmware`, `sw_ver`. */
const VERSION_NAME_END_RE = /(?:version|firmware|(?:^|[^A-Za-z])(?:fw|sw|ver))$/i;

/**
 * French "est en 1.7.8.10", "passer en 2.0.1.4" and Spanish "a la 5.3.5.23" (la versión): a product *is in* or goes
 * *to the* version; an address is "sur"/"à" a host or "en" a place (the Spanish "está en" is left out), so these
 * idioms hold for small-numbered quads.
 */
const VERSION_IDIOM_BEFORE_RE =
  /(?:^|[^a-zé])(?:est|sont|reste|restent|passer|passé|passée|migré|migrée|toujours) en $|(?:^|[^a-záéíóúñ])a la $/;
/**
 * "upgraded to 8.19.9.164", "aktualisiert auf", "mis à jour vers", "actualizado a": the quad is what was installed; or
 * "Upgraded the WLCs from 9.0.9.147 (to 9.0.14.145)": what was installed before.
 */
const UPGRADED_TO_BEFORE_RE =
  /(?:upgraded|upgrading|updated|updating|bumped|bumping|patched|aktualisiert|actualizad[oa]s?|mis à jour|mise à jour|mises à jour)(?: [a-z0-9äöüéèàíóúñ.-]+){0,4} (?:to|from|auf|von|a|à|de|vers|en) $/;
// Only verbs of installing software: "DNS record updated to 10.1.2.3" is a configuration change to an address. At most
// one word names what was upgraded ("upgrading the CRM to 10.4.7.118"); an address word there is checked by the caller.
const UPGRADED_DIRECTLY_TO_BEFORE_RE =
  /(?:upgraded|upgrading|bumped|bumping|patched)(?:(?: the| our| its| their)? [a-z0-9-]+)? to $/;
/** How far before the quad UPGRADED_TO_BEFORE_RE looks (the verb, up to four words naming what, the preposition). */
const UPGRADED_TO_REACH = 64;

/**
 * "We're on OJS 3.4.0.5 now", "still on Moodle 4.1.2.3", "Students on Zoom 5.17.11.34 get no audio": the product a team
 * or its users run, then its version.
 */
const WE_ARE_ON_BEFORE_RE =
  /(?:we're|we’re|we are|still|currently|now|already|users|students|participants|everyone|everybody) on [a-z][a-z0-9.-]{1,20} $/;
/**
 * "I'm on Livegrade 5.4.3.6", "Ich bin noch auf Empirica Signal 9.7.9.56", "Je suis en Livegrade 6.2.0.6", "Estoy en
 * …": the version of a tool a person runs, named by one or two words. A person is on a host too ("ich bin auf dem
 * Server 52.1.2.3"), so the caller also rules out an address word in the clause.
 */
const PERSON_IS_ON_BEFORE_RE =
  /(?:^|[^a-z])(?:i'm|i’m|i am|we're|we’re|we are) on [a-z][a-z0-9.-]{1,20}(?: [a-z][a-z0-9.-]{1,20})? $|(?:^|[^a-zäöü])(?:ich bin|wir sind)(?: (?:noch|schon|jetzt|gerade|bereits))? auf [a-zäöü][a-zäöü0-9.-]{1,20}(?: [a-zäöü][a-zäöü0-9.-]{1,20})? $|(?:^|[^a-zàâçéèêëîïôûù])(?:je suis|on est|nous sommes)(?: (?:encore|déjà|toujours|maintenant))? (?:en|sur) [a-zàâçéèêëîïôûù][a-zàâçéèêëîïôûù0-9.-]{1,20}(?: [a-zàâçéèêëîïôûù][a-zàâçéèêëîïôûù0-9.-]{1,20})? $|(?:^|[^a-záéíóúñü])(?:estoy|estamos)(?: (?:todavía|ya|aún))? en [a-záéíóúñ][a-záéíóúñü0-9.-]{1,20}(?: [a-záéíóúñ][a-záéíóúñü0-9.-]{1,20})? $/;
/**
 * "Rest bleibt auf 7.21.51.208" after a version: the devices not updated stay on the old version (German only: the
 * French "reste sur" is said of a host too).
 */
const STAYS_ON_BEFORE_RE = /(?:^|[^a-zäöü])(?:bleibt|bleiben) (?:noch )?auf $/;

/**
 * A mobile platform and its version right after the quad, in the same clause ("La app de reservas 6.2.1.31 en Android
 * 15", "Lumen 3.5.18.119, iOS 17.4"): the quad is the app's version.
 */
function mobilePlatformAfter(ctx: ScanContext, v: string, start: number, end: number): boolean {
  const d = ctx.keywordDistance(KW_MOBILE_PLATFORM, start, end, 0, MOBILE_PLATFORM_AFTER);
  return d >= 0 && !sentenceEndIn(v, end, end + d);
}
const MOBILE_PLATFORM_AFTER = 16;

/** `§4.3.2.1`, `§ 7.2.1.4`, `§§ 3.1.2.4`: the section sign numbers a clause, never an address. */
function sectionSignBefore(v: string, start: number): boolean {
  const prev = v.charCodeAt(start - 1);
  return prev === 0xa7 || (prev === 32 && v.charCodeAt(start - 2) === 0xa7);
}

/**
 * Software named by one word right before the quad (`Teams Rooms app 5.0.191.0`, `agent 2.5.18.175`,
 * `MSI 3.0.29.236`): its version. Hosts are written with a preposition or a role word ("agent on 10.20.1.7",
 * "relay at …"), and a private address stays an address whatever word stands before it (see privateRange).
 */
const SOFTWARE_WORDS = new Set([
  'app',
  'appli',
  'agent',
  'msi',
  'installer',
  'setup',
  'connector',
  'add-in',
  'plugin',
  'agente',
  'connecteur',
  'conector',
  'konnektor',
  'module',
  'modul',
  'módulo',
  'platform',
  'plattform',
  'plateforme',
  'plataforma',
  'driver',
  'treiber',
  'pilote',
  'controlador',
  // Java runtimes ("Java 17.0.10.7 on the build server").
  'java',
  'jdk',
  'jre',
  'openjdk',
  'odbc',
  'jdbc',
  'sdk',
  // A product's mobile app ("Concur mobile 8.108.5.9 broke receipt capture"); a device's address is "on" a phone.
  'mobile',
  // A device's system software ("the Fiery FS500 Pro reports system 1.2.5.14"); a device's address is "on" or "at" it.
  'system',
  'système',
  'sistema',
  // An endpoint-security product's agent ("EDR sensor 24.2.7.211 on 100 % of laptops"); a sensor's address is written
  // with a preposition, and a private one (a cold-room probe's) stays an address.
  'sensor',
]);

/**
 * A network operating system's name: four or more letters (or dashes) ending in an upper-case `OS` (`AireOS`,
 * `FortiOS`, `PAN-OS`, `NX-OS`, `ArubaOS`). Three-letter ones are left out: `POS` is a point-of-sale terminal.
 */
function osNameEndingAt(v: string, from: number, to: number): boolean {
  return to - from >= 4 && v.charCodeAt(to - 1) === 83 && v.charCodeAt(to - 2) === 79;
}
const OS_VERSION_PREPOSITIONS = new Set(['auf', 'on', 'to', 'sur', 'en', 'a', 'zu', 'nach']);

function softwareWordBefore(v: string, lower: string, start: number, acronymAllowed = true): boolean {
  const wordEnd = start - 1;
  // A space, or the tab that ends the table cell before (".NET agent | 4.4.0.0" in an upgrade matrix).
  if (lower.charCodeAt(wordEnd) !== 32 && lower.charCodeAt(wordEnd) !== 9) return false;
  let k = wordEnd;
  // Twelve letters: the longest software word (`controlador`) whole; longer words are read by their last twelve.
  while (k > 0 && wordEnd - k < 12) {
    const c = lower.charCodeAt(k - 1);
    if ((c >= 97 && c <= 122) || c === 45) k--;
    else break;
  }
  const word = lower.slice(k, wordEnd);
  if (osNameEndingAt(v, k, wordEnd)) return true;
  // Software, firmware, middleware, Shopware, VMware: a product that is software by its name; so is the French
  // logiciel, micrologiciel, progiciel.
  if (word.length >= 6 && (word.endsWith('ware') || word.endsWith('logiciel'))) return true;
  // "AireOS auf 8.5.192.0", "FortiOS to 7.4.3.2": an operating system's name, then a preposition.
  if (acronymAllowed && OS_VERSION_PREPOSITIONS.has(word) && k >= 2 && v.charCodeAt(k - 1) === 32) {
    let o = k - 1;
    while (o > 0 && k - 1 - o < 12 && (isAsciiLetter(v.charCodeAt(o - 1)) || v.charCodeAt(o - 1) === 45)) o--;
    if (osNameEndingAt(v, o, k - 1)) return true;
  }
  // A compound names its software by its last part (`Kassen-App 2.6.35.244`).
  if (SOFTWARE_WORDS.has(word) || SOFTWARE_WORDS.has(word.slice(word.lastIndexOf('-') + 1))) return true;
  // One product acronym or capitalised product name may stand between ("App MTR 4.19.11.0", "agent EDR 2.5.18.175",
  // "l'appli Moodle 4.3.2.11").
  let a = wordEnd;
  while (a > 0 && wordEnd - a < 6 && isAcronymChar(v.charCodeAt(a - 1))) a--;
  if (acronymAllowed && wordEnd - a === 0 && isUpperLetter(v.charCodeAt(k)) && wordEnd - k >= 3) a = k;
  if (!acronymAllowed || wordEnd - a < 2 || !isUpperLetter(v.charCodeAt(a))) return false;
  if (a < 2 || lower.charCodeAt(a - 1) !== 32 || NETWORK_ROLE_NAMES.has(lower.slice(a, wordEnd)))
    return false;
  return softwareWordBefore(v, lower, a, false);
}

const VERSION_FLOOR_AFTER_RE =
  /[ \u00a0]+(?:or (?:newer|later|higher|above)|and (?:newer|later|above)|oder (?:neuer|höher|später)|ou (?:plus récente?|supérieure?|ultérieure?)|o (?:superior|posterior|más reciente))(?![a-z])/iy;

/** Whether the words right after the number make it a minimum version. */
function versionFloorAfter(v: string, end: number): boolean {
  VERSION_FLOOR_AFTER_RE.lastIndex = end;
  return VERSION_FLOOR_AFTER_RE.test(v);
}

/** A currency right after the number (after an optional decimal part `,dd`) or right before it. */
const CURRENCY_AFTER_RE = /(?:,\d\d)?[ \u00a0]?(?:€|\$|£|¥|EUR\b|USD\b|GBP\b|CHF\b|Euro\b)/y;
const CURRENCY_BEFORE_RE = /(?:€|\$|£|¥|\bEUR|\bUSD|\bGBP|\bCHF)[ \u00a0]?$/;

function amountAround(v: string, start: number, end: number): boolean {
  CURRENCY_AFTER_RE.lastIndex = end;
  return CURRENCY_AFTER_RE.test(v) || CURRENCY_BEFORE_RE.test(v.slice(Math.max(0, start - 5), start));
}

/**
 * `1.181.118.192`: a first group of one to three digits, then three groups of exactly three (thousands); the quad is
 * already a valid dotted quad, so the dots' places decide.
 */
function thousandsShaped(quad: string): boolean {
  const n = quad.length;
  return (
    n >= 13 &&
    quad.charCodeAt(n - 4) === 46 &&
    quad.charCodeAt(n - 8) === 46 &&
    quad.charCodeAt(n - 12) === 46
  );
}
/** How far before the number a word for a sum (KW_AMOUNT) may stand, in the same sentence. */
const AMOUNT_WORD_BEFORE = 40;

/**
 * "Le total des produits s'élève à 1.181.118.192": a number grouped in thousands with a word for a sum before it in
 * its sentence and no address word in its clause is that sum, written with dots, even without a currency.
 */
function sumNamedBefore(ctx: ScanContext, v: string, quad: string, start: number, end: number): boolean {
  if (!thousandsShaped(quad)) return false;
  const word = ctx.keywordDistance(KW_AMOUNT, start, end, AMOUNT_WORD_BEFORE, 0);
  return word >= 0 && !sentenceEndIn(v, start - word, start) && !addressWordInClause(ctx, v, start, end);
}

/**
 * Acronyms and names of a network role or device between a software word and a quad ("app VPN 52.1.2.3", "the app
 * Gateway 52.1.2.3"): the quad is that device's address, not the software's version.
 */
const NETWORK_ROLE_NAMES = new Set([
  'vpn',
  'dns',
  'nat',
  'rdp',
  'ssh',
  'vm',
  'ip',
  'sbc',
  'lan',
  'wan',
  'dhcp',
  'ntp',
  'sip',
  'gateway',
  'server',
  'router',
  'switch',
  'firewall',
  'proxy',
  'host',
  'node',
  'relay',
  'controller',
]);

function isUpperLetter(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isAcronymChar(c: number): boolean {
  return isUpperLetter(c) || (c >= 48 && c <= 57);
}

/**
 * 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10: the ranges chat names hosts in, so version rules that
 * rest on weak evidence leave them addresses.
 */
/**
 * 192.168/16 and 172.16/12: no product numbers its versions so, so the rules that take a quad for a version by its
 * neighbours (a version before it, a version word near it) leave these addresses ("Pushed firmware 5.12.3.133 to
 * 172.30.26.189", "the firmware mirror at 192.168.10.198").
 */
function lanRange(quad: string): boolean {
  if (quad.startsWith('192.168.')) return true;
  if (!quad.startsWith('172.')) return false;
  const second = Number(quad.slice(4, quad.indexOf('.', 4)));
  return second >= 16 && second <= 31;
}

/** X.500 attribute types (2.5.4.x) and certificate extensions (2.5.29.x): OIDs, not addresses. */
const X500_OID_RE = /^2\.5\.(?:4|29)\./;
/** "RFC 5280 4.2.1.6", "RFC 5280, section 4.2.1.9": a section of the RFC named right before. */
const RFC_SECTION_BEFORE_RE = /(?:^|[^a-z])rfc ?\d{3,5},? (?:(?:section|sec\.|§) ?)?$/;

function privateRange(quad: string): boolean {
  const dot = quad.indexOf('.');
  const first = Number(quad.slice(0, dot));
  const second = Number(quad.slice(dot + 1, quad.indexOf('.', dot + 1)));
  return (
    first === 10 ||
    first === 127 ||
    (first === 169 && second === 254) ||
    (first === 172 && second >= 16 && second <= 31) ||
    (first === 192 && second === 168) ||
    (first === 100 && second >= 64 && second <= 127)
  );
}

/** The same major number as a quad already judged a version ("app 5.0.191.0 … still run 5.1.170.0"). */
function sameMajorAs(versions: ReadonlySet<string> | undefined, quad: string): boolean {
  if (versions === undefined) return false;
  const major = quad.slice(0, quad.indexOf('.') + 1);
  for (const v of versions) if (v.startsWith(major)) return true;
  return false;
}

/** Whether a quad judged a version differs from `quad` only in its last part (`4.2.1.3` and `4.2.1.4`). */
function sameSeriesAs(versions: ReadonlySet<string> | undefined, quad: string): boolean {
  if (versions === undefined) return false;
  const series = quad.slice(0, quad.lastIndexOf('.') + 1);
  for (const v of versions) if (v.startsWith(series) && v.indexOf('.', series.length) < 0) return true;
  return false;
}

const COLUMN_UNNAMED = 0;
const COLUMN_ADDRESS = 1;
const COLUMN_VERSION = 2;
/** Header words: an address column ("IP", "Host"), or a version column ("Firmware", "Version", "Build"). */
const IP_COLUMN_HEADERS = [[KW_IP], [KW_NOT_IP, KW_VERSION_CONTEXT, KW_VERSION_COLUMN]] as const;

/** What joins two versions in "2.4.1.0 to 2.5.0.3", "4.2.1.3 und 4.2.1.4", "1.0.0.1 → 1.0.0.2". */
const VERSION_LINK_RE =
  /^[ \t]{0,2}(?:to|and|or|bis|und|oder|à|et|ou|vers|a|y|o|hasta|->|→|–|-|,)[ \t]{0,2}$/i;

export const ipDetector: Detector = {
  id: 'ip_address',
  types: ['ip_address'],
  scan(ctx, out) {
    const v = ctx.view;
    if (ctx.maxDotsInRun >= 3) {
      IPV4_RE.lastIndex = 0;
      let versionEnd = -1;
      const firstPushed = out.length;
      // Quads judged versions here: the same value elsewhere in the segment is that version too ("Entra Connect
      // 2.3.20.0" in a list, then "Entra Connect 2.3.20.0 est la dernière version").
      let versionValues: Set<string> | undefined;
      for (let m = IPV4_RE.exec(v); m !== null; m = IPV4_RE.exec(v)) {
        const start = m.index;
        const end = start + m[0].length;
        // `v1.2.3.4`, "version 10.0.0.1", "section 1.2.3.4", OIDs: not addresses; nor the second number of
        // "from 2.4.1.0 to 2.5.0.3" once the first was a version.
        const prev = v.charCodeAt(start - 1);
        // `Chrome/120.0.0.0`, `…/agent/2.14.4.1/agent.zip`: a product token or path segment after a name is a
        // version; a URL's host comes after `//`, not after a letter.
        const afterName =
          (prev === 47 /* / */ &&
            isAsciiLetter(v.charCodeAt(start - 2)) &&
            !squidHierarchyCodeBefore(v, start - 1)) ||
          // `registry.local/netflow-collector:9.8.25.28`: the tag of a container image.
          (prev === 58 /* : */ && imageReferenceBefore(v, start - 1)) ||
          (prev === 64 /* @ */ && versionShaped(m[0]) && packageNameBefore(v, start - 1, ctx.lower));
        // `host:port` is an address whatever words surround it; no version carries a port.
        const withPort = portAfter(v, end);
        // `222.195.168.192.in-addr.arpa`: a reverse-DNS name spells the address backwards; X.500 OIDs are no hosts.
        if (ctx.lower.startsWith('.in-addr.arpa', end) || X500_OID_RE.test(m[0])) continue;
        // In a table, the column's header decides: "IP" over `10.3.12.49`, "Firmware" over `5.8.0.109`.
        const column = ctx.hasTab ? columnHeaderKind(ctx, start, IP_COLUMN_HEADERS) : COLUMN_UNNAMED;
        // `2.236.211.115,00 €`: a sum in German or Spanish notation, not an address.
        if (!withPort && (amountAround(v, start, end) || sumNamedBefore(ctx, v, m[0], start, end))) continue;
        if (column === COLUMN_ADDRESS) {
          if (!NETMASK_RE.test(m[0])) pushMatch(out, ctx, 'ip_address', this.id, start, end, 85);
          continue;
        }
        if (
          !withPort &&
          (column === COLUMN_VERSION ||
            prev === 118 ||
            prev === 86 ||
            sectionSignBefore(v, start) ||
            RFC_SECTION_BEFORE_RE.test(ctx.lower.slice(Math.max(0, start - 24), start)) ||
            afterName ||
            versionNamedBefore(v, start) ||
            versionLabelLine(ctx, start, end) ||
            ((versionShaped(m[0]) || ctx.keywordDistance(KW_VERSION_CONTEXT, start, end, 60, 0) >= 0) &&
              VERSION_IDIOM_BEFORE_RE.test(ctx.lower.slice(Math.max(0, start - 16), start))) ||
            ((!privateRange(m[0]) ||
              // "Core banking upgraded to 10.5.3.218": nothing between the verb and its preposition, and no word of
              // networks in the message ("Our relay moved; the clients upgraded to 10.20.30.41" repoints clients).
              (UPGRADED_DIRECTLY_TO_BEFORE_RE.test(ctx.lower.slice(Math.max(0, start - 24), start)) &&
                ctx.hits(KW_IP).length === 0)) &&
              UPGRADED_TO_BEFORE_RE.test(ctx.lower.slice(Math.max(0, start - UPGRADED_TO_REACH), start)) &&
              // What was upgraded, named before the quad, decides ("the edge firewall to …"); an address word after it
              // belongs to the next clause ("… to 1.0.3.2 and the gateway to 3000.214.7").
              !addressWordInClause(ctx, v, start, end, 0)) ||
            (versionEnd >= 0 && STAYS_ON_BEFORE_RE.test(ctx.lower.slice(Math.max(0, start - 16), start))) ||
            mobilePlatformAfter(ctx, v, start, end) ||
            (versionShaped(m[0]) &&
              WE_ARE_ON_BEFORE_RE.test(ctx.lower.slice(Math.max(0, start - 40), start))) ||
            (versionShaped(m[0]) &&
              PERSON_IS_ON_BEFORE_RE.test(ctx.lower.slice(Math.max(0, start - 48), start)) &&
              !addressWordInClause(ctx, v, start, end, 0)) ||
            (softwareWordBefore(v, ctx.lower, start) && !privateRange(m[0])) ||
            (notAnAddressWordNearer(ctx, start, end) && !lanRange(m[0])) ||
            (versionEnd >= 0 && !lanRange(m[0]) && VERSION_LINK_RE.test(v.slice(versionEnd, start))))
        ) {
          versionEnd = end;
          versionValues ??= new Set();
          versionValues.add(m[0]);
          continue;
        }
        // "Versions in scope: EDR sensor 7.11.18.4, forwarder 9.2.1.0": a list under a versions heading lists
        // versions, whatever product names (VPN, proxy) stand next to them.
        if (
          !withPort &&
          (versionShaped(m[0]) || !privateRange(m[0])) &&
          (underVersionsHeading(ctx.lower, start) || underFirmwareHeading(ctx, v, start, end))
        ) {
          versionEnd = end;
          versionValues ??= new Set();
          versionValues.add(m[0]);
          continue;
        }
        // After a version quad, another small-number quad, or one with the same major number, with no address word
        // near it is a version too (`AssemblyFileVersion("2.4.1.0")` … "Explorer still shows 2.4.0.0 for the DLL").
        // One that differs from a version or section only in its last part is its sibling even when an address word
        // follows it ("section 4.2.1.3 for the rollback order; 4.2.1.4 covers the DNS part"), unless one precedes it.
        if (
          !withPort &&
          versionEnd >= 0 &&
          !lanRange(m[0]) &&
          (versionShaped(m[0]) || sameMajorAs(versionValues, m[0])) &&
          !addressWordInClause(ctx, v, start, end, sameSeriesAs(versionValues, m[0]) ? 0 : 40)
        ) {
          versionEnd = end;
          versionValues ??= new Set();
          versionValues.add(m[0]);
          continue;
        }
        // A quad of small numbers next to an update/driver/package word is a version ("Treiber 6.4.12.2",
        // "auf 4.2.0.1 aktualisiert"), unless an address word is nearer ("… le serveur 10.20.30.41").
        if (!withPort && versionShaped(m[0]) && !lanRange(m[0])) {
          const versionWord = ctx.keywordDistance(KW_VERSION_CONTEXT, start, end, 60, 30);
          if (versionWord >= 0) {
            const addressWord = addressWordDistance(ctx, start, end, 60, 40);
            if (addressWord < 0 || versionWord < addressWord) {
              versionEnd = end;
              versionValues ??= new Set();
              versionValues.add(m[0]);
              continue;
            }
          }
        }
        // A minimum version ("make sure they're on CareApp 4.12.0.3 or newer", "4.2.1.0 oder neuer"): no address is
        // "or later".
        if (!withPort && versionFloorAfter(v, end)) continue;
        // A public quad in a clause that names a version ("Version du firmware du variateur … : 1.15.19.164", "WinCC OA
        // 5.11.24.235 ist freigegeben"), with no address word nearer: larger numbers than the rule above allows, so
        // only the words that name a version itself count, and only within the clause.
        if (!withPort && !privateRange(m[0]) && versionWordInClause(ctx, v, start, end)) {
          versionEnd = end;
          versionValues ??= new Set();
          versionValues.add(m[0]);
          continue;
        }
        // 255.255.255.0 and friends are subnet masks, never host addresses (§9.3: "used as an address"); nor is
        // anything in 0.0.0.0/8 ("this network"): OSPF area ids (`area 0.0.0.1`) and wildcard masks (`0.0.0.255`),
        // unless a port makes it a listening address (`0.0.0.0:8080`).
        if (NETMASK_RE.test(m[0]) || (m[0].charCodeAt(0) === 48 && !withPort)) continue;
        pushMatch(out, ctx, 'ip_address', this.id, start, end, 85);
      }
      if (versionValues !== undefined) dropValues(out, firstPushed, versionValues, v);
      // A message about software versions with no word of networks anywhere ("agent 7.13.6.197 (MSI build
      // 5.10.3.3033) … the fix shipped in 2.16.5.167"): its other quads are versions too, except private addresses
      // no software word names. Evidence is a quad judged a version above, a dotted number no address can be
      // (`9.8.5.8310`), an operating system's version (`FortiOS 7.2.8 … ASDM auf 7.15.2.168`), or a word of
      // maintenance windows and releases to production ("Mise en prod ce soir : moteur de règles 8.9.2.187").
      if (
        out.length > firstPushed &&
        ctx.hits(KW_IP).length === 0 &&
        (versionValues !== undefined ||
          DEFINITE_VERSION_RE.test(v) ||
          LETTERED_SECTION_RE.test(v) ||
          MANY_PARTS_RE.test(v) ||
          OS_VERSION_RE.test(v) ||
          V_VERSION_RE.test(v) ||
          ctx.hits(KW_RELEASE_EVENT).length > 0)
      )
        dropVersionsOfVersionMessage(v, ctx.lower, out, firstPushed);
      if (ctx.maxDotsInRun >= 6 && v.indexOf('-') >= 0) {
        IPV4_RANGE_RE.lastIndex = 0;
        for (let m = IPV4_RANGE_RE.exec(v); m !== null; m = IPV4_RANGE_RE.exec(v)) {
          const first = m[1] as string;
          const last = m[2] as string;
          // "versions 2.4.1.0 - 2.4.1.9", `oldVersion="0.0.0.0-4.0.0.0"` (a .NET binding redirect): ranges of versions.
          if (
            first.charCodeAt(0) === 48 ||
            versionNamedBefore(v, m.index) ||
            (versionShaped(first) && ctx.keywordDistance(KW_VERSION_CONTEXT, m.index, m.index, 60, 0) >= 0)
          )
            continue;
          const lastStart = m.index + m[0].length - last.length;
          pushMatch(out, ctx, 'ip_address', this.id, m.index, m.index + first.length, 85);
          pushMatch(out, ctx, 'ip_address', this.id, lastStart, lastStart + last.length, 85);
        }
      }
      if (ctx.maxDotsInRun >= 4 && v.indexOf('> ') >= 0 && v.indexOf('IP') >= 0) {
        TCPDUMP_ADDRESS_RE.lastIndex = 0;
        for (let m = TCPDUMP_ADDRESS_RE.exec(v); m !== null; m = TCPDUMP_ADDRESS_RE.exec(v)) {
          const address = m[1] as string;
          pushMatch(out, ctx, 'ip_address', this.id, m.index, m.index + address.length, 85);
        }
      }
    }
    if (hasIpv6Gate(v)) {
      IPV6_RE.lastIndex = 0;
      for (let m = IPV6_RE.exec(v); m !== null; m = IPV6_RE.exec(v)) {
        let s = m[0];
        if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
        if (s === '::' || !isIPv6(s)) continue;
        const groups = s.split(':').filter((g) => g.length > 0);
        if (groups.length < 2 && s !== '::1') continue;
        // Needs at least one digit: `dead:beef::cafe` style words are rare, `a::b` in code is common.
        if (!/\d/.test(s)) continue;
        // Six or eight groups of exactly two hex digits are a MAC or an EUI-64 (a Zigbee or BLE device address), which
        // IPv6 syntax happens to allow; no one writes an IPv6 address that way.
        if (
          !s.includes('::') &&
          (groups.length === 6 || groups.length === 8) &&
          groups.every((g) => g.length === 2)
        )
          continue;
        const start = m.index;
        pushMatch(out, ctx, 'ip_address', this.id, start, start + s.length, 85);
      }
    }
  },
};
