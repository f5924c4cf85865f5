import type { ScanContext } from '../context.js';
import {
  COLUMN_OTHER,
  COLUMN_OWN,
  cellSeparator,
  columnHeaderKind,
  type Detector,
  keyedInAfterCall,
  labelBeforeOnLine,
  markedFake,
  namedByIdLabel,
  nameEndBefore,
  pushMatch,
  TYPE_COLUMN_HEADER,
  typeColumn,
} from '../detector.js';
import {
  KW_ADS_ACCOUNT,
  KW_BANK_ACCOUNT,
  KW_CUSTOMER_ID_LABEL,
  KW_DEVICE,
  KW_HEALTH_ID,
  KW_NINO,
  KW_NOT_PHONE,
  KW_OTHER_NATION,
  KW_PASSPORT,
  KW_PHONE,
  KW_PHONE_NUMBER_LABEL,
  KW_UK,
  KW_US,
  KW_WAYBILL,
} from '../keywords.js';
import type { RawMatch } from '../types.js';
import {
  digitCount,
  digitsOf,
  hyphenatedIsbn,
  isDigitCode,
  isTrivialDigits,
  validNino,
} from '../validators.js';
import { afterIbanHead } from './financial.js';

/** US: 9 digits or a letter + 8 digits; UK: 9 digits. Nationality decides between them. */
const PASSPORT_RE = /(?<![0-9_\-./+])\d{8,9}(?![0-9A-Za-z_]|[-./]\d|,\d{1,3}(?!\d))/g;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * `Passport.js` and its strategy packages (`passport-apple`, `passport-jwt`) are a Node.js library, not a travel
 * document: a `.js` or a `-package` right after the word (`passport-number`, `passport-no` stay labels).
 */
const PASSPORT_LIBRARY_AFTER_RE = /^(?:\.js\b|-(?!(?:number|num|no|nr|id|nummer|numero|número)\b)[a-z])/i;

/** "us" counts only as the upper-case country code, not the pronoun ("send us your passport number"). */
const notUsPronoun = (hit: string) => hit !== 'us' && hit !== 'Us';

/** How far before a passport-shaped number, on its line, an identifier label names it. */
const PASSPORT_ID_LABEL_WINDOW = 24;

/** How close after a passport word an identifier label only qualifies it ("passport number for the booking: …"). */
const PASSPORT_QUALIFIED_LABEL_GAP = 20;
/** The same for a passport word that names a number ("passport number", "número de pasaporte"). */
const PASSPORT_NUMBER_LABEL_GAP = 60;
const NUMBER_WORD_RE = /number|nummer|numéro|numero|número|\bno\b|#/i;

/**
 * Whether the identifier label at `labelStart` names the number at `start`: no other number stands between them (the
 * label names that one: "(customer 223923) vs 247673270"), and no passport word right before the label makes it a
 * qualifier ("passport ID", "US passport number for the booking: 984467508").
 */
function idLabelNamesNumber(ctx: ScanContext, v: string, labelStart: number, start: number): boolean {
  for (let k = labelStart; k < start; k++) if (isDigitCode(v.charCodeAt(k))) return false;
  let passport = ctx.keywordDistance(KW_PASSPORT, labelStart, labelStart, PASSPORT_QUALIFIED_LABEL_GAP, 0);
  // A passport word that names a number asks for one ("needs the US passport number for Harper's trip booking: …").
  if (passport < 0)
    passport = ctx.keywordDistanceWhere(
      KW_PASSPORT,
      labelStart,
      labelStart,
      PASSPORT_NUMBER_LABEL_GAP,
      0,
      (hit) => NUMBER_WORD_RE.test(hit),
    );
  if (passport < 0) return true;
  for (let k = labelStart - passport; k < labelStart; k++) if (isDigitCode(v.charCodeAt(k))) return true;
  return false;
}

/** A sentence end (`.`, `!` or `?` before a space) in v[from, to). */
function sentenceEndBetween(v: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = v.charCodeAt(k);
    if ((c === 46 || c === 33 || c === 63) && v.charCodeAt(k + 1) === 32) return true;
  }
  return false;
}

/** How far a nationality adjective may stand from the passport word it qualifies ("deutscher Pass", "(deutscher"). */
const NATION_TO_PASSPORT_GAP = 3;

/**
 * Whether, on the number's line before it, another country's nationality qualifies a passport word and stands nearer
 * the number than any US or UK word there.
 */
function otherNationFirst(
  ctx: ScanContext,
  start: number,
  end: number,
  lineBefore: number,
  lettered: boolean,
): boolean {
  const other = ctx.keywordDistanceWhere(
    KW_OTHER_NATION,
    start,
    end,
    lineBefore,
    0,
    (_hit, hitStart, hitEnd) =>
      ctx.keywordDistance(KW_PASSPORT, hitStart, hitEnd, NATION_TO_PASSPORT_GAP, NATION_TO_PASSPORT_GAP) >= 0,
  );
  if (other < 0) return false;
  const us = ctx.keywordDistanceWhere(KW_US, start, end, lineBefore, 0, notUsPronoun);
  const uk = lettered ? -1 : ctx.keywordDistance(KW_UK, start, end, lineBefore, 0);
  return (us < 0 || other < us) && (uk < 0 || other < uk);
}

export const passportDetector: Detector = {
  id: 'passport',
  types: ['us_passport', 'uk_passport'],
  scan(ctx, out) {
    if (ctx.maxConsecutiveDigits < 8) return;
    if (ctx.hits(KW_PASSPORT).length === 0) return;
    const v = ctx.view;
    // A passport word in a later sentence names what that sentence is about ("…(SSN) del empleado: 056185654.
    // Pasaporte de EE. UU. pendiente."), not the number before it.
    const passportWordFor = (end: number) => (_hit: string, hitStart: number, hitEnd: number) =>
      !PASSPORT_LIBRARY_AFTER_RE.test(v.slice(hitEnd, hitEnd + 12)) &&
      (hitStart < end || !sentenceEndBetween(v, end, hitStart));
    PASSPORT_RE.lastIndex = 0;
    for (let m = PASSPORT_RE.exec(v); m !== null; m = PASSPORT_RE.exec(v)) {
      let start = m.index;
      const before = v.charCodeAt(start - 1);
      const lettered = isLetter(before);
      if (lettered) {
        // US format letter + 8 digits; the letter itself must start a word.
        if (m[0].length !== 8 || isWordChar(v.charCodeAt(start - 2))) continue;
        start--;
      } else if (m[0].length !== 9) {
        continue;
      }
      if (isTrivialDigits(m[0])) continue;
      const end = m.index + m[0].length;
      let dist = ctx.keywordDistanceWhere(KW_PASSPORT, start, end, 300, 300, passportWordFor(end));
      const column = typeColumn(ctx, start, end, KW_PASSPORT);
      if (column === COLUMN_OTHER) continue;
      if (column === COLUMN_OWN) dist = 0;
      if (dist < 0) continue;
      // "Global Entry KTN 983650324", "PO 655981899", "Trip ID 292070103": an identifier label a few words before the
      // number on its line, nearer than the passport word, names it.
      const idLabel = labelBeforeOnLine(
        ctx,
        KW_NOT_PHONE,
        start,
        end,
        PASSPORT_ID_LABEL_WINDOW,
        (_hit, hitStart) => idLabelNamesNumber(ctx, v, hitStart, start),
      );
      if (idLabel >= 0 && idLabel < dist) continue;
      // The nationality usually comes first ("US passport number is …, Tom's British passport …"): the nearest one
      // before the number decides, and one after it only when none stands before. The number's own line (a table
      // row: "Amy Clark → 120394857 → British") goes first, so the row above does not lend its nationality.
      const lineBefore = start - (v.lastIndexOf('\n', start - 1) + 1);
      const lineEnd = v.indexOf('\n', end);
      const lineAfter = (lineEnd < 0 ? v.length : lineEnd) - end;
      if (column !== COLUMN_OWN && otherNationFirst(ctx, start, end, lineBefore, lettered)) continue;
      let us = -1;
      let uk = -1;
      // A "UK passport" column header names the nationality of every cell below it.
      if (column === COLUMN_OWN) {
        // Unless the number's own cell names one ("British passport 568549648" under a first row that says US).
        const cellBefore =
          start - (Math.max(v.lastIndexOf('\t', start - 1), v.lastIndexOf('\n', start - 1)) + 1);
        us = ctx.keywordDistanceWhere(KW_US, start, end, cellBefore, 0, notUsPronoun);
        uk = lettered ? -1 : ctx.keywordDistance(KW_UK, start, end, cellBefore, 0);
        if (us < 0 && uk < 0) {
          const { start: hs, end: he } = TYPE_COLUMN_HEADER;
          us = ctx.keywordDistanceWhere(KW_US, hs, hs, 0, he - hs, notUsPronoun);
          uk = lettered ? -1 : ctx.keywordDistance(KW_UK, hs, hs, 0, he - hs);
        }
      }
      for (const [before, after] of [
        [lineBefore, 0],
        [0, lineAfter],
        [300, 0],
        [0, 300],
      ] as const) {
        if (us >= 0 || uk >= 0) break;
        us = ctx.keywordDistanceWhere(KW_US, start, end, before, after, notUsPronoun);
        uk = lettered ? -1 : ctx.keywordDistance(KW_UK, start, end, before, after);
        if (us >= 0 || uk >= 0) break;
      }
      if (us < 0 && uk < 0) continue;
      const type = uk >= 0 && (us < 0 || uk < us) ? 'uk_passport' : 'us_passport';
      pushMatch(out, ctx, type, this.id, start, end, 75, dist);
    }
  },
};

/**
 * Digit-anchored (cheap on prose): the two prefix letters are checked by hand before the match. The suffix letter may
 * stand apart from six joined digits (`AJ 590699 A`, as some payslips print it).
 */
const NINO_RE = /\d\d([ -]?)\d\d\1\d\d(?:\1| )?[A-Da-d](?![0-9A-Za-z_])/g;

/** Bare "ni" counts only as the upper-case key name "NI" (Spanish "ni" means "nor"). */
const upperCaseNi = (hit: string) => hit !== 'ni' && hit !== 'Ni' && hit !== 'nI';

export const ninoDetector: Detector = {
  id: 'uk_nino',
  types: ['uk_nino'],
  scan(ctx, out) {
    // A spaced NINO (`AB 12 34 56 C`) is a joined digit run with single spaces or dashes; a compact one's digits
    // are glued to its prefix letters, which the digit-run statistics skip, so the letters-then-digits gate covers it.
    if (ctx.maxSpacedDigits < 6 && !ctx.hasLettersThenDigits) return;
    // Every finding needs a NINO keyword: with the keyword index already built, no hit means nothing to find.
    if (ctx.keywordIndexBuilt && ctx.hits(KW_NINO).length === 0) return;
    const v = ctx.view;
    NINO_RE.lastIndex = 0;
    for (let m = NINO_RE.exec(v); m !== null; m = NINO_RE.exec(v)) {
      const sep = m[1] as string;
      let start = m.index;
      if (sep) {
        if (v[start - 1] !== sep) continue;
        start--;
      } else if (v.charCodeAt(start - 1) === 32 && m[0].charCodeAt(m[0].length - 2) === 32) {
        start--; // `AJ 590699 A`: the letters set apart like the suffix
      }
      if (
        !isLetter(v.charCodeAt(start - 1)) ||
        !isLetter(v.charCodeAt(start - 2)) ||
        isWordChar(v.charCodeAt(start - 3))
      )
        continue;
      start -= 2;
      const end = m.index + m[0].length;
      const compact = v.slice(start, end).replace(/[ -]/g, '').toUpperCase();
      if (!validNino(compact)) continue;
      let dist = ctx.keywordDistanceWhere(KW_NINO, start, end, 300, 300, upperCaseNi);
      if (typeColumn(ctx, start, end, KW_NINO, upperCaseNi) === COLUMN_OWN) dist = 0;
      if (dist < 0) continue;
      if (markedFake(ctx, start, end)) continue;
      pushMatch(out, ctx, 'uk_nino', this.id, start, end, 85, dist);
    }
  },
};

const LOCAL_CHARS = /[A-Za-z0-9._%+\-']/;
const FILE_TLDS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'js',
  'ts',
  'css',
  'json',
  'md',
  'txt',
  'html',
  'exe',
  'dll',
  'zip',
  'pdf',
]);

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 95 ||
    c === 37 ||
    c === 43 ||
    c === 45
  );
}
function isDomainChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 45 ||
    // Internationalised domain names with Latin letters (`info@müller-bäckerei.de`, `contact@café-étoile.fr`).
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}

/** End of the last `%20`, `%0A`, `%0D`, `%09`, `%2C`, `%3A`, `%3B` or `%3D` in t[from, to), or -1. */
function lastPercentEscapeEnd(t: string, from: number, to: number): number {
  // A loop over the local part (at most 64 characters): lastIndexOf would run back to the text's start.
  for (let k = to - 3; k >= from; k--)
    if (t.charCodeAt(k) === 37 /* % */ && URL_SEPARATOR_ESCAPE_RE.test(t.slice(k, k + 3))) return k + 3;
  return -1;
}
const URL_SEPARATOR_ESCAPE_RE = /^%(?:20|0[aAdD9]|2[cC]|3[aAbBdD])$/;

/**
 * Messaging deep links whose path is a full international number: WhatsApp's `wa.me/447484775075`, Telegram's
 * `t.me/+447807133479` (the value keeps the `+`, which the prefix ends with).
 */
const PHONE_DEEP_LINKS = [
  { prefix: 'wa.me/', plus: false },
  { prefix: 't.me/+', plus: true },
];

/** The number in each messaging deep link (10-15 digits, nothing glued after them). */
function phoneDeepLinks(ctx: ScanContext, out: RawMatch[], detectorId: string): void {
  const v = ctx.view;
  // Both prefixes end in `.me/`: one search for it, since a search for `wa.me/` or `t.me/+` stops at every `w` or `t`.
  if (v.indexOf('.me/') < 0) return;
  for (const { prefix, plus } of PHONE_DEEP_LINKS) {
    for (let p = v.indexOf(prefix); p >= 0; p = v.indexOf(prefix, p + prefix.length)) {
      const digitsStart = p + prefix.length;
      let end = digitsStart;
      while (end < v.length && isDigitCode(v.charCodeAt(end))) end++;
      const digits = end - digitsStart;
      if (digits < 10 || digits > 15 || isWordChar(v.charCodeAt(end))) continue;
      const start = plus ? digitsStart - 1 : digitsStart;
      if (markedFake(ctx, start, end)) continue;
      pushMatch(out, ctx, 'phone_number', detectorId, start, end, 85);
    }
  }
}

/** Emails anchored on '@' (never an unanchored local-part scan): expand left and right, validate the domain. */
export const emailDetector: Detector = {
  id: 'email',
  types: ['email'],
  scan(ctx: ScanContext, out: RawMatch[]) {
    const t = ctx.view;
    for (let at = t.indexOf('@'); at >= 0; at = t.indexOf('@', at + 1)) {
      let s = at;
      while (s > 0 && at - s < 64 && isLocalChar(t.charCodeAt(s - 1))) s--;
      while (s < at && (t.charCodeAt(s) === 46 || t.charCodeAt(s) === 45)) s++;
      if (s === at) continue;
      if (s > 0 && isLocalChar(t.charCodeAt(s - 1))) continue; // local part longer than 64: not an address
      // A mailto: body keeps its percent escapes (`?body=Please%20add%20daniel.hughes@…`): the address starts after
      // the last escaped space, comma, colon or line break.
      const afterEscape = lastPercentEscapeEnd(t, s, at);
      if (afterEscape > s) s = afterEscape;
      // `scheme://user:pass@host` and `scheme://user@host` are URI userinfo, not addresses; an address further
      // along the URL's path is one (`https://graph.microsoft.com/v1.0/users/jane@contoso.com/manager`).
      const before = t.charCodeAt(s - 1);
      if (before === 58 /* : */ || before === 47 /* / */) {
        let k = s - 1;
        while (k > 0 && k > s - 300 && !/\s/.test(t[k - 1] as string)) k--;
        const token = t.slice(k, s);
        const scheme = token.lastIndexOf('://');
        if (scheme >= 0) {
          if (token.indexOf('/', scheme + 3) < 0) continue;
        } else {
          if (before === 47) continue;
          if (before === 58 && !/mailto:$/i.test(token) && /:[^:]*:$/.test(token)) continue;
        }
      }
      let e = at + 1;
      while (e < t.length && e - at < 256 && isDomainChar(t.charCodeAt(e))) e++;
      while (e > at + 1 && (t.charCodeAt(e - 1) === 46 || t.charCodeAt(e - 1) === 45)) e--;
      const domain = t.slice(at + 1, e);
      const lastDot = domain.lastIndexOf('.');
      if (lastDot <= 0) continue;
      const tld = domain.slice(lastDot + 1);
      if (!/^(?:[A-Za-z]{2,24}|xn--[a-z0-9-]{2,20})$/.test(tld)) continue;
      if (FILE_TLDS.has(tld.toLowerCase())) continue;
      if (domain.includes('..') || /(^|\.)-|-(\.|$)/.test(domain)) continue;
      const local = t.slice(s, at);
      if (local.includes('..') || local.endsWith('.')) continue;
      if (local === 'git' && t.charCodeAt(e) === 58) continue; // scp-style git remote
      if (!LOCAL_CHARS.test(local)) continue;
      // `Message-ID: <6945980042471C.CXH8DC6M@mailer.example>`: a header naming a message, not a mailbox.
      if (MESSAGE_ID_HEADER_RE.test(t.slice(Math.max(0, s - 40), s))) continue;
      if (
        t.charCodeAt(s - 1) === 60 /* < */ &&
        t.charCodeAt(e) === 62 /* > */ &&
        MESSAGE_ID_WORD_RE.test(t.slice(Math.max(0, s - 60), s))
      )
        continue;
      if (PLACEHOLDER_DOMAIN_RE.test(domain) || PLACEHOLDER_LOCAL_RE.test(local)) continue;
      if (remoteShellTarget(ctx.lower, s)) continue;
      pushMatch(out, ctx, 'email', this.id, s, e, 85);
      at = e - 1;
    }
  },
};

/** A remote-shell command word and the blank after it (searched in the line before a login target). */
const REMOTE_SHELL_RE = /(?<![a-z0-9_-])(?:ssh|scp|sftp|rsync|mosh)[ \t]/g;
/** An argument that is no word of prose: an option, a path or file, `key=value`, `host:port`, a login, a number. */
const COMMAND_ARGUMENT_RE = /^-|[./~=:@]|^\d+$/;

/**
 * A login target of a remote-shell command on its line (`ssh -J tw512@gw.hpc.example.ac.uk`, `scp report.csv
 * deploy@host.example.de:/tmp`, `ssh -i id_ed25519 admin@bastion…`): it names an account on a host, not a mailbox. Only
 * options, their values, paths and other targets may stand between the command and the target, so prose that mentions
 * the command keeps its addresses ("send the ssh key to bob@contoso.com").
 */
function remoteShellTarget(lower: string, at: number): boolean {
  const before = lower.charCodeAt(at - 1);
  if (before !== 32 && before !== 9) return false;
  // The line's text before the target, at most 200 characters: a search in the whole text after it would make every
  // address of a long message scan the rest of the message (quadratic).
  const lineBefore = lower.slice(Math.max(0, at - 200), at);
  const line = lineBefore.slice(lineBefore.lastIndexOf('\n') + 1);
  REMOTE_SHELL_RE.lastIndex = 0;
  let argsStart = -1;
  for (let m = REMOTE_SHELL_RE.exec(line); m !== null; m = REMOTE_SHELL_RE.exec(line))
    argsStart = REMOTE_SHELL_RE.lastIndex;
  if (argsStart < 0) return false;
  let optionValue = false;
  for (const arg of line.slice(argsStart).split(/[ \t]+/)) {
    if (arg.length === 0) continue;
    if (arg.charCodeAt(0) === 45) optionValue = true;
    else if (optionValue) optionValue = false;
    else if (!COMMAND_ARGUMENT_RE.test(arg)) return false;
  }
  return true;
}

/** A slash with a space on each side, as a German area code is written (`030 / 2562 4987`). */
function spacedSlashIn(v: string): boolean {
  for (let p = v.indexOf('/ '); p >= 0; p = v.indexOf('/ ', p + 2))
    if (v.charCodeAt(p - 1) === 32) return true;
  return false;
}

/**
 * A message id in angle brackets with a word naming it earlier on the line, in any of the four languages
 * ("Message-ID aus der Beschwerde: <…@mta2…>", "ID del mensaje …: <…>"); a mailbox in brackets (`From: Ana <ana@…>`)
 * has no such word.
 */
const MESSAGE_ID_WORD_RE =
  /(?:message-?id|msg-?id|nachrichten-?id|id del mensaje|identifiant du message|id du message)[^\n]*$/i;

/**
 * A placeholder domain of a template (`prenom.nom@xxxx.fr`): a label of three or more x's; or a domain reserved for
 * documentation (RFC 2606, RFC 6761: example.com, .org and .net, and the `.example`, `.test`, `.invalid` and `.localhost`
 * names), where no mailbox can exist.
 */
const PLACEHOLDER_DOMAIN_RE =
  /(?:^|\.)[xX]{3,}\.|(?:^|\.)example\.(?:com|org|net)$|\.(?:example|test|invalid|localhost)$/i;

/**
 * The address format of an organisation written as a pattern (`first.last@company.com`, `vorname.nachname@…`,
 * `prenom.nom@…`, `nombre.apellido@…`): a description of every address, no one's mailbox.
 */
const PLACEHOLDER_LOCAL_RE =
  /^(?:first(?:name)?[._-]last(?:name)?|vorname[._-]nachname|pr[eé]nom[._-]nom|nombre[._-]apellido|name[._-]surname)$/i;

/** A mail header that names messages (`Message-ID`, `In-Reply-To`, `References`) earlier on the line. */
const MESSAGE_ID_HEADER_RE =
  /(?:^|\n)[ \t>]*(?:message-id|in-reply-to|references|x-ms-exchange-[a-z-]*message-?id)[ \t]*:[^\n]*$/i;

/**
 * Phone candidates: an optional `+cc`, optional `(area)`, then digit groups joined by single separators.
 * The hand check below validates grouping; phone-like numbers need a phone keyword unless their format
 * is unmistakable (`+` international with separators, `(555) 123-4567`, `555-123-4567`).
 */
const PHONE_RE =
  /(?<![0-9A-Za-z_+\-./])(?:\+\d{1,3}[ .-]?\(0\)[ .-]?\d{2,5} ?\/ ?|(?:\+\d{1,3}(?:[ .-]?\(0\))?[ .-]?|\(\+\d{1,3}\)[ .-]?)?(?:\(\d{1,5}\)[ .-]?|0 ?\d{2,5} ?\/ ?|8 ?\(\d{3,5}\) ?)?)\d{1,15}(?:[ .-]\d{1,12}){0,5}(?![0-9A-Za-z_]|[.\-/]\d|,\d{1,3}(?!\d))/g;
// The country code 1 with or without its plus (`1-800-796-3306`, the way US toll-free numbers are written).
const NANP_RE = /^(?:\+1[ .-]?|1[ .-])?(?:\(\d{3}\) ?|\d{3}[.-])\d{3}[.-]\d{4}$/;

/** The ten NANP digits (after an optional country code 1): area code and exchange each start with 2-9. */
function validNanpDigits(d: string): boolean {
  const at = d.length === 11 ? 1 : 0;
  return d.charCodeAt(at) >= 50 && d.charCodeAt(at + 3) >= 50;
}
/**
 * Other national formats that are phones without a keyword: French `06 12 34 56 78` and toll-free `0 800 17 43 62`,
 * `(020) 7123 4567`, Russian `8 (916) 805-97-10` (trunk 8, area code in parentheses).
 */
const NATIONAL_PHONE_RE =
  /^(?:0[1-9](?:([ .-])\d\d)(?:\1\d\d){3}|0 [1-9]\d\d(?: \d\d){3}|\(0\d{1,4}\) ?\d{3,4}[ -]?\d{3,4}|8 ?\(\d{3,5}\) ?\d{2,3}-\d{2}-\d{2})$/;
/**
 * UK and German national numbers: a trunk `0`, an area or mobile code, then one or two subscriber groups with one
 * kind of separator (`020 7946 0958`, `07700 900123`, `0161 496 0000`, `030 12345678`, `0171 7755467`) or a German
 * extension after a dash (DIN 5008: `030 2344-6419`); Dutch
 * mobiles (`06-48271935`) and Japanese numbers (`03-5412-7788`) in their dashed forms only; Belgian and Austrian
 * mobiles in pairs after a four-digit code (`0470 68 39 81`, `0664 733 48 71`) and Swiss numbers (`022 566 61 81`). With spaces, two-digit
 * codes are the tails of UPS tracking numbers (`1Z 999 AA1 01 2345 6784`). Phones without a keyword at 10-11 digits
 * only: 12-digit groups of this shape are hex dumps and ids (`0806 0000 0035`).
 */
const GROUPED_NATIONAL_PHONE_RE =
  /^0[1-9]\d{1,3}([ -])\d{3,8}(?:\1\d{3,4})?$|^0[1-9]\d{1,3} \d{3,8}-\d{1,5}$|^06-\d{8}$|^0[1-9]-\d{4}-\d{4}$|^0[1-9]\d{2,3} \d{2,3} \d{2} \d{2}$|^0[1-9]\d \d{3} \d{2} \d{2}$/;
/**
 * An Italian-style two-digit area code and two groups of four (`02 3003 8567`, Milan), after punctuation or at a line's
 * start only: after a code such as `12W` it is the tail of a UPS tracking number (`1Z 4A8 12W 03 9876 5432`).
 */
const TWO_FOUR_FOUR_RE = /^0[1-9] \d{4} \d{4}$/;
/** German mobile numbers (015x, 016x, 017x and 7-8 more digits: `0160 71814052`, `0170 3709 0633`), 11-12 digits. */
const GERMAN_MOBILE_RE = /^01[5-7]\d{1,2}[ /-]?\d{3,8}(?:[ -]\d{3,5})?$/;
/**
 * German landlines as written outside DIN 5008: a five-digit area code and two groups (`02203 750 4390`, 12 digits), or
 * the old slash after the area code (`0221/349 0371`, `06221/862383`), 10-12 digits. No id is written so: a five-digit
 * first group starting 0 and a 3-4-4 tail, or a trunk 0 before a slash.
 */
const GERMAN_LANDLINE_RE = /^0[2-9]\d{3} \d{3,4} \d{4}$|^0[2-9]\d{1,4}\/\d{3,8}(?: \d{2,4}){0,2}$/;
// Months and days as they can be (`0484/25.40.46`, a Belgian mobile, has a "month" of 25): ≤ 12 and ≤ 31.
const DATE_LIKE =
  /^\d{4}[-./](?:0?\d|1[0-2])[-./](?:[012]?\d|3[01])|^(?:[012]?\d|3[01])[-./](?:[012]?\d|3[01])[-./]\d{2,4}/;

/** How far before a separator-free number of 11+ digits its phone word must stand. */
const COMPACT_LONG_PHONE_WORD_WINDOW = 30;

/** `mob/demob`, `mob & demob`: mobilisation and demobilisation (a rig move's cost line), not a mobile phone. */
const DEMOB_AFTER_RE = / ?[/&-] ?demob/y;

function mobilisationPair(lower: string, mobEnd: number): boolean {
  DEMOB_AFTER_RE.lastIndex = mobEnd;
  return DEMOB_AFTER_RE.test(lower);
}

/** Most characters between an air waybill label and its number (`AWB no.: `, ` n.º `). */
const WAYBILL_LABEL_GAP = 6;

/** How far before a separator-free number an identifier label names it (same line). */
const COMPACT_ID_LABEL_WINDOW = 40;

/**
 * A person's role after an identifier label (`Case officer`, `claims handler`, `customer service`, `member services`)
 * makes the label a job, not the name of a number: a number after it on the line is that person's or desk's.
 */
const ROLE_AFTER_LABEL_RE =
  /s?[ _-]?(?:officer|worker|manager|handler|owner|agent|lead|coordinator|advis[eo]r|service|support|care|desk|team|contact)s?(?![a-z])/y;

function roleAfterLabel(lower: string, labelEnd: number): boolean {
  ROLE_AFTER_LABEL_RE.lastIndex = labelEnd;
  return ROLE_AFTER_LABEL_RE.test(lower);
}

function compactIdLabelled(ctx: ScanContext, start: number, end: number): boolean {
  const label = labelBeforeOnLine(
    ctx,
    KW_NOT_PHONE,
    start,
    end,
    COMPACT_ID_LABEL_WINDOW,
    (_hit, _hitStart, hitEnd) => !roleAfterLabel(ctx.lower, hitEnd),
  );
  if (label < 0) return false;
  const phoneBefore = ctx.keywordDistance(KW_PHONE, start, end, COMPACT_ID_LABEL_WINDOW, 0);
  return phoneBefore < 0 || label < phoneBefore;
}

/**
 * A configuration key ending in `Id`, `ID`, `_id` or `Number` right before the number, with no phone word in it
 * (`messagingSenderId: "36089623833"`, `projectNumber=…`; not `supportPhoneNumber:`).
 */
function idKeyNamedBefore(v: string, start: number): boolean {
  const k = nameEndBefore(v, start);
  if (k === start) return false;
  let keyStart = k;
  while (keyStart > 0 && start - keyStart < 64 && isKeyChar(v.charCodeAt(keyStart - 1))) keyStart--;
  const key = v.slice(keyStart, k);
  return ID_KEY_RE.test(key) && !PHONE_KEY_RE.test(key);
}

const ID_KEY_RE = /[a-z0-9](?:Id|ID|_id|_ID|Number|_number|_NUMBER)$/;
const PHONE_KEY_RE = /phone|tel|mobile|cell|fax|msisdn|sms/i;

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Two five-digit port numbers, ascending, joined by a dash: a port range (`49152-53247`). */
function portRange(s: string): boolean {
  if (s.length !== 11 || s.charCodeAt(5) !== 45 || s.charCodeAt(0) === 48 || s.charCodeAt(6) === 48)
    return false;
  const low = Number(s.slice(0, 5));
  const high = Number(s.slice(6));
  return high <= 65535 && low < high;
}

const RF_REFERENCE_BEFORE_RE = /(?:^|[^A-Za-z0-9])RF\d\d $/;

/** A run of digits that starts with a date: 19xx/20xx, month 01-12, day 01-31. */
const DATE_CODED_RE = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])/;
const DATED_ID_RE = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ .\-/_]\d/;

/** How far before a number a health-service label (KW_HEALTH_ID) names it. */
const HEALTH_ID_LABEL_WINDOW = 48;

function healthIdLabelled(ctx: ScanContext, start: number, end: number): boolean {
  const label = labelBeforeOnLine(ctx, KW_HEALTH_ID, start, end, HEALTH_ID_LABEL_WINDOW);
  if (label < 0) return false;
  const phone = ctx.keywordDistance(KW_PHONE, start, end, HEALTH_ID_LABEL_WINDOW, 0);
  return phone < 0 || label < phone;
}

/** `00` and a country code, then a separator: a number dialled internationally from Europe. */
const INTERNATIONAL_PREFIX_RE = /^00[1-9]\d{0,2}[ .-]/;
/**
 * `0033125364556`: the international call prefix and a European country code written without separators, as SIP
 * usernames and carrier exports write numbers (a zero-padded id has a third zero or no such country code).
 */
const COMPACT_INTERNATIONAL_RE = /^00(?:3[0-469]|4[0-9]|35[1-9]|42[01])[1-9]\d{7,10}$/;
/**
 * Lengths of the national significant number where a country's numbering plan fixes them (ITU-T E.164 national plans
 * as libphonenumber records them); countries with variable lengths (Germany, Austria, Italy, China…) are absent.
 */
const NATIONAL_NUMBER_LENGTHS: ReadonlyMap<string, readonly number[]> = new Map([
  ['1', [10]],
  ['7', [10]],
  ['30', [10]],
  ['31', [9]],
  ['32', [8, 9]],
  ['33', [9]],
  ['34', [9]],
  ['41', [9]],
  ['44', [9, 10]],
  ['45', [8]],
  ['47', [8]],
  ['48', [9]],
  ['52', [10, 11]],
  ['61', [9]],
  ['65', [8]],
  ['91', [10]],
  ['351', [9]],
  ['420', [9]],
  ['852', [8]],
  ['971', [8, 9]],
  ['972', [8, 9]],
]);

/**
 * The country codes ITU-T E.164 assigns (its list of assigned country codes, by first digit): `0087-33-1190245`, an
 * insurance policy's number, dials 873, which no country holds.
 */
const ASSIGNED_COUNTRY_CODE_RE =
  /^(?:1|2(?:0|1[1-368]|[2-46]\d|5[0-8]|7|9[01789])|3(?:[0-46]|5\d|7[0-8]|8[0-35-79]|9)|4(?:[013-9]|2[013])|5(?:0\d|[1-8]|9\d)|6(?:[0-6]|7[02-9]|8[0-35-9]|9[0-2])|7|8(?:0[08]|[1246]|5[02356]|7[08]|8[0-368])|9(?:[0-58]|6[0-8]|7[0-79]|9[2-68]))/;

/**
 * Whether an international number (`+cc …`, `00cc …`) dials an assigned country code with as many digits as its
 * country's plan allows: `0061 2345 6789 01` (a parcel's tracking number) is one digit too long for Australia. A `(0)`
 * trunk prefix is not dialled from abroad. `+cc` numbers are written at any length (the findings contract asks only
 * 10-15 digits), so the phone detector asks this of `00`-prefixed numbers alone.
 */
function fitsCountryPlan(s: string, d: string): boolean {
  let digits = s.indexOf('(0)') >= 0 ? digitsOf(s.replace('(0)', '')) : d;
  if (digits.charCodeAt(0) === 48 && digits.charCodeAt(1) === 48) digits = digits.slice(2);
  if (!ASSIGNED_COUNTRY_CODE_RE.test(digits)) return false;
  for (let codeLength = 1; codeLength <= 3; codeLength++) {
    const lengths = NATIONAL_NUMBER_LENGTHS.get(digits.slice(0, codeLength));
    if (lengths !== undefined) return lengths.includes(digits.length - codeLength);
  }
  return true;
}

/** Twilio's magic test numbers: +1 500 555 0000 to 0009 (also written without the `+`). */
const TEST_NUMBER_RE = /^1?500555000\d$/;

/** A Google Ads customer id's layout. */
const ADS_ID_RE = /^\d{3}-\d{3}-\d{4}$/;
/** How far before a number a customer-id label names it (same line). */
const CUSTOMER_ID_LABEL_WINDOW = 30;

const PHONE_COLUMN_UNNAMED = 0;
const PHONE_COLUMN_PHONE = 1;
const PHONE_COLUMN_OTHER = 2;
/** Header words: a phone column, or a device or identifier column (ICCID, IMEI, ID, Order…). */
const PHONE_COLUMN_HEADERS = [[KW_PHONE], [KW_DEVICE, KW_NOT_PHONE]] as const;

/**
 * A phone word inside a host name (`sbc3.nordwelle-mobil.de`, `mobile.contoso.com`) names a machine, not a number:
 * the word's run of letters, digits and dashes continues with a dot and a letter, or follows a letter and a dot.
 */
function inHostName(t: string, hs: number, he: number): boolean {
  let k = he;
  while (k < t.length && isHostChar(t.charCodeAt(k))) k++;
  if (t.charCodeAt(k) === 46 && isLetter(t.charCodeAt(k + 1))) return true;
  k = hs;
  while (k > 0 && isHostChar(t.charCodeAt(k - 1))) k--;
  return t.charCodeAt(k - 1) === 46 && isWordChar(t.charCodeAt(k - 2));
}

function isHostChar(c: number): boolean {
  return isWordChar(c) || c === 45;
}

/** Whether the last character before `at` other than spaces, on its line, is a letter or a digit. */
function wordBeforeOnLine(v: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && v.charCodeAt(k) === 32) k--;
  if (k < 0) return false;
  const c = v.charCodeAt(k);
  return isDigitCode(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Separator kinds in a phone candidate (digits, `+` and parentheses aside), as bits. */
const SEPARATOR_DOT = 1;
const SEPARATOR_SPACE_OR_DASH = 2;
const SEPARATOR_OTHER = 4;
const SEPARATORS_DOTS_ONLY = SEPARATOR_DOT;
const SEPARATORS_DOTS_AND_SPACES = SEPARATOR_DOT | SEPARATOR_SPACE_OR_DASH;

function separatorKinds(s: string): number {
  let kinds = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (isDigitCode(c) || c === 43 || c === 40 || c === 41) continue;
    kinds |= c === 46 ? SEPARATOR_DOT : c === 32 || c === 45 ? SEPARATOR_SPACE_OR_DASH : SEPARATOR_OTHER;
  }
  return kinds;
}

export const phoneDetector: Detector = {
  id: 'phone_number',
  types: ['phone_number'],
  scan(ctx, out) {
    const v = ctx.view;
    // The digit-run statistics join digits across at most two separators; `030 / 2562 4987` has three. Such a number's
    // part after the slash is a joined run of at least four digits (ten or more in all, at most six before the slash).
    if (ctx.maxJoinedDigits < 10 && (ctx.maxJoinedDigits < 4 || !spacedSlashIn(v))) return;
    const outsideHostName = (hit: string, hitStart: number, hitEnd: number) =>
      !inHostName(v, hitStart, hitEnd) && !(hit === 'mob' && mobilisationPair(ctx.lower, hitEnd));
    PHONE_RE.lastIndex = 0;
    for (let m = PHONE_RE.exec(v); m !== null; m = PHONE_RE.exec(v)) {
      const s = m[0];
      const digits = digitCount(s);
      if (digits < 10 || digits > 15) continue;
      // The candidate stopped at its group limit with another group right after it ("2 91 04 75 443 966 70", a
      // French social-security number): a longer number, of which this would only be a fragment.
      const next = v.charCodeAt(m.index + s.length);
      if ((next === 32 || next === 46 || next === 45) && isDigitCode(v.charCodeAt(m.index + s.length + 1)))
        continue;
      const d = digitsOf(s);
      // `BE19 0012 8567 0412`, an IBAN that failed its check: its body, not a phone.
      if (afterIbanHead(v, m.index)) continue;
      // `0008048342`: a zero-padded record id; no number dials with three zeros (`00` + a country code never 0).
      if (d.charCodeAt(0) === 48 && d.charCodeAt(1) === 48 && d.charCodeAt(2) === 48) continue;
      // `…:2022:065972.20210322` (an ECLI court reference), `12:30`: digits after a colon that follows a digit
      // continue an identifier or a time (`tel:+49…` has a letter before its colon).
      if (v.charCodeAt(m.index - 1) === 58 && isDigitCode(v.charCodeAt(m.index - 2))) continue;
      // `+16465588656,,83172551189#`, `4711 0815 23#`: a meeting id or a PIN keyed in once the call connects.
      if (keyedInAfterCall(v, m.index, m.index + s.length)) continue;
      // `+34 …`, `(+34) …` or `0034 958 …` (the international call prefix): a country code written.
      const plus =
        s.charCodeAt(0) === 43 ||
        (s.charCodeAt(0) === 40 && s.charCodeAt(1) === 43) ||
        (d.length >= 11 && INTERNATIONAL_PREFIX_RE.test(s)) ||
        (s.charCodeAt(0) === 48 && s.charCodeAt(1) === 48 && COMPACT_INTERNATIONAL_RE.test(s));
      if (isTrivialDigits(d)) continue;
      // Twilio's documented magic test numbers (`+15005550006`): §9.4's documented examples.
      if (d.length <= 11 && d.indexOf('500555') >= 0 && TEST_NUMBER_RE.test(d)) continue;
      // `06.48.27.91.35` starts like a date but is a French number (five two-digit groups, one separator).
      const national =
        NATIONAL_PHONE_RE.test(s) ||
        (digits <= 11 && GROUPED_NATIONAL_PHONE_RE.test(s)) ||
        (digits <= 12 && (GERMAN_MOBILE_RE.test(s) || GERMAN_LANDLINE_RE.test(s))) ||
        (TWO_FOUR_FOUR_RE.test(s) && !wordBeforeOnLine(v, m.index));
      if (!national && DATE_LIKE.test(s)) continue;
      // `20240403-418057`: a first group that is a date (year, month, day) before a separator is a dated call, case or
      // batch id, whatever label or column names it; no phone number starts with eight digits that read as a date.
      if (!plus && (s.charCodeAt(0) === 49 || s.charCodeAt(0) === 50) && DATED_ID_RE.test(s)) continue;
      // Dotted quads and versions are not phones.
      if (!plus && /^\d{1,3}(\.\d{1,3}){3}$/.test(s)) continue;
      // `3-996-86254-7`, `978-4-49851-752-3`: a book's ISBN, whatever word stands before it.
      if (!plus && hyphenatedIsbn(s, d)) continue;
      // "Air waybill 020-03477653", "Guía aérea n.º 057-98562983": a shipment's number, named right before it.
      if (!plus && ctx.keywordDistance(KW_WAYBILL, m.index, m.index + s.length, WAYBILL_LABEL_GAP, 0) >= 0)
        continue;
      // Separator kinds (0: none, only digits, `+` and parentheses).
      const seps = separatorKinds(s);
      // Dotted groups with a one-digit group are versions (`Chrome 124.0.6367.94`); dotted phones group by 2-4.
      if (!plus && seps === SEPARATORS_DOTS_ONLY && /(?:^|\.)\d(?:\.|$)/.test(s)) continue;
      // Mixed '.' and space/dash is a date-time or version style, unless the number starts with +country.
      if (!plus && (seps & SEPARATORS_DOTS_AND_SPACES) === SEPARATORS_DOTS_AND_SPACES) continue;
      const start = m.index;
      const end = start + s.length;
      // `RTP 45901-59026`, `Medien 49152–53247`: a UDP/TCP port range, not a number with a dash.
      if (portRange(s)) continue;
      // "4486 30-<br>09 9514 4366": the rest of a number that a hyphen broke across lines (a PDF's hyphenation).
      if (
        v.charCodeAt(start - 1) === 10 &&
        v.charCodeAt(start - 2) === 45 &&
        isDigitCode(v.charCodeAt(start - 3))
      )
        continue;
      // In a table, the column's header names the cell: "MSISDN" over `+44 161 3484 6648`, "ICCID" over `8944…`.
      // A CSV header names its columns too (`imei,iccid,imsi,msisdn,user`, `ICCID;MSISDN;Tarif;PUK`): read for a
      // number that fills a cell (a separator right before or after it), so other numbers pay nothing.
      const column =
        ctx.hasTab || cellSeparator(v.charCodeAt(start - 1)) || cellSeparator(v.charCodeAt(end))
          ? columnHeaderKind(ctx, start, PHONE_COLUMN_HEADERS)
          : PHONE_COLUMN_UNNAMED;
      if (column === PHONE_COLUMN_OTHER) continue;
      const phoneLabelled =
        column === PHONE_COLUMN_PHONE || ctx.keywordDistance(KW_PHONE_NUMBER_LABEL, start, end, 6, 0) >= 0;
      // A national number starts with its trunk 0 (or none, as in the US) and has at most 12 digits; 13 or more
      // digits with neither `+` nor a leading 0, and any bare run of 13+, are membership, ticket or account
      // numbers (Miles & More's 15), unless a phone label names them (`MSISDN: 4915112345678`, E.164 as telecom
      // systems write it).
      if (
        d.length >= 13 &&
        !plus &&
        (seps === 0 || !(s.startsWith('0') || s.startsWith('(0'))) &&
        !phoneLabelled
      )
        continue;
      if (markedFake(ctx, start, end)) continue;
      // `2024081108`: digits that start with a date (year, month, day) and no separator are a date-coded run or
      // batch id ("Planungslauf 2024081108"), unless a phone label stands right before them.
      if (!phoneLabelled && seps === 0 && !plus && DATE_CODED_RE.test(d)) continue;
      // `RF51 0522 6293 194`: the digits of an ISO 11649 creditor reference.
      if (RF_REFERENCE_BEFORE_RE.test(v.slice(Math.max(0, start - 6), start))) continue;
      // Ten digits from a 1 with no separator: no North American number (area codes start 2-9) nor a national one
      // (trunk 0), but a Unix timestamp ("Publication timestamp 1728930659") or an id.
      if (!phoneLabelled && seps === 0 && !plus && d.length === 10 && d.charCodeAt(0) === 49) continue;
      // "NHS number 467-883-7973": a health-service number in any layout, named right before it on its line.
      if (!phoneLabelled && healthIdLabelled(ctx, start, end)) continue;
      // A device label (IMEI, ICCID, serial) before the number on its line names it, unless a phone-number label stands
      // right before it ("IMEI 35-209900-176148-1, MSISDN 491701234567"). On an earlier line it heads another column
      // or labels another line of a device sheet ("SIM ICCID 8901…<br>Number: +1 512 365 9182").
      if (!phoneLabelled && labelBeforeOnLine(ctx, KW_DEVICE, start, end, 40) >= 0) continue;
      // Eleven or more digits with no separator and no `+` are mostly ids (`messagingSenderId: "659567718576"`);
      // as a phone they need the phone word close by, not anywhere in the paragraph (`kh-mobile-prod` in a hostname).
      const compactLong = seps === 0 && !plus && d.length >= 11;
      const dist =
        column === PHONE_COLUMN_PHONE
          ? 0
          : compactLong
            ? ctx.keywordDistanceWhere(
                KW_PHONE,
                start,
                end,
                COMPACT_LONG_PHONE_WORD_WINDOW,
                20,
                outsideHostName,
              )
            : ctx.keywordDistanceWhere(KW_PHONE, start, end, 120, 40, outsideHostName);
      // `+44 20 …` with separators, or E.164 as configuration writes it (`TWILIO_FROM_NUMBER=+17202745529`).
      const international = plus && (seps !== 0 || d.length >= 11);
      const nanpShaped = NANP_RE.test(s);
      // North American numbers have an area code and an exchange that start 2-9; `482-193-5530` in that layout is
      // an id (a Google Ads customer id), whatever words surround it.
      // A trunk 0 makes it a national number in that layout instead (`052-779-8007`, an Israeli mobile).
      if (nanpShaped && !national && !validNanpDigits(d)) continue;
      const nanp = national || nanpShaped;
      // Ad-platform account ids (Google Ads writes them 3-3-4 with dashes) in a message about ad accounts, or right
      // after a customer-id label, unless a phone word stands right before the number ("link 686-604-4898 to our MCC
      // 670-841-5557; call me on 415-555-0199"). A customer-id column elsewhere in a table names no phone.
      if (
        ADS_ID_RE.test(s) &&
        (ctx.hits(KW_ADS_ACCOUNT).length > 0 ||
          labelBeforeOnLine(ctx, KW_CUSTOMER_ID_LABEL, start, end, CUSTOMER_ID_LABEL_WINDOW) >= 0) &&
        ctx.keywordDistanceWhere(KW_PHONE, start, end, 20, 0, outsideHostName) < 0
      )
        continue;
      if (dist >= 0) {
        // "Meeting ID: 540 525 622 807 … Dial in by phone": an identifier label (ID, order, ticket…) right
        // before a number in no phone format names it, whatever phone keyword is nearby.
        if (!international && !nanp && column !== PHONE_COLUMN_PHONE) {
          if (namedByIdLabel(ctx, start, end, dist) || idKeyNamedBefore(v, start)) continue;
          // "Case reference from the bank for the recall: 2406245909. They'll call back …": digits written
          // without any separator after an identifier label earlier on the line are that identifier, unless a
          // phone word stands nearer before them (a phone word after them is about something else).
          if (seps === 0 && compactIdLabelled(ctx, start, end)) continue;
        }
        // A bank-account keyword closer than the phone keyword means this is an account number.
        const bank = ctx.keywordDistance(KW_BANK_ACCOUNT, start, end, 150, 60);
        if (bank >= 0 && bank < dist && !international && !nanp) continue;
        pushMatch(out, ctx, 'phone_number', this.id, start, end, 85, dist);
      } else if (
        (international || nanp) &&
        // With no phone word, `00` and a country code must be followed by a number that fits that country's plan: parcel
        // and container codes start with `00` too (`0061 2345 6789 01`). A written `+` is taken as it stands.
        (!international || s.charCodeAt(0) !== 48 || fitsCountryPlan(s, d)) &&
        // On its line only: a label on the line above heads another column ("TN | Old carrier acct | PIN").
        labelBeforeOnLine(
          ctx,
          KW_NOT_PHONE,
          start,
          end,
          international ? 3 : 20,
          (_hit, _hitStart, hitEnd) => !roleAfterLabel(ctx.lower, hitEnd),
        ) < 0
      ) {
        pushMatch(out, ctx, 'phone_number', this.id, start, end, 75, 1000);
      }
    }
    phoneDeepLinks(ctx, out, this.id);
    // "So my cell is 3 4 0 4 2 2 1 4 1 2": a number read out digit by digit, as live captions write it, is a phone only
    // with a phone word near it (PHONE_RE stops at six groups, so such a number never reaches the loop above).
    if (ctx.maxSpacedDigits < 10 || ctx.hits(KW_PHONE).length === 0) return;
    SPELLED_DIGITS_RE.lastIndex = 0;
    for (let m = SPELLED_DIGITS_RE.exec(v); m !== null; m = SPELLED_DIGITS_RE.exec(v)) {
      const d = digitsOf(m[0]);
      if (isTrivialDigits(d)) continue;
      const start = m.index;
      const end = start + m[0].length;
      if (markedFake(ctx, start, end)) continue;
      const dist = ctx.keywordDistanceWhere(KW_PHONE, start, end, 120, 40, outsideHostName);
      if (dist >= 0) pushMatch(out, ctx, 'phone_number', this.id, start, end, 85, dist);
    }
  },
};

/** Ten to fifteen single digits joined by single spaces, not part of a longer such run. */
const SPELLED_DIGITS_RE = /(?<![0-9A-Za-z_\-./+]|\d )\d(?: \d){9,14}(?! ?\d)(?![A-Za-z_])/g;
