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
  pushMatch,
  typeColumn,
} from '../detector.js';
import {
  KW_ABA,
  KW_ACCOUNT_WORD,
  KW_BANK_ACCOUNT,
  KW_BANK_CONTEXT,
  KW_CARD,
  KW_DEVICE,
  KW_DOMESTIC_BANK_CODE,
  KW_IBAN_WORD,
  KW_NOT_PHONE,
  KW_PASSPORT,
  KW_PHONE_NUMBER_LABEL,
  KW_SSN,
  KW_VENDOR_LABEL,
} from '../keywords.js';
import type { RawMatch } from '../types.js';
import {
  digitsOf,
  IBAN_LENGTHS,
  ibanMod97,
  isDigitCode,
  isTrivialDigits,
  validAba,
  validCard,
  validSsn,
} from '../validators.js';

/**
 * Card numbers: 4-4-4-4(-3) or 4-6-4/5 groups with one consistent separator (two spaces as OCR of a card or a receipt
 * spaces them: `5115  9983  3457  7679`; slashes only between four groups of four, `5365/3728/5728/0417`), or 13-19
 * compact digits. A fifth group of four digits makes the number longer than any card (`ARN 2409 2159 3557 4621 0731
 * 524`, a 23-digit acquirer reference); a CVV after a card has three. Only compact digits before `,` and 1-3 more
 * digits are an amount's integer part (`4556737586899855,50`); no amount groups its digits by four, so a grouped number
 * before a comma ends a CSV cell (`CB-500511,2024-12-25,3557 7209 3612 6006,58.61,USD`), and so does a compact one
 * before `,58.61` (a decimal comma is not followed by a decimal point). A URL's escaped space, line break or
 * punctuation may stand right before one (`mailto:…?body=Tarjeta%3A%204556985791252432%0A…`), nested in the lookbehind
 * as IBAN_RE does.
 */
const CARD_RE =
  /(?<![0-9A-Za-z_\-./+%](?<!%(?:20|0[AD9]|2C|3[ABD])))(?:\d{4}( {1,2}|[./-])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?(?!\1\d{4})|\d{4}([ .-])\d{6}\2\d{4,5}|\d{4}([ -])\d{4}\3\d{5}|\d{13,19}(?!,\d{1,3}(?![\d/]|\.\d)))(?![0-9A-Za-z_/]|[-.:]\d)/g;

const EXPIRY_RE = /(?<![\d/])(?:0[1-9]|1[0-2])\s?[/-]\s?(?:\d{2}|20\d{2})(?![\d/])/;

/** How many groups before a number afterIbanHead walks back over to find an IBAN's head. */
const IBAN_HEAD_MAX_GROUPS = 3;

/**
 * Digits after an IBAN's country and check digits, right after them or after up to two more groups of the same
 * written number (`DE45 5001 7517 5147 2078 70`, `BE19 0012 8567 0412`, OCR's `PT07 0O33 3898 …`: IBANs with a typo
 * that fail mod-97), are that IBAN's body, not a card or a phone.
 */
export function afterIbanHead(v: string, start: number): boolean {
  let k = start;
  for (let groups = 0; groups < IBAN_HEAD_MAX_GROUPS; groups++) {
    if (v.charCodeAt(k - 1) !== 32) return false;
    k--;
    const groupEnd = k;
    while (
      k > 0 &&
      groupEnd - k < 6 &&
      (isDigitCode(v.charCodeAt(k - 1)) || isUpperAscii(v.charCodeAt(k - 1)))
    )
      k--;
    const len = groupEnd - k;
    if (len === 0 || (k > 0 && isWordCode(v.charCodeAt(k - 1)))) return false;
    if (
      len === 4 &&
      isUpperAscii(v.charCodeAt(k)) &&
      isUpperAscii(v.charCodeAt(k + 1)) &&
      isDigitCode(v.charCodeAt(k + 2)) &&
      isDigitCode(v.charCodeAt(k + 3))
    )
      return true;
  }
  return false;
}

/** Whether four digits and `separator` stand right before `start` (the number is the tail of a longer grouped one). */
function afterGroupOfFour(v: string, start: number, separator: string): boolean {
  const k = start - separator.length;
  if (k < 4 || !v.startsWith(separator, k)) return false;
  for (let i = k - 4; i < k; i++) if (!isDigitCode(v.charCodeAt(i))) return false;
  return true;
}

function isUpperAscii(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isWordCode(c: number): boolean {
  return isUpperAscii(c) || (c >= 97 && c <= 122) || isDigitCode(c) || c === 95;
}

const PHONE_LABEL_COLUMN = [[KW_PHONE_NUMBER_LABEL]] as const;
/** How far before a Luhn-valid number, on its line, a product or company number's label names it. */
const CARD_ID_LABEL_WINDOW = 60;

export const creditCardDetector: Detector = {
  id: 'credit_card',
  types: ['credit_card'],
  scan(ctx: ScanContext, out: RawMatch[]) {
    // Either line of a wrapped 4-4-4-4 card holds at least two of its groups or one and three: 8 spaced digits or more.
    if (ctx.maxSpacedDigits >= 8) wrappedCards(ctx, out, this.id);
    if (ctx.maxJoinedDigits < 13) return;
    const v = ctx.view;
    CARD_RE.lastIndex = 0;
    for (let m = CARD_RE.exec(v); m !== null; m = CARD_RE.exec(v)) {
      const d = digitsOf(m[0]);
      if (!validCard(d)) continue;
      const start = m.index;
      const end = start + m[0].length;
      if (afterIbanHead(v, start)) continue;
      // The regex refuses a grouped number that goes on for a fifth group of four; nor may one start inside such a
      // number (`ES81 8085 4955 9248 1860 1823`: an IBAN's body from its third group).
      const separator = m[1] ?? m[2] ?? m[3];
      if (separator !== undefined && afterGroupOfFour(v, start, separator)) continue;
      if (ctx.hasKeyword(KW_DEVICE, start, end, 40, 0)) continue;
      if (markedFake(ctx, start, end)) continue;
      const cardWord = ctx.hasKeyword(KW_CARD, start, end, 300);
      // "MSISDN: 4915112345678": a phone label right before a Luhn-valid number names a phone, not a card; so does
      // the header of its table or CSV column (`ICCID;MSISDN;Tarif;PUK`).
      if (!cardWord && ctx.keywordDistance(KW_PHONE_NUMBER_LABEL, start, end, 6, 0) >= 0) continue;
      if (
        !cardWord &&
        (cellSeparator(v.charCodeAt(start - 1)) || cellSeparator(v.charCodeAt(end))) &&
        columnHeaderKind(ctx, start, PHONE_LABEL_COLUMN) === 1
      )
        continue;
      let conf = 65;
      if (cardWord) conf = 85;
      else {
        const win = v.slice(Math.max(0, start - 300), Math.min(v.length, end + 300));
        if (EXPIRY_RE.test(win)) conf = 85;
      }
      // "Campaign ID: 4945807302157365", "Order 4945…": an identifier label right before a Luhn-valid number with
      // neither a card word nor an expiry date in reach names that identifier (one random id in ten passes Luhn).
      if (conf === 65 && ctx.keywordDistance(KW_NOT_PHONE, start, end, 6, 0) >= 0) continue;
      // "le SIRET de l'établissement de Villeurbanne : 36022713677971": a product or company number's label earlier on
      // the line, with neither a card word nor an expiry date in reach.
      if (conf === 65 && labelBeforeOnLine(ctx, KW_DEVICE, start, end, CARD_ID_LABEL_WINDOW) >= 0) continue;
      pushMatch(out, ctx, 'credit_card', this.id, start, end, conf);
    }
    // Irregular grouping (e.g. tags split "4539</b>1488 0343 6467"): any 13-19 digits in groups of ≥ 2
    // joined by single spaces/dashes; overlaps with the structured matches above are resolved later. Such a
    // run counts all its digits in maxSpacedDigits, so texts without 13 of them skip this second pass.
    if (ctx.maxSpacedDigits < 13) return;
    CARD_LOOSE_RE.lastIndex = 0;
    for (let m = CARD_LOOSE_RE.exec(v); m !== null; m = CARD_LOOSE_RE.exec(v)) {
      if (/^\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}$|^\d+$/.test(m[0])) continue; // already covered
      const d = digitsOf(m[0]);
      if (d.length < 13 || d.length > 19 || !validCard(d)) continue;
      const start = m.index;
      const end = start + m[0].length;
      if (afterIbanHead(v, start)) continue;
      if (ctx.hasKeyword(KW_DEVICE, start, end, 40, 0) || markedFake(ctx, start, end)) continue;
      const cardWord = ctx.hasKeyword(KW_CARD, start, end, 300);
      // A first group of two or three digits is no card layout (`387 971 294 05525`, a French SIRET; card numbers
      // start with four): only a card word makes such a number a card. A number read out digit by digit is a card's.
      if (!cardWord && !/^\d{4}/.test(m[0]) && m[0].charCodeAt(1) !== 32) continue;
      pushMatch(out, ctx, 'credit_card', this.id, start, end, cardWord ? 85 : 65);
    }
  },
};

/** Whether v[at, at + 4) are four digits with no digit right before or after them. */
function groupOfFourAt(v: string, at: number): boolean {
  if (at < 0 || isDigitCode(v.charCodeAt(at - 1)) || isDigitCode(v.charCodeAt(at + 4))) return false;
  for (let k = at; k < at + 4; k++) if (!isDigitCode(v.charCodeAt(k))) return false;
  return true;
}

/** What may not stand right before a card number (CARD_RE's lookbehind) or right after it. */
function gluedToNumber(c: number): boolean {
  return isWordCode(c) || c === 45 || c === 46 || c === 47 || c === 43;
}

/**
 * A 4-4-4-4 card number that a fax, a PDF or a narrow phone screen wrapped onto two lines (`4974 1402<br>0165 3027`): one
 * line break in place of one of its spaces. Only with a card word within reach (wrapped groups of four are also a
 * table's short numbers, one line after another); the value keeps the line break, as the text has it.
 */
function wrappedCards(ctx: ScanContext, out: RawMatch[], detectorId: string): void {
  const v = ctx.view;
  for (let p = v.indexOf('\n'); p >= 0; p = v.indexOf('\n', p + 1)) {
    if (!isDigitCode(v.charCodeAt(p - 1)) || !isDigitCode(v.charCodeAt(p + 1))) continue;
    let start = p;
    let before = 0;
    while (before < 4 && groupOfFourAt(v, start - 4)) {
      before++;
      start -= 4;
      if (v.charCodeAt(start - 1) !== 32 || !isDigitCode(v.charCodeAt(start - 2))) break;
      start--;
    }
    // `start` left on a space: the group before it is not of four digits (`123 5678<br>…`), so no card layout.
    if (before === 0 || before === 4 || v.charCodeAt(start) === 32 || gluedToNumber(v.charCodeAt(start - 1)))
      continue;
    let end = p + 1;
    let after = 0;
    while (before + after < 4 && groupOfFourAt(v, end)) {
      after++;
      end += 4;
      if (before + after < 4 && v.charCodeAt(end) === 32 && isDigitCode(v.charCodeAt(end + 1))) end++;
      else break;
    }
    // Exactly four groups: a fifth group on either line makes it some longer number.
    if (before + after !== 4 || v.charCodeAt(end - 1) === 32) continue;
    if (v.charCodeAt(end) === 32 && groupOfFourAt(v, end + 1)) continue;
    if (
      gluedToNumber(v.charCodeAt(end)) &&
      !(v.charCodeAt(end) === 46 && !isDigitCode(v.charCodeAt(end + 1)))
    )
      continue;
    if (!validCard(digitsOf(v.slice(start, end)))) continue;
    if (!ctx.hasKeyword(KW_CARD, start, end, 300) || markedFake(ctx, start, end)) continue;
    pushMatch(out, ctx, 'credit_card', detectorId, start, end, 85);
  }
}

/** Also a number read out digit by digit, as live captions write it (`4 6 3 2 1 6 8 0 …`): 13-19 single digits. */
const CARD_LOOSE_RE =
  /(?<![0-9A-Za-z_\-./+])(?:\d{2,}(?:[ -]\d{2,}){1,7}|\d(?: \d){12,18}(?! \d))(?![0-9A-Za-z_/]|[-.:]\d|,\d{1,3}(?![\d/]|\.\d))/g;

// A comma next to a compact 9-digit run is a thousands separator or a numeric CSV column; next to a formatted
// `ddd-dd-dddd` it is a CSV separator (`employee_id,name,SSN\n788933,R. Alvarez,640-18-4210`), checked in scan.
const SSN_RE = /(?<![0-9A-Za-z_\-./+])(\d{3})([ -]?)(\d{2})\2(\d{4})(?![0-9A-Za-z_]|[-./]\d)/g;

/** Evidence distance recorded for an SSN whose keyword is in the message but outside the ±300 window. */
const SSN_FAR_KEYWORD = 100_000;

/** A number right after a label ending at `labelEnd` (after spaces, `:`, `#`, `.` or `-`, at most four). */
function labelsOwnNumber(v: string, labelEnd: number): boolean {
  let k = labelEnd;
  while (k < v.length && k - labelEnd < 4) {
    const c = v.charCodeAt(k);
    if (c !== 32 && c !== 58 && c !== 35 && c !== 46 && c !== 45 && c !== 9) break;
    k++;
  }
  return isDigitCode(v.charCodeAt(k));
}

/** The nearer of two keyword distances, where -1 means "none". */
function nearerDistance(a: number, b: number): number {
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/** How far before a bare 9-digit run, on its line, an identifier label names it ("employee ID instead, e.g. …"). */
const SSN_ID_LABEL_WINDOW = 24;

/**
 * "Le SSN de Fatima pour le dossier américain : 247787618": an id word after "for the" says what the number is for,
 * it does not label the number (as "Numéro de dossier : …" does).
 */
const PURPOSE_BEFORE_RE =
  /(?:pour (?:le|la|les)|for (?:the|a|an)|para (?:el|la|los|las)|für (?:den|die|das)) $/;
function purposeBefore(lower: string, hitStart: number): boolean {
  return PURPOSE_BEFORE_RE.test(lower.slice(Math.max(0, hitStart - 12), hitStart));
}

/**
 * Whether a Spanish CCC's bank, branch and check digits stand right before `start` (`2100 0418 45 0200051332`): the ten
 * digits after them are that domestic account's number, which its IBAN carries, not a US account.
 */
function endsSpanishCccHead(v: string, start: number): boolean {
  const head = start - 13;
  if (head < 0 || (head > 0 && isWordCode(v.charCodeAt(head - 1)))) return false;
  return SPANISH_CCC_HEAD_RE.test(v.slice(head, start));
}
const SPANISH_CCC_HEAD_RE = /^\d{4}([ -])\d{4}\1\d{2}\1$/;

/** Whether 1-3 digits start at `at` and no digit follows them: the decimals of an amount after a comma. */
function decimalTail(v: string, at: number): boolean {
  let k = at;
  while (k < at + 4 && isDigitCode(v.charCodeAt(k))) k++;
  return k > at && k < at + 4;
}

export const ssnDetector: Detector = {
  id: 'us_ssn',
  types: ['us_ssn'],
  scan(ctx, out) {
    if (ctx.maxJoinedDigits < 9) return;
    // Keyword-required type: the (shared, one-pass) keyword index is cheaper than the regex.
    if (ctx.hits(KW_SSN).length === 0) return;
    const v = ctx.view;
    SSN_RE.lastIndex = 0;
    for (let m = SSN_RE.exec(v); m !== null; m = SSN_RE.exec(v)) {
      if (m[2] === '') {
        // A compact run in a numeric column (`12,869337160`) or an amount with a decimal comma (`869337160,44`) is a
        // number; between text cells of a CSV row (`Lopez,Maria,869337160,WA`, `…,540199468,1962-02-21`) it may be an SSN.
        const after = m.index + m[0].length;
        // `,,352669309#`: a conference id keyed in once a call connects, as the phone detector reads it.
        if (keyedInAfterCall(v, m.index, after)) continue;
        if (v.charCodeAt(m.index - 1) === 44 /* , */ && isDigitCode(v.charCodeAt(m.index - 2))) continue;
        if (v.charCodeAt(after) === 44 && decimalTail(v, after + 1)) continue;
      }
      const d = `${m[1]}${m[3]}${m[4]}`;
      if (!validSsn(d)) continue;
      const start = m.index;
      const end = start + m[0].length;
      // An SSN word after the value that labels a number of its own ("Document number: 150947266 … E-Verify case used
      // SSN 806-11-5498") names that number, not this one.
      let dist = ctx.keywordDistanceWhere(
        KW_SSN,
        start,
        end,
        300,
        300,
        (_hit, hitStart, hitEnd) => hitStart < end || !labelsOwnNumber(v, hitEnd),
      );
      // The contract (§9.3) asks for an SSN keyword anywhere in the message, not within Purview's window;
      // a formatted number further away still counts (medium), a bare 9-digit run does not.
      if (dist < 0 && m[2]) dist = SSN_FAR_KEYWORD;
      // `REF*SY*781478550~`: X12's SY qualifier names the element after it a Social Security Number (REF is the
      // segment's name, not an id label).
      const x12Ssn = !m[2] && v.startsWith('*SY*', start - 4);
      if (x12Ssn) dist = 0;
      const column = typeColumn(ctx, start, end, KW_SSN);
      if (column === COLUMN_OTHER) continue;
      if (column === COLUMN_OWN) dist = 0;
      if (dist < 0) continue;
      // "Employee ID 477984866 … The SSN is in Workday only": a bare run that its own label names.
      if (!m[2] && !x12Ssn && namedByIdLabel(ctx, start, end, dist)) continue;
      // "Use the employee ID instead, e.g. 206274675": an id label a few words before, on its line, nearer than the
      // SSN word.
      if (!m[2] && !x12Ssn) {
        const label = labelBeforeOnLine(
          ctx,
          KW_NOT_PHONE,
          start,
          end,
          SSN_ID_LABEL_WINDOW,
          (_hit, hitStart) => !purposeBefore(ctx.lower, hitStart),
        );
        if (label >= 0 && label < dist) continue;
      }
      // "U.S. passport no. 393684234, SSN 703-52-7534": a bare run right after a passport label is that passport
      // (the SSN word after it names the next number), unless an SSN label stands nearer before it.
      // So is a bare run right after a routing label ("Old routing 801178200 to be removed"), valid ABA or not.
      if (!m[2]) {
        const passport = ctx.keywordDistance(KW_PASSPORT, start, end, 20, 0);
        const routing = ctx.keywordDistance(KW_ABA, start, end, 12, 0);
        const named = nearerDistance(passport, routing);
        if (named >= 0) {
          const ssnBefore = ctx.keywordDistance(KW_SSN, start, end, 20, 0);
          if (ssnBefore < 0 || named < ssnBefore) continue;
        }
      }
      if (markedFake(ctx, start, end)) continue;
      pushMatch(
        out,
        ctx,
        'us_ssn',
        this.id,
        start,
        end,
        dist === SSN_FAR_KEYWORD ? 75 : m[2] ? 85 : 75,
        dist,
      );
    }
  },
};

const ABA_RE = /(?<![0-9A-Za-z_\-./+])(?:\d{4}-\d{4}-\d|\d{9})(?![0-9A-Za-z_]|[-./]\d|,\d{1,3}(?!\d))/g;

/**
 * "the routing code is 328921997 (ZIP+4, no delivery point)": the routing code of a postal barcode (USPS Intelligent
 * Mail: the ZIP+4 and delivery point), not a bank's, when a postal-barcode word stands near it.
 */
const POSTAL_BARCODE_WORD_RE = /zip ?\+ ?4|(?<![a-z])imb(?![a-z])|intelligent mail|delivery point|postnet/;
const POSTAL_ROUTING_REACH = 120;
/** How far before a number a postal "routing code" names it ("the routing code is 328921997"). */
const POSTAL_ROUTING_NAMES = 40;

/** A bank named right before "routing code" keeps it a bank's ("Bank routing code 321171184, ship to ZIP+4 …"). */
const BANK_BEFORE_ROUTING_RE = /bank|banco|banque|aba|ach|wire|checking/;
const BANK_BEFORE_ROUTING_REACH = 40;

function postalRouting(lower: string, hitStart: number, hitEnd: number): boolean {
  if (!lower.startsWith(' code', hitEnd)) return false;
  // The hit itself may be "bank routing".
  if (BANK_BEFORE_ROUTING_RE.test(lower.slice(Math.max(0, hitStart - BANK_BEFORE_ROUTING_REACH), hitEnd)))
    return false;
  return POSTAL_BARCODE_WORD_RE.test(
    lower.slice(Math.max(0, hitStart - POSTAL_ROUTING_REACH), hitEnd + POSTAL_ROUTING_REACH),
  );
}

export const abaDetector: Detector = {
  id: 'aba_routing',
  types: ['aba_routing'],
  scan(ctx, out) {
    if (ctx.maxJoinedDigits < 9) return;
    // Keyword-required type: the (shared, one-pass) keyword index is cheaper than the regex.
    if (ctx.hits(KW_ABA).length === 0) return;
    const v = ctx.view;
    const lower = ctx.lower;
    const postal = (_hit: string, hitStart: number, hitEnd: number) => postalRouting(lower, hitStart, hitEnd);
    ABA_RE.lastIndex = 0;
    for (let m = ABA_RE.exec(v); m !== null; m = ABA_RE.exec(v)) {
      if (!validAba(digitsOf(m[0]))) continue;
      const start = m.index;
      const end = start + m[0].length;
      let dist = ctx.keywordDistance(KW_ABA, start, end, 300);
      // The postal routing code right before the number names it, whatever other routing word the message has.
      if (dist >= 0 && ctx.keywordDistanceWhere(KW_ABA, start, end, POSTAL_ROUTING_NAMES, 0, postal) >= 0)
        continue;
      const column = typeColumn(ctx, start, end, KW_ABA);
      if (column === COLUMN_OTHER) continue;
      if (column === COLUMN_OWN) dist = 0;
      if (dist < 0) continue;
      // "Routing this to procurement: PO 321227449 needs a second approver": the PO number, named so.
      if (namedByIdLabel(ctx, start, end, dist)) continue;
      pushMatch(out, ctx, 'aba_routing', this.id, start, end, dist <= 60 ? 85 : 75, dist);
    }
  },
};

/** Account labels of any business (telecom, utility, CRM): a bank account's only with bank words in the message. */
const GENERIC_ACCOUNT_LABELS = new Set([
  'account number',
  'account no',
  'account #',
  'account#',
  'account nr',
  // The same bare labels in French and Spanish ("número de cuenta del paciente", a hospital's patient account).
  'numéro de compte',
  'numero de compte',
  'número de cuenta',
  'numero de cuenta',
  'n.º de cuenta',
  'núm. de cuenta',
  'num. de cuenta',
]);

/**
 * A service that names a bare account label ("Wireless account number 9390569191, port-out PIN …"): the customer's
 * account with that carrier or utility, whatever bank word (a "number transfer PIN") the message has.
 */
const NON_BANK_ACCOUNT_BEFORE_RE =
  /(?:wireless|mobile|cell|cellular|carrier|phone|telecom|utility|electric|electricity|gas|water|broadband|internet|cable|patient|loyalty|rewards) $/;

const BANK_RE = /(?<![0-9A-Za-z_\-./+])\d{10,12}(?![0-9A-Za-z_]|[-./]\d|,\d{1,3}(?!\d))/g;

/**
 * An X12 element (`BPR*I*…*01*251319469*DA*97428164*1273494929*…`) is an account number only right after its
 * qualifier, DA (demand deposit) or SG (savings); any other element is a company id, a trace or a check number.
 */
function x12AccountQualified(v: string, start: number): boolean {
  const element = v.lastIndexOf('*', start - 2);
  return (
    element >= 0 &&
    start - 1 - element === 3 &&
    (v.startsWith('DA', element + 1) || v.startsWith('SG', element + 1))
  );
}

/** How far from an account number a domestic bank code makes it that country's account. */
const DOMESTIC_BANK_CODE_WINDOW = 80;
/** A German BLZ: 8 digits, often grouped 3-3-2 (`528 914 43`). */
const BLZ_VALUE_RE = /[ \t:.#]*(?:\d{8}|\d{3} \d{3} \d{2})(?!\d)/y;

/**
 * Whether a German BLZ (with its 8-digit code: "Bankleitzahl" alone also translates a US routing number) or a French
 * RIB's bank or branch code stands near the number: a domestic account of those countries, not a US one.
 */
function nextToDomesticBankCode(ctx: ScanContext, v: string, start: number, end: number): boolean {
  return (
    ctx.keywordDistanceWhere(
      KW_DOMESTIC_BANK_CODE,
      start,
      end,
      DOMESTIC_BANK_CODE_WINDOW,
      DOMESTIC_BANK_CODE_WINDOW,
      (hit, _hitStart, hitEnd) => {
        if (!hit.toLowerCase().startsWith('b')) return true;
        BLZ_VALUE_RE.lastIndex = hitEnd;
        return BLZ_VALUE_RE.test(v);
      },
    ) >= 0
  );
}

/** How far before an account-shaped number, on its line, another identifier label names it. */
const ID_LABEL_BEFORE_ACCOUNT = 40;
const ACCOUNT_WORD_RE = /^(?:account|acct|konto|compte|cuenta)/i;
/** Network routing ("routing rules", "reglas de routing", "Routing-Tabelle"), not a bank's routing number. */
const NETWORK_ROUTING_AFTER_RE = /^[ -]?(?:rules?|tables?|polic|tabelle|regeln)/;
const NETWORK_ROUTING_BEFORE_RE = /(?:reglas?|règles?|tablas?|tables?) de $/;
/**
 * Whether the routing hit at lower[hitStart, hitEnd) means a network's routing, by the words around it: then the bare
 * account label next to an account-shaped number has no routing number to pair with (an AWS account id in a note about
 * Front Door's "reglas de routing").
 */
function networkRouting(lower: string, hitStart: number, hitEnd: number): boolean {
  return (
    NETWORK_ROUTING_AFTER_RE.test(lower.slice(hitEnd, hitEnd + 9)) ||
    NETWORK_ROUTING_BEFORE_RE.test(lower.slice(Math.max(0, hitStart - 12), hitStart))
  );
}
const notAnAccountWord = (hit: string) => !ACCOUNT_WORD_RE.test(hit);

export const bankAccountDetector: Detector = {
  id: 'us_bank_account',
  types: ['us_bank_account'],
  scan(ctx, out) {
    if (ctx.maxConsecutiveDigits < 10) return;
    // Keyword-required type: the (shared, one-pass) keyword index is cheaper than the regex.
    const wired = ctx.hits(KW_ACCOUNT_WORD).length > 0 && ctx.hits(KW_ABA).length > 0;
    if (ctx.hits(KW_BANK_ACCOUNT).length === 0 && !wired) return;
    const v = ctx.view;
    const bankContext = ctx.hits(KW_BANK_CONTEXT).length > 0;
    const lower = ctx.lower;
    const bankRouting = (_hit: string, hitStart: number, hitEnd: number) =>
      !networkRouting(lower, hitStart, hitEnd);
    const bankWorded = (hit: string, hitStart: number) => {
      const label = hit.toLowerCase();
      // "Old carrier acct", "Wireless account number": an account with that carrier or utility, whatever bank words.
      if (
        label.startsWith('acc') &&
        NON_BANK_ACCOUNT_BEFORE_RE.test(lower.slice(Math.max(0, hitStart - 16), hitStart))
      )
        return false;
      return bankContext || !GENERIC_ACCOUNT_LABELS.has(label);
    };
    BANK_RE.lastIndex = 0;
    for (let m = BANK_RE.exec(v); m !== null; m = BANK_RE.exec(v)) {
      const start = m.index;
      const end = start + m[0].length;
      if (isTrivialDigits(m[0])) continue;
      if (v.charCodeAt(start - 1) === 42 /* * */ && !x12AccountQualified(v, start)) continue;
      if (m[0].length === 10 && endsSpanishCccHead(v, start)) continue;
      let dist = ctx.keywordDistanceWhere(KW_BANK_ACCOUNT, start, end, 150, 60, bankWorded);
      // "ABA 021000021, account 483920175566": next to a routing number, a bare account label names a bank
      // account (alone it names CRM and customer records).
      if (dist < 0 && wired) {
        const label = ctx.keywordDistance(KW_ACCOUNT_WORD, start, end, 3, 0);
        if (label >= 0 && ctx.keywordDistanceWhere(KW_ABA, start, end, 150, 60, bankRouting) >= 0)
          dist = label;
      }
      const column = typeColumn(ctx, start, end, KW_BANK_ACCOUNT, bankWorded);
      if (column === COLUMN_OTHER) continue;
      if (column === COLUMN_OWN) dist = 0;
      if (dist < 0) continue;
      if (markedFake(ctx, start, end)) continue;
      if (nextToDomesticBankCode(ctx, v, start, end)) continue;
      // "…bank account details follow. Meanwhile order 8458831243 shipped": when the bank keyword is not
      // right next to the number and another identifier label (order, invoice, ticket…) is nearer, it is
      // that identifier, not an account number (§9.3: "next to a bank-account keyword"). So too when the bank keyword
      // comes after the number: "Loan no. 5354196405 Draft from checking acct # …", "policy # 8306911748. Bank account
      // (checking) …". The label is looked for within 40 characters before, on the number's line ("Steuer-ID für die
      // Freistellung: 93995455363 (bitte nicht mit der Kontonummer verwechseln)"); "Account:" is no other identifier.
      const bankBefore = ctx.keywordDistanceWhere(KW_BANK_ACCOUNT, start, end, 20, 0, bankWorded);
      if (dist > 20 || bankBefore < 0) {
        const idLabel = labelBeforeOnLine(
          ctx,
          KW_NOT_PHONE,
          start,
          end,
          ID_LABEL_BEFORE_ACCOUNT,
          notAnAccountWord,
        );
        const vendorLabel = labelBeforeOnLine(ctx, KW_VENDOR_LABEL, start, end, ID_LABEL_BEFORE_ACCOUNT);
        const other = nearerDistance(idLabel, vendorLabel);
        if (other >= 0 && (other < dist || (bankBefore < 0 && other === dist))) continue;
      }
      pushMatch(out, ctx, 'us_bank_account', this.id, start, end, 75, dist);
    }
  },
};

/**
 * Country code + check digits, then more alphanumerics in groups of any size separated by one or two spaces, a `-` or a
 * line break (ibanLength allows one: an IBAN wrapped onto two lines): in fours as the standard prints them, doubly
 * spaced (`MC58  3000  3342 …`) or in the national layout of a letterhead (`IT35 P03062 53895 501490222476`, `AT38 20111
 * 57385986344`); ibanLength cuts it at the country's length. Also right after an MT940 `:86:` subfield code
 * (`?31DE59500105171813760326?32…`) or a URL's escaped space or line break
 * (`mailto:…?body=IBAN%20DE58200411114763226101%20…`). The lookbehind nests rather than alternates: "no word character
 * before, unless it ends `?dd`" (an alternation of two lookbehinds made the scan 4× slower). Nothing follows the
 * repetition, so the first greedy match is final (no backtracking).
 */
const IBAN_RE =
  /(?<![0-9A-Za-z_](?<!\?\d\d|%(?:20|0[AD9]|2C|3[ABD])))[A-Z]{2}\d{2}(?:(?: {1,2}|-|\n)?[0-9A-Z]{1,30}){1,9}/g;
const IBAN_GATE = /[A-Z]{2}\d\d/;

/**
 * The IBANs printed as the example in the ECBS/SWIFT registry, Wikipedia and bank documentation (§9.4 spirit:
 * a documented example is never a real account, and alerting on it is noise).
 */
const DOCUMENTED_EXAMPLE_IBANS = new Set([
  'DE89370400440532013000',
  'GB82WEST12345698765432',
  'GB29NWBK60161331926819',
  'FR1420041010050500013M02606',
  // The SWIFT IBAN registry's per-country examples and Wikipedia's table, as copied into manuals ("ejemplo del manual").
  'ES9121000418450200051332',
  'ES7921000813610123456789',
  'BE71096123456769',
  'BE68539007547034',
  'FR7630006000011234567890189',
  'DE91100000000123456789',
  'GR9608100010000001234567890',
  'CH5604835012345678009',
  'CH9300762011623852957',
  'GB98MIDL07009312345678',
  'NL91ABNA0417164300',
  'IT60X0542811101000000123456',
  'AT611904300234573201',
  'PL61109010140000071219812874',
  'SE4550000000058398257466',
  'NO9386011117947',
  'DK5000400440116243',
  'FI2112345600000785',
]);

/**
 * Length in characters of the IBAN at the start of regex match `s` at `start` of `v` (exactly its country's number of
 * alphanumerics, cut at the end or before a separator, no word character after it, mod-97 valid, no documented
 * example), or -1.
 */
function ibanLength(ctx: ScanContext, v: string, s: string, start: number): number {
  const country = s.slice(0, 2);
  const want = IBAN_LENGTHS[country] ?? IBAN_LENGTHS[country.toUpperCase()];
  if (want === undefined) return -1;
  // Walk to exactly `want` alphanumerics; the cut must fall at the end or before a separator, or before the BIC's
  // label when a PDF copy lost the spaces (`IBAN:NL67ABNA5660931673BIC:ABNANL2A`).
  let n = 0;
  let k = 0;
  let lineBreaks = 0;
  while (k < s.length && n < want) {
    const c = s.charCodeAt(k);
    if (c === 10) lineBreaks++;
    else if (c !== 32 && c !== 45) n++;
    k++;
  }
  // One line break may stand for a space (an IBAN wrapped in a PDF, a narrow table cell or an e-mail); more is text.
  if (n !== want || lineBreaks > 1) return -1;
  const after = v.charCodeAt(start + k);
  if (
    ((after >= 48 && after <= 57) ||
      (after >= 65 && after <= 90) ||
      (after >= 97 && after <= 122) ||
      after === 95) &&
    !BIC_LABEL_AFTER_RE.test(v.slice(start + k, start + k + 6))
  )
    return -1;
  let compact = s.slice(0, k).replace(/[ \n-]/g, '');
  if (compact.charCodeAt(0) >= 97) compact = compact.toUpperCase();
  if (!ibanMod97(compact) || DOCUMENTED_EXAMPLE_IBANS.has(compact)) return -1;
  if (markedFake(ctx, start, start + k)) return -1;
  return k;
}

/** The BIC's label glued to the end of an IBAN (`…5660931673BIC:ABNANL2A`, `…SWIFT ABNANL2A`). */
const BIC_LABEL_AFTER_RE = /^(?:BIC|SWIFT)(?![a-z])/;

/** An IBAN typed in lower case (`de44 5001 0517 …`, forms and phone keyboards), tried only after the word IBAN. */
const LOWER_IBAN_RE = /[a-z]{2}\d{2}(?:(?: {1,2}|-)?[0-9a-z]{1,30}){1,9}/y;
/** How far after the word IBAN a lower-case one may start (`die IBAN kleingeschrieben ins Formular getippt: de82…`). */
const LOWER_IBAN_WINDOW = 80;

function isAsciiLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

const IBAN_WORD_RE = /(?<![a-z0-9\u00c0-\u024f])ibans?(?![a-z0-9\u00c0-\u024f])/gi;

/** [start, end, …] of the word IBAN as the keyword index (KW_IBAN_WORD) finds it, without building the index. */
function ibanWords(v: string): number[] {
  const out: number[] = [];
  IBAN_WORD_RE.lastIndex = 0;
  for (let m = IBAN_WORD_RE.exec(v); m !== null; m = IBAN_WORD_RE.exec(v))
    out.push(m.index, m.index + m[0].length);
  return out;
}

/** A letter, digit or `_`. */
function isWordChar(c: number): boolean {
  return isAsciiLower(c | 0x20) || isDigitCode(c) || c === 95;
}

export const ibanDetector: Detector = {
  id: 'iban',
  types: ['iban'],
  scan(ctx, out) {
    const v = ctx.view;
    // The shared letters-then-digits gate (also the NINO detector's) is false on most chat prose.
    if (!ctx.hasLettersThenDigits) return;
    // Starts of the IBANs found in capitals: the word IBAN before one vouches for that one, not for text after it.
    const found: number[] = [];
    if (IBAN_GATE.test(v)) {
      IBAN_RE.lastIndex = 0;
      for (let m = IBAN_RE.exec(v); m !== null; m = IBAN_RE.exec(v)) {
        const k = ibanLength(ctx, v, m[0], m.index);
        if (k < 0) {
          // The match ran on over the groups that follow (`Ref AB12 CD34 DE58 2004 …`, or the next line's IBAN): look
          // for an IBAN starting inside it, after this one's country code and check digits.
          IBAN_RE.lastIndex = m.index + 4;
          continue;
        }
        pushMatch(out, ctx, 'iban', this.id, m.index, m.index + k, 85);
        found.push(m.index);
        IBAN_RE.lastIndex = m.index + k;
      }
    }
    // Lower case is no IBAN's printed form, so the word must vouch for it: a lower-case candidate is looked for only in a
    // window after the word IBAN. A whole-text pass for lower-case candidates cost secret-dense text 2-3 % (their
    // base64 runs are full of `ab12`); the keyword index has the word for free once built, else one native search.
    const words = ctx.keywordIndexBuilt ? ctx.hits(KW_IBAN_WORD) : ibanWords(v);
    if (words.length === 0) return;
    let from = 0;
    let next = 0;
    for (let i = 0; i < words.length; i += 2) {
      const w = words[i] as number;
      while (next < found.length && (found[next] as number) < w) next++;
      const stop = Math.min(
        v.length - 3,
        (words[i + 1] as number) + LOWER_IBAN_WINDOW,
        found[next] ?? v.length,
      );
      for (let p = Math.max(from, words[i + 1] as number); p < stop; p++) {
        if (
          !isDigitCode(v.charCodeAt(p + 2)) ||
          !isDigitCode(v.charCodeAt(p + 3)) ||
          !isAsciiLower(v.charCodeAt(p)) ||
          !isAsciiLower(v.charCodeAt(p + 1)) ||
          isWordChar(v.charCodeAt(p - 1))
        )
          continue;
        LOWER_IBAN_RE.lastIndex = p;
        const m = LOWER_IBAN_RE.exec(v);
        if (m === null) continue;
        const k = ibanLength(ctx, v, m[0], p);
        if (k < 0) continue;
        pushMatch(out, ctx, 'iban', this.id, p, p + k, 85);
        from = p + k;
        p = from - 1;
      }
    }
  },
};
