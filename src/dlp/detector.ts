import type { ScanContext } from './context.js';
import {
  type KeywordList,
  KW_ABA,
  KW_BANK_ACCOUNT,
  KW_CARD,
  KW_FAKE,
  KW_NOT_PHONE,
  KW_PASSPORT,
  KW_PHONE,
  KW_REAL,
  KW_SSN,
} from './keywords.js';
import type { RawMatch } from './types.js';

/**
 * A detector finds candidates of one family in one segment and pushes validated matches to `out`.
 * Detectors gate themselves on a cheap literal test (indexOf) before running any regex, and run only
 * anchored or literal-prefixed regexes, so a message without triggers costs a few indexOf calls.
 */
export interface Detector {
  /** Stable id (built-in: family name; custom: the rule id). */
  readonly id: string;
  /** Types this detector can emit. */
  readonly types: readonly string[];
  scan(ctx: ScanContext, out: RawMatch[]): void;
}

/** Extra, engine-internal ranking hint used to settle overlaps between ambiguous numeric types. */
export interface RankedMatch extends RawMatch {
  /** Distance (characters) to the corroborating keyword; smaller wins between same-span ambiguous types. */
  evidenceDistance?: number;
}

export function pushMatch(
  out: RawMatch[],
  ctx: ScanContext,
  type: string,
  detectorId: string,
  start: number,
  end: number,
  confidence: number,
  evidenceDistance?: number,
): void {
  const m: RankedMatch = { type, detectorId, start, end, value: ctx.text.slice(start, end), confidence };
  if (evidenceDistance !== undefined) m.evidenceDistance = evidenceDistance;
  out.push(m);
}

/**
 * An identifier label (ID, PO, order, invoice, ticket, case…; KW_NOT_PHONE) right before a number, nearer than the
 * type's own keyword (`keywordDistance`): the number is that identifier.
 */
export function namedByIdLabel(
  ctx: ScanContext,
  start: number,
  end: number,
  keywordDistance: number,
): boolean {
  const label = ctx.keywordDistance(KW_NOT_PHONE, start, end, 6, 0);
  return label >= 0 && label < keywordDistance;
}

/**
 * Where the name of a value ends: `start` moved back over what joins a configuration name to its value (quotes,
 * spaces, tabs, `:` and `=`, at most 6 characters), as in `"contentVersion": "1.0.0.0"` or `senderId=3608…`.
 */
export function nameEndBefore(v: string, start: number): number {
  let k = start;
  while (k > 0 && start - k < 6) {
    const c = v.charCodeAt(k - 1);
    if (c === 34 || c === 39 || c === 32 || c === 9 || c === 58 || c === 61) k--;
    else break;
  }
  return k;
}

/** How many rows above a table cell its header row is looked for. */
const COLUMN_HEADER_MAX_ROWS = 50;
/** A line longer than this is no table row (and its cells are not counted for every candidate on it). */
const TABLE_ROW_MAX_LENGTH = 4096;

const TAB = 9;
const PIPE = 124;
const COMMA = 44;
const SEMICOLON = 59;

/** The cell separator of a table row: tab (decoded Teams tables), `|` (psql, Markdown), `,` (CSV), or 0. */
/** `,`, `;` or `|`: the separators of CSV and Markdown table cells (a value next to one may fill a cell). */
export function cellSeparator(c: number): boolean {
  return c === COMMA || c === SEMICOLON || c === PIPE;
}

function rowSeparator(v: string, from: number, to: number): number {
  let pipe = false;
  let semicolon = false;
  let comma = false;
  for (let k = from; k < to; k++) {
    const c = v.charCodeAt(k);
    if (c === TAB) return TAB;
    if (c === PIPE) pipe = true;
    else if (c === SEMICOLON) semicolon = true;
    else if (c === COMMA) comma = true;
  }
  // A `;` CSV (as German and French Excel write it) keeps its decimal commas inside the cells.
  return pipe ? PIPE : semicolon ? SEMICOLON : comma ? COMMA : 0;
}

function countChar(v: string, code: number, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (v.charCodeAt(k) === code) n++;
  return n;
}

/** A Markdown or psql rule row (`|---|:--|`, `-----+-----`): only dashes, `+`, `|`, `:` and spaces. */
function isRuleRow(v: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = v.charCodeAt(k);
    if (c !== 45 && c !== 43 && c !== PIPE && c !== 58 && c !== 32) return false;
  }
  return true;
}

/**
 * The header cell over the table cell at `at`. Decoded Teams tables end every cell with a tab and every row with a
 * newline (§9.1); pasted query results and exports separate cells with `|` (psql, Markdown) or `,` (CSV). The header
 * is the topmost of the rows right above that belong to the same table (for tabs: rows with a tab; for `|` and `,`:
 * rows with as many separators, rule rows skipped), and the cell's column index picks its cell. A CSV header names
 * columns, so it holds no digit (a line of prose with as many commas is no header). Returns the header text's
 * [start, end), or undefined when `at` is not in a table cell or no row stands above it.
 */
export function columnHeaderSpan(ctx: ScanContext, at: number): [number, number] | undefined {
  const v = ctx.view;
  const lineStart = ctx.lineStartAt(at);
  const lineEnd = ctx.lineEndAt(at);
  if (lineEnd - lineStart > TABLE_ROW_MAX_LENGTH) return undefined;
  const separator = rowSeparator(v, lineStart, lineEnd);
  if (separator === 0) return paragraphCellHeaderSpan(ctx, v, lineStart, lineEnd);
  // Decoded Teams cells end with their tab, so a tab row's last cell is followed by one.
  if (separator === TAB && countChar(v, TAB, at, lineEnd) === 0) return undefined;
  const header = headerRowStart(ctx, v, lineStart, separator);
  if (header < 0) return undefined;
  const headerEnd = ctx.lineEndAt(header);
  if ((separator === COMMA || separator === SEMICOLON) && /\d/.test(v.slice(header, headerEnd)))
    return undefined;
  const column = countChar(v, separator, lineStart, at);
  let cs = header;
  for (let c = 0; c < column; c++) {
    const next = v.indexOf(String.fromCharCode(separator), cs);
    if (next < 0 || next >= headerEnd) return undefined;
    cs = next + 1;
  }
  let ce = v.indexOf(String.fromCharCode(separator), cs);
  if (ce < 0 || ce > headerEnd) {
    if (separator === TAB) return undefined; // a tab cell ends with its tab
    ce = headerEnd;
  }
  return trimmedCell(v, cs, ce);
}

/**
 * Cells that hold a paragraph (`<td><p>…</p></td>`, as Office pastes tables into Teams) decode to one line each: the
 * paragraph's text, then `\n\t\n` between the cells of a row (`</p>` `</td>` `<p>`) and `\n\t\n\n\n` between rows
 * (`</p>` `</td>` `</tr>` `<tr>` `<p>`). For a value alone on such a cell line, the header cell of its column in the
 * table's first row (cells of more than one line, or rows of other layouts, end the search: no header).
 */
const CELL_GAP = '\n\t\n';
const ROW_GAP = '\n\t\n\n\n';

function paragraphCellHeaderSpan(
  ctx: ScanContext,
  v: string,
  lineStart: number,
  lineEnd: number,
): [number, number] | undefined {
  if (!v.startsWith('\n\t', lineEnd)) return undefined;
  // The cell's column: how many cells of its row stand before it.
  let column = 0;
  let rowStart = lineStart;
  while (column < COLUMN_HEADER_MAX_ROWS && rowStart >= 3 && v.startsWith(CELL_GAP, rowStart - 3)) {
    if (rowStart >= 5 && v.startsWith(ROW_GAP, rowStart - 5)) break;
    rowStart = ctx.lineStartAt(rowStart - 3); // the line that the gap's first newline ends
    column++;
  }
  // The table's first row: rows above, each ending with ROW_GAP right before the next one's first cell.
  let headerStart = -1;
  for (
    let row = 0, k = rowStart;
    row < COLUMN_HEADER_MAX_ROWS && k >= 5 && v.startsWith(ROW_GAP, k - 5);
    row++
  ) {
    k = ctx.lineStartAt(k - 5);
    while (k >= 3 && v.startsWith(CELL_GAP, k - 3) && !(k >= 5 && v.startsWith(ROW_GAP, k - 5)))
      k = ctx.lineStartAt(k - 3);
    headerStart = k;
  }
  if (headerStart < 0) return undefined;
  // A header row names columns, so it holds no digit; a first row with values ("Document | US passport | 346079119")
  // is a row of a key-value table, whose labels stand in its first column instead.
  if (/\d/.test(v.slice(headerStart, rowEndAfter(ctx, v, headerStart)))) return undefined;
  let cs = headerStart;
  for (let c = 0; c < column; c++) {
    const ce = ctx.lineEndAt(cs);
    if (!v.startsWith(CELL_GAP, ce) || v.startsWith(ROW_GAP, ce)) return undefined;
    cs = ce + 3;
  }
  const ce = ctx.lineEndAt(cs);
  if (!v.startsWith('\n\t', ce)) return undefined;
  return trimmedCell(v, cs, ce);
}

/** End of the paragraph-cell row whose first cell line starts at `rowStart` (see paragraphCellHeaderSpan). */
function rowEndAfter(ctx: ScanContext, v: string, rowStart: number): number {
  let end = ctx.lineEndAt(rowStart);
  for (
    let c = 0;
    c < COLUMN_HEADER_MAX_ROWS && v.startsWith(CELL_GAP, end) && !v.startsWith(ROW_GAP, end);
    c++
  )
    end = ctx.lineEndAt(end + 3);
  return end;
}

function isCellPadding(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 34 || c === 39;
}

/** The cell text v[cs, ce) without spaces and quotes around it, or undefined when nothing is left. */
function trimmedCell(v: string, cs: number, ce: number): [number, number] | undefined {
  while (cs < ce && isCellPadding(v.charCodeAt(cs))) cs++;
  while (ce > cs && isCellPadding(v.charCodeAt(ce - 1))) ce--;
  return cs < ce ? [cs, ce] : undefined;
}

/** Start of the header row of the table row starting at `lineStart`, or -1; computed once per row and segment. */
function headerRowStart(ctx: ScanContext, v: string, lineStart: number, separator: number): number {
  const cached = ctx.tableHeaderRows.get(lineStart);
  if (cached !== undefined) return cached;
  const separators = separator === TAB ? 0 : countChar(v, separator, lineStart, ctx.lineEndAt(lineStart));
  let header = -1;
  let rowEnd = lineStart - 1; // the newline that ends the row above
  for (let row = 0; row < COLUMN_HEADER_MAX_ROWS && rowEnd > 0; row++) {
    const rowStart = ctx.lineStartAt(rowEnd);
    if (rowStart < rowEnd) {
      if (rowEnd - rowStart > TABLE_ROW_MAX_LENGTH) break;
      if (separator === TAB) {
        if (countChar(v, TAB, rowStart, rowEnd) === 0) break; // the text above the table
        header = rowStart;
      } else if (!(separator === PIPE && isRuleRow(v, rowStart, rowEnd))) {
        if (countChar(v, separator, rowStart, rowEnd) !== separators) break;
        header = rowStart;
      }
    }
    rowEnd = rowStart - 1;
  }
  ctx.tableHeaderRows.set(lineStart, header);
  return header;
}

/** A header longer than this is a sentence in the first row, not a column name. */
const COLUMN_HEADER_MAX_LENGTH = 32;

/**
 * What the header of the table column holding `at` names: 1 + the index of the first group of keyword lists with a
 * hit in the header cell (`[[KW_IP], [KW_NOT_IP, …]]`: 1 addresses, 2 versions), or 0 for no header or none named.
 */
export function columnHeaderKind(
  ctx: ScanContext,
  at: number,
  groups: ReadonlyArray<ReadonlyArray<KeywordList>>,
): number {
  const header = columnHeaderSpan(ctx, at);
  if (header === undefined) return 0;
  const [hs, he] = header;
  if (he - hs > COLUMN_HEADER_MAX_LENGTH) return 0;
  // The group whose keyword ends last names the column, as the head noun of an English header comes last ("Call ID" is
  // an id, "Customer phone" a phone); on a tie the earlier group wins ("Caller ID" is a phone word of its own).
  let kind = 0;
  let kindEnd = -1;
  for (let g = 0; g < groups.length; g++) {
    for (const list of groups[g] as ReadonlyArray<KeywordList>) {
      const hitEnd = lastHitEndIn(ctx, list, hs, he);
      if (hitEnd > kindEnd) {
        kind = g + 1;
        kindEnd = hitEnd;
      }
    }
  }
  return kind;
}

/** End of the last hit of `list` inside [from, to), or -1 (the lookup's binary search skips the hits before it). */
function lastHitEndIn(ctx: ScanContext, list: KeywordList, from: number, to: number): number {
  let last = -1;
  ctx.keywordDistanceWhere(list, from, from, 0, to - from, (_hit, hitStart, hitEnd) => {
    if (hitStart >= from && hitEnd <= to && hitEnd > last) last = hitEnd;
    return false;
  });
  return last;
}

/** A table cell outside a column named after a numeric type (or not in a table). */
export const COLUMN_NONE = 0;
/** A cell in a column whose header names the detector's own type ("SSN", "Routing number", "Checking account"). */
export const COLUMN_OWN = 1;
/** A cell in a column whose header names another numeric type. */
export const COLUMN_OTHER = 2;

/** Keyword lists of the numeric types a table column may be named after. */
const NUMERIC_TYPE_LISTS: readonly KeywordList[] = [
  KW_SSN,
  KW_ABA,
  KW_BANK_ACCOUNT,
  KW_PASSPORT,
  KW_PHONE,
  KW_CARD,
];

const NUMERIC_TYPE_LISTS_AND_IDS: readonly KeywordList[] = [...NUMERIC_TYPE_LISTS, KW_NOT_PHONE];

/** The header cell typeColumn last read (COLUMN_OWN and COLUMN_OTHER only); reused, no allocation per cell. */
export const TYPE_COLUMN_HEADER = { start: 0, end: 0 };

/**
 * For a keyword-required numeric type (`own` its keyword list) and the candidate [start, end): whether its cell sits in
 * a table column named after that type (COLUMN_OWN), after another numeric type while its row does not name this one
 * (COLUMN_OTHER: a key-value row "SSN | 536-22-8142" under a "Phone" header still names it), or neither. A header names
 * every cell below it, however many rows down, where the ±300-character keyword window of the type would lose the
 * lower rows of a long table, or find the neighbouring column's header nearer ("UK passport" next to "Routing
 * number"). `accept` filters the own hits.
 */
export function typeColumn(
  ctx: ScanContext,
  start: number,
  end: number,
  own: KeywordList,
  accept?: (hit: string, hitStart: number, hitEnd: number) => boolean,
): number {
  if (!ctx.hasTableSeparator) return COLUMN_NONE;
  const header = columnHeaderSpan(ctx, start);
  if (header === undefined) return COLUMN_NONE;
  const [hs, he] = header;
  if (he - hs > COLUMN_HEADER_MAX_LENGTH) return COLUMN_NONE;
  TYPE_COLUMN_HEADER.start = hs;
  TYPE_COLUMN_HEADER.end = he;
  if (ctx.keywordDistanceWhere(own, hs, hs, 0, he - hs, accept) >= 0) return COLUMN_OWN;
  // A column of another numeric type, or of identifiers ("emp_id", "Personalnr." next to an "SSN" column).
  for (const list of NUMERIC_TYPE_LISTS_AND_IDS)
    if (list !== own && ctx.keywordDistance(list, hs, hs, 0, he - hs) >= 0)
      return keywordOnLine(ctx, own, start, end) ? COLUMN_NONE : COLUMN_OTHER;
  return COLUMN_NONE;
}

/** Whether a keyword of `list` stands on the line (table row) of [start, end). */
function keywordOnLine(ctx: ScanContext, list: KeywordList, start: number, end: number): boolean {
  return ctx.keywordDistance(list, start, end, start - ctx.lineStartAt(start), ctx.lineEndAt(end) - end) >= 0;
}

/**
 * Digits at v[start, end) that are keyed in once a call connects, not dialled or written as a number of their own: after
 * a dial pause (`+16465588656,,83172551189#`) or ended by the pound key (`Phone conference ID: 352669309#`, a PIN).
 */
export function keyedInAfterCall(v: string, start: number, end: number): boolean {
  return (
    v.charCodeAt(end) === 35 /* # */ || (v.charCodeAt(start - 1) === 44 && v.charCodeAt(start - 2) === 44)
  );
}

/**
 * Distance to the nearest label of `list` within `window` characters before [start, end) on the same line, or -1: a
 * label on the line above names something else ("Case reference: …\n+49 …"). `accept` filters the labels (by the hit's
 * text and span), as for ScanContext.keywordDistanceWhere.
 */
export function labelBeforeOnLine(
  ctx: ScanContext,
  list: KeywordList,
  start: number,
  end: number,
  window: number,
  accept?: (hit: string, hitStart: number, hitEnd: number) => boolean,
): number {
  const d = ctx.keywordDistanceWhere(list, start, end, window, 0, accept);
  return d >= 0 && start - d >= ctx.lineStartAt(start) ? d : -1;
}

/** How far before and after a value a fake/demo word (KW_FAKE) marks it. */
const FAKE_WORD_BEFORE = 60;
const FAKE_WORD_AFTER = 20;

/**
 * A fake/demo word (dummy, placeholder, made-up…) within 60 characters before the value or 20 after it (§9.4
 * mock-ups), unless a word for "real" stands between a fake word and the value after it: "ignore the dummy IBAN
 * DE00…; the supplier's real account is DE44…" contrasts the two.
 */
export function markedFake(ctx: ScanContext, start: number, end: number): boolean {
  return (
    ctx.keywordDistanceWhere(
      KW_FAKE,
      start,
      end,
      FAKE_WORD_BEFORE,
      FAKE_WORD_AFTER,
      (_hit, hitStart, hitEnd) =>
        !lureNamed(ctx.lower, hitStart, hitEnd) &&
        (hitEnd > start
          ? // A word after the value marks it only in its sentence and on its line ("6243…. Both need to be
            // redacted" does not, nor does "test number:" on the line after "client secret: …"), and not when it
            // labels a number of its own ("JCB 3586 …; Stripe test card 4111 1111 1111 1111 was what QA used").
            !sentenceEndBetween(ctx.view, end, hitStart) &&
            !newlineBetween(ctx.view, end, hitStart) &&
            !digitsFollow(ctx.view, hitEnd)
          : !(realWordBetween(ctx, hitEnd, start) || valueClauseBetween(ctx.view, hitEnd, start))),
    ) >= 0
  );
}

/** A number right after a word ending at `at` (after at most three spaces, `:` or `#`): the word labels it. */
function digitsFollow(v: string, at: number): boolean {
  let k = at;
  while (k < at + 3 && (v.charCodeAt(k) === 32 || v.charCodeAt(k) === 58 || v.charCodeAt(k) === 35)) k++;
  const c = v.charCodeAt(k);
  return k > at && c >= 48 && c <= 57;
}

/**
 * What a phishing report calls fake: the lure (page, site, call, invoice, refund…), not the values the victim typed
 * into it ("paid on a fake Royal Mail page with the corporate card: 4618 …", "la web falsa", "un cambio de cuenta
 * falso"): nouns of a lure within three words after the fake word, or three before it (French and Spanish put the
 * adjective after the noun).
 */
const LURE_NOUNS = new Set(
  (
    'page site website web webseite seite login email mail message sms link lien enlace portal portail form formulaire ' +
    'formulario call appel llamada anruf caller conseiller advisor berater asesor bank banque banco refund ' +
    'remboursement reembolso invoice facture factura rechnung request demande solicitud domain domaine dominio shop ' +
    'store boutique tienda app support notification change changement cambio änderung parcel colis paquete paket ' +
    'delivery livraison entrega lieferung renewal renouvellement renovación verlängerung seller vendeur vendedor ' +
    'verkäufer página pagina sitio ' +
    // Impersonated people ("Víctima del falso técnico de soporte: …, móvil +34 …"): the victim's values are real.
    'technician technicien techniker técnico tecnico soporte agent agente police policía policia polizei policier'
  ).split(' '),
);
const LURE_WINDOW = 40;
const WORD_SPLIT_RE = /[^a-z\u00c0-\u024f]+/;

function lureNamed(lower: string, hitStart: number, hitEnd: number): boolean {
  const after = lower
    .slice(hitEnd, hitEnd + LURE_WINDOW)
    .split(WORD_SPLIT_RE)
    .filter((w) => w !== '');
  for (let i = 0; i < after.length && i < 3; i++) if (LURE_NOUNS.has(after[i] as string)) return true;
  const before = lower
    .slice(Math.max(0, hitStart - LURE_WINDOW), hitStart)
    .split(WORD_SPLIT_RE)
    .filter((w) => w !== '');
  for (let i = before.length - 1; i >= 0 && i >= before.length - 3; i--)
    if (LURE_NOUNS.has(before[i] as string)) return true;
  return false;
}

/**
 * A clause that holds a value of its own between a fake word and the value after it: digits, then `;`, a sentence
 * end, or a contrasting conjunction after a comma ("ignore the dummy IBAN DE00 1234; the supplier's account is
 * DE44…", "staging with the test card 4242 4242 4242 4242 works, but on prod my corporate card 4435 …"). The fake
 * word named that value. Other commas do not count: "made-up SSNs: 536-22-8142, 219-45-6788" lists fakes.
 */
function valueClauseBetween(v: string, from: number, to: number): boolean {
  let digit = false;
  for (let k = from; k < to; k++) {
    const c = v.charCodeAt(k);
    if (c >= 48 && c <= 57) digit = true;
    else if (digit && (c === 59 || ((c === 46 || c === 33 || c === 63) && v.charCodeAt(k + 1) === 32)))
      return true;
    else if (digit && c === 44) {
      CONTRAST_AFTER_COMMA_RE.lastIndex = k + 1;
      if (CONTRAST_AFTER_COMMA_RE.test(v)) return true;
    }
  }
  return false;
}
const CONTRAST_AFTER_COMMA_RE =
  / (?:but|aber|mais|pero|however|whereas|while|während|alors que|mientras que)(?![a-z])/iy;

/** A sentence end (`.`, `!`, `?` before whitespace) in v[from, to). */
function sentenceEndBetween(v: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = v.charCodeAt(k);
    if ((c === 46 || c === 33 || c === 63) && (v.charCodeAt(k + 1) === 32 || v.charCodeAt(k + 1) === 10))
      return true;
  }
  return false;
}

/** A newline in v[from, to). */
function newlineBetween(v: string, from: number, to: number): boolean {
  const newline = v.indexOf('\n', from);
  return newline >= 0 && newline < to;
}

/** A KW_REAL word inside [from, to) (not one that ends at `from`: "not a real" holds its own "real"). */
function realWordBetween(ctx: ScanContext, from: number, to: number): boolean {
  return (
    ctx.keywordDistanceWhere(KW_REAL, from, from, 0, to - from, (_hit, hitStart) => hitStart >= from) >= 0
  );
}
