import {
  FIRST_WORD_SLOTS,
  type FirstWordEntry,
  firstWordSlotUsed,
  isKeywordWordChar,
  KEYWORD_LIMITS,
  type KeywordList,
  LITERAL_LISTS,
  matchRest,
  NEGATABLE,
  negatedBefore,
  REGISTRY,
} from './keywords.js';

const EMPTY: readonly number[] = [];

const LETTER = 1;
const DIGIT = 2;
/** Keyword word characters of the lower-cased view (a-z, 0-9, U+00C0–U+024F), by kind; 0 = separator. */
const WORD_CHAR_KIND = (() => {
  // One entry per UTF-16 code unit, so the walk needs no range check per character.
  const kinds = new Uint8Array(0x10000);
  for (let c = 97; c <= 122; c++) kinds[c] = LETTER;
  for (let c = 0xc0; c < 0x250; c++) kinds[c] = LETTER;
  for (let c = 48; c <= 57; c++) kinds[c] = DIGIT;
  return kinds;
})();

/**
 * Work counter for keyword proximity lookups (hit comparisons, binary-search steps included). Tests use it
 * to check that lookups scale linearly with input size; it is never reset by the engine.
 */
export const KEYWORD_STATS = { comparisons: 0 };

/**
 * Key words of German, French and Spanish (`key`, `token`, `secret` are the English ones), each with its rarest
 * letter and that letter's offset in the word: the generic detector finds them from that letter (see
 * localKeyAnchors), the triggers below by the whole word.
 */
export const LOCAL_KEY_WORDS: ReadonlyArray<{ word: string; rare: string; at: number }> = [
  { word: 'schlüssel', rare: 'ü', at: 4 },
  { word: 'clé', rare: 'é', at: 2 },
  { word: 'clave', rare: 'v', at: 3 },
  { word: 'jeton', rare: 'j', at: 0 },
];

/** Literal triggers of the built-in detectors (one bit each; see scanTriggers). */
export const T_CONN = 1 << 0;
export const T_SIG = 1 << 1;
export const T_PASS = 1 << 2;
export const T_NAME = 1 << 3; // key, token, secret, bearer
export const T_AWS = 1 << 4; // aws, amazon, secret
export const T_AKIA = 1 << 5;
export const T_EQEQ = 1 << 6;
export const T_QTILDE = 1 << 7;
export const T_GH = 1 << 8;
export const T_NPM = 1 << 9;
export const T_SLACK = 1 << 10;
export const T_AIZA = 1 << 11;
export const T_STRIPE = 1 << 12;
export const T_EYJ = 1 << 13;
export const T_PEM = 1 << 14;
export const T_URI = 1 << 15;
export const T_VENDOR = 1 << 16;
/**
 * Two-stage trigger scan. Symbol-bearing triggers are found case-sensitively (fast); the case-insensitive
 * word triggers (key names, `password=`, `sig=`, `aws`) only run when the text has `=` or `:`, because every
 * detector that needs them also needs an assignment or a key name followed by one.
 */
const WORD_TRIGGER_RE =
  /defaultendpointsprotocol[ \t]{0,2}=|sig[ \t]{0,2}=|passw|pwd|secret|key|token|bearer|aws|amazon/gi;
/**
 * Start of `token` (at p - 2) or `key` (at p) around a `k` at `p` of the lower-cased view, or -1: the
 * key-name words are found from their rarest letter (see wordTriggerBits, keyNameAnchors).
 */
export function keyOrTokenStart(lower: string, p: number): number {
  if (p >= 2 && lower.startsWith('token', p - 2)) return p - 2;
  return lower.startsWith('ey', p + 1) ? p : -1;
}

/** Start of `secret` around a `cr` at `p` of the lower-cased view, or -1. */
export function secretStart(lower: string, p: number): number {
  return p >= 2 && lower.startsWith('secret', p - 2) ? p - 2 : -1;
}

/**
 * Start and length of every `key`, `token`, `secret` and `bearer` in the lower-cased view, in document order: the words
 * a key-like name contains. Found from their rarest letters (`k`, `cr`, `b`) with native searches; a regex for the four
 * words stopped at every k, t, s and b. No two of the words can overlap, so this is exactly the set a left-to-right
 * regex scan would give. The trigger scan and the generic detector share one list per segment (ScanContext).
 */
export function keyNameAnchors(lower: string): number[] {
  const out: number[] = [];
  for (let p = lower.indexOf('k'); p >= 0; p = lower.indexOf('k', p + 1)) {
    const start = keyOrTokenStart(lower, p);
    if (start >= 0) out.push(start, start === p ? 3 : 5);
  }
  let sorted = true;
  const more = (at: number, len: number) => {
    if (out.length > 0 && (out[out.length - 2] as number) > at) sorted = false;
    out.push(at, len);
  };
  for (let p = lower.indexOf('cr'); p >= 0; p = lower.indexOf('cr', p + 2)) {
    const start = secretStart(lower, p);
    if (start >= 0) more(start, 6);
  }
  for (let p = lower.indexOf('bearer'); p >= 0; p = lower.indexOf('bearer', p + 6)) more(p, 6);
  if (sorted) return out;
  const order: number[] = [];
  for (let i = 0; i < out.length; i += 2) order.push(i);
  order.sort((a, b) => (out[a] as number) - (out[b] as number));
  const merged: number[] = [];
  for (const i of order) merged.push(out[i] as number, out[i + 1] as number);
  return merged;
}

/** Whether keyNameAnchors holds an anchor starting with `first` (`s`: secret, `b`: bearer; both are 6 long). */
function hasAnchorStartingWith(lower: string, anchors: readonly number[], first: number): boolean {
  for (let i = 0; i < anchors.length; i += 2)
    if (anchors[i + 1] === 6 && lower.charCodeAt(anchors[i] as number) === first) return true;
  return false;
}

/**
 * Bits WORD_TRIGGER_RE would give over a whole (lower-cased) text, found with native single-character
 * searches for each word's rarest letter (`k` for key/token, `w` for aws/passw/pwd, `z` for amazon...):
 * V8's indexOf scans for a pattern's first character, so `aws`, `secret` or `token` stopped at every `a`,
 * `s` or `t` of the text. Stops looking for a bit once it is known. `anchors`: keyNameAnchors(lower).
 */
export function wordTriggerBits(lower: string, anchors: readonly number[] = keyNameAnchors(lower)): number {
  let bits = 0;
  if (anchors.length > 0) {
    bits |= T_NAME;
    if (hasAnchorStartingWith(lower, anchors, 115 /* s */)) bits |= T_AWS;
  }
  for (let p = lower.indexOf('w'); p >= 0; p = lower.indexOf('w', p + 1)) {
    const before = lower.charCodeAt(p - 1);
    const after = lower.charCodeAt(p + 1);
    if (before === 97 /* a */ && after === 115 /* s */) bits |= T_AWS;
    else if (before === 112 /* p */ && after === 100 /* d */) bits |= T_PASS;
    else if (before === 115 /* s */ && p >= 4 && lower.startsWith('pass', p - 4)) bits |= T_PASS;
    if ((bits & (T_AWS | T_PASS)) === (T_AWS | T_PASS)) break;
  }
  if ((bits & T_AWS) === 0)
    for (let p = lower.indexOf('z'); p >= 0; p = lower.indexOf('z', p + 1))
      if (p >= 3 && lower.startsWith('amazon', p - 3)) {
        bits |= T_AWS;
        break;
      }
  // Key names in other languages (API-Schlüssel, clé API, clave de API, jeton) for the generic prose path.
  if ((bits & T_NAME) === 0 && hasLocalKeyWord(lower)) bits |= T_NAME;
  // `sig=` and `DefaultEndpointsProtocol=` are only of use before an assignment (their detectors require
  // it), so they are looked for behind each `=`, the rarest character of either.
  for (let p = lower.indexOf('='); p >= 0; p = lower.indexOf('=', p + 1)) {
    let k = p;
    if (lower.charCodeAt(k - 1) === 32 || lower.charCodeAt(k - 1) === 9) k--;
    if (lower.charCodeAt(k - 1) === 32 || lower.charCodeAt(k - 1) === 9) k--;
    if (k >= 3 && lower.startsWith('sig', k - 3)) bits |= T_SIG;
    else if (k >= 24 && lower.startsWith('defaultendpointsprotocol', k - 24)) bits |= T_CONN;
    if ((bits & (T_SIG | T_CONN)) === (T_SIG | T_CONN)) break;
  }
  return bits;
}

/**
 * Whether a key word of LOCAL_KEY_WORDS occurs in the lower-cased view, found from its rarest letter: a search for the
 * whole word stops at every `s`, `c` or `j` of the text (four such searches cost secret-dense text about 1 µs).
 */
function hasLocalKeyWord(lower: string): boolean {
  for (const { word, rare, at } of LOCAL_KEY_WORDS)
    for (let p = lower.indexOf(rare, at); p >= 0; p = lower.indexOf(rare, p + 1))
      if (lower.startsWith(word, p - at)) return true;
  return false;
}

/** Bit for a word-trigger match (case-insensitive), by its first characters. */
function wordBit(m: string): number {
  switch (m.charCodeAt(0) | 0x20) {
    case 100 /* d */:
      return T_CONN;
    case 115 /* s */:
      return (m.charCodeAt(1) | 0x20) === 105 /* i */ ? T_SIG : T_NAME | T_AWS;
    case 112 /* p */:
      return T_PASS;
    case 97 /* a */:
      return T_AWS;
    default:
      return T_NAME; // key, token, bearer
  }
}

const SPACE_LIKE_G =
  /[\u00a0\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\u2010-\u2015\u2212\ufe58\ufe63\uff0b\uff0d\uff10-\uff19\u0660-\u0669\u06f0-\u06f9]/g;

/**
 * Digits joined by at most two separator characters (space, `-`, `.`, `/`, parentheses, `+`). Runs glued
 * to two or more word characters (digits inside tokens, hashes, base64) are skipped: no numeric detector
 * accepts them (a passport's single leading letter is still allowed).
 */
const DIGIT_RUN_RE = /(?<![A-Za-z0-9_]{2})\d(?:[ \-./()+]{0,2}\d)*/g;

// Anchored on the digits, which are far rarer than letters in chat: 30 % faster than /[A-Za-z]{2}\d\d/ on prose.
const LETTERS_THEN_DIGITS_RE = /\d\d(?<=[A-Za-z]{2}\d\d)/;

function normaliseChar(ch: string): string {
  const c = ch.charCodeAt(0);
  // Zero-width space, non-joiner, joiner, word joiner and BOM (U+200B-U+200D, U+2060, U+FEFF) become a space too:
  // the view keeps the text's length, so they cannot be skipped, and a space is what they stand for between
  // digit groups (`4604\u200b5241\u200b9072\u200b5847`, pasted from a web page or a PDF).
  if (
    c === 0x00a0 ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x2060 ||
    c === 0x3000 ||
    c === 0xfeff
  )
    return ' ';
  // An em dash or horizontal bar sets a number off from the sentence ("card no.—3550-8081-2275-2813—please"); no one
  // writes a number's groups with it, so it is a space here, not a `-` that would glue the number to the words.
  if (c === 0x2014 || c === 0x2015) return ' ';
  if ((c >= 0x2010 && c <= 0x2013) || c === 0x2212 || c === 0xfe58 || c === 0xfe63 || c === 0xff0d)
    return '-';
  if (c === 0xff0b) return '+'; // full-width plus, before a full-width country code (`＋８１ ３－…`)
  if (c >= 0xff10 && c <= 0xff19) return String.fromCharCode(48 + c - 0xff10);
  if (c >= 0x0660 && c <= 0x0669) return String.fromCharCode(48 + c - 0x0660);
  if (c >= 0x06f0 && c <= 0x06f9) return String.fromCharCode(48 + c - 0x06f0);
  return ch;
}

/**
 * Per-segment scan state shared by all detectors: the original text (values and offsets refer to it), an
 * equal-length *match view* (NBSP/thin and zero-width spaces → space, Unicode dashes → `-`, full-width plus → `+`, full-width and Arabic-Indic
 * digits → ASCII), an equal-length lower-cased view, and lazily computed keyword hit lists.
 */
export class ScanContext {
  readonly text: string;
  readonly view: string;
  /**
   * Digit-run statistics from one pass over the text, used by the numeric detectors as gates so that
   * finding-free prose never runs their regexes. A *joined run* is a sequence of digits where
   * neighbouring digits are separated by at most two separator characters (space, `-`, `.`, `/`, `(`,
   * `)`, `+`, NBSP-like spaces, Unicode dashes).
   */
  readonly maxJoinedDigits: number;
  /** Longest run of consecutive digits. */
  readonly maxConsecutiveDigits: number;
  /** Most `.` characters inside one joined run (≥ 3 makes a dotted quad possible). */
  readonly maxDotsInRun: number;
  /**
   * Most digits inside one joined run with nothing or a single space or `-` between neighbouring digits
   * (`12 34 56`, `123-45-6789`; not dates such as `12.3.2025`): the NINO detector's gate for spaced forms.
   */
  readonly maxSpacedDigits: number;
  private lettersDigitsCache: boolean | undefined;

  /**
   * Whether two ASCII letters are directly followed by two digits somewhere (`DE89…`, `AB123456C`): an IBAN and
   * a compact NINO both start so, and chat prose seldom has it, so one native scan gates both detectors.
   */
  get hasLettersThenDigits(): boolean {
    this.lettersDigitsCache ??= LETTERS_THEN_DIGITS_RE.test(this.view);
    return this.lettersDigitsCache;
  }
  private tabCache: boolean | undefined;

  /**
   * Whether the text has a tab: decoded Teams tables end every cell with one (§9.1). Not folded into the
   * space-like scan above: on one-byte text that class is a single character (U+00A0) and scans at memchr speed,
   * which a tab in it would lose (prose 6-9 % slower, measured).
   */
  get hasTab(): boolean {
    this.tabCache ??= this.text.indexOf('\t') >= 0;
    return this.tabCache;
  }
  private tableSeparatorCache: boolean | undefined;

  /**
   * Whether the text has a tab, `|` or `,`: a cell separator of some table (see columnHeaderSpan). A `;` CSV is read
   * only for a value next to its separator (see cellSeparator): a `;` alone would make every connection string pay.
   */
  get hasTableSeparator(): boolean {
    this.tableSeparatorCache ??= this.hasTab || this.text.indexOf('|') >= 0 || this.text.indexOf(',') >= 0;
    return this.tableSeparatorCache;
  }
  private lowerCache: string | undefined;

  constructor(text: string) {
    this.text = text;
    SPACE_LIKE_G.lastIndex = 0;
    const view = SPACE_LIKE_G.test(text) ? text.replace(SPACE_LIKE_G, normaliseChar) : text;
    this.view = view;
    let maxJoined = 0;
    let maxConsec = 0;
    let maxDots = 0;
    let maxSpaced = 0;
    // Only digit runs are visited (a regex scan for digits is far cheaper than a loop over every char).
    DIGIT_RUN_RE.lastIndex = 0;
    for (let m = DIGIT_RUN_RE.exec(view); m !== null; m = DIGIT_RUN_RE.exec(view)) {
      const run = m[0];
      if (run.length === 1) {
        if (maxJoined < 1) maxJoined = 1;
        if (maxConsec < 1) maxConsec = 1;
        if (maxSpaced < 1) maxSpaced = 1;
        continue;
      }
      let digits = 0;
      let consec = 0;
      let dots = 0;
      let spaced = 0;
      // Separator characters since the last digit; 2 stands for "more than one, or not a space or '-'".
      let gap = 0;
      for (let i = 0; i < run.length; i++) {
        const c = run.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          digits++;
          if (++consec > maxConsec) maxConsec = consec;
          spaced = gap > 1 ? 1 : spaced + 1;
          if (spaced > maxSpaced) maxSpaced = spaced;
          gap = 0;
        } else {
          consec = 0;
          if (c === 46) dots++;
          gap = gap === 0 && (c === 32 || c === 45) ? 1 : 2;
        }
      }
      if (digits > maxJoined) maxJoined = digits;
      if (dots > maxDots) maxDots = dots;
    }
    this.maxJoinedDigits = maxJoined;
    this.maxConsecutiveDigits = maxConsec;
    this.maxDotsInRun = maxDots;
    this.maxSpacedDigits = maxSpaced;
  }

  private triggerBits = -1;
  private keyNameAnchorList: number[] | undefined;

  /** keyNameAnchors of the lower-cased view, computed once per segment (the triggers and the generic detector use it). */
  get keyNameAnchors(): readonly number[] {
    this.keyNameAnchorList ??= keyNameAnchors(this.lower);
    return this.keyNameAnchorList;
  }

  /** Bit set of literal triggers present in the segment (computed once; see T_* constants). */
  get triggers(): number {
    if (this.triggerBits < 0) this.triggerBits = scanTriggers(this.text, this);
    return this.triggerBits;
  }

  /** Lower-cased match view, same length as `text` (characters whose lower case changes length are kept). */
  get lower(): string {
    if (this.lowerCache === undefined) {
      const l = this.view.toLowerCase();
      if (l.length === this.view.length) {
        this.lowerCache = l;
      } else {
        let out = '';
        for (const ch of this.view) {
          const lc = ch.toLowerCase();
          out += lc.length === ch.length ? lc : ch;
        }
        this.lowerCache = out;
      }
    }
    return this.lowerCache;
  }

  private allHits: Array<number[] | undefined> | undefined;
  /** Longest hit per keyword list (bounds the binary search in firstHitIndex). */
  private readonly maxHitLen: number[] = [];

  /**
   * Keyword hits of every registered list, computed in one pass over the words of the lower-cased view
   * on the first lookup (most segments never need it: detectors ask only when they have a candidate).
   */
  private computeHits(): Array<number[] | undefined> {
    const all: Array<number[] | undefined> = new Array(REGISTRY.length);
    const lower = this.lower;
    const n = lower.length;
    const digitStart = KEYWORD_LIMITS.digitStart;
    const maxFirstWord = KEYWORD_LIMITS.maxFirstWord;
    let i = 0;
    while (i < n) {
      let c = lower.charCodeAt(i);
      const kind = WORD_CHAR_KIND[c] as number;
      if (kind === 0) {
        i++;
        continue;
      }
      const wordStart = i;
      if (kind === DIGIT && !digitStart) {
        // Numbers (no keyword starts with a digit) are skipped without hashing.
        do {
          if (++i >= n) break;
          c = lower.charCodeAt(i);
        } while (WORD_CHAR_KIND[c] !== 0);
        continue;
      }
      let h = 0;
      do {
        h = (Math.imul(h, 31) + c) & 0x3fffffff;
        if (++i >= n) break;
        c = lower.charCodeAt(i);
      } while (WORD_CHAR_KIND[c] !== 0);
      // Tokens and base64 runs longer than any keyword's first word cannot start one (limits track every list).
      if (i - wordStart > maxFirstWord) continue;
      const slot = h & 0xffff;
      if (!firstWordSlotUsed(slot)) continue;
      const words = FIRST_WORD_SLOTS[slot];
      if (words === undefined) continue;
      const wordEnd = i;
      let word: FirstWordEntry | undefined;
      for (let k = 0; k < words.length; k++) {
        const w = words[k] as FirstWordEntry;
        if (w.hash === h && w.first.length === wordEnd - wordStart && sameChars(lower, wordStart, w.first)) {
          word = w;
          break;
        }
      }
      if (word === undefined) continue;
      const keywords = word.keywords;
      for (let k = 0; k < keywords.length; k++) {
        const e = keywords[k] as FirstWordEntry['keywords'][number];
        const r0 = e.restFirst;
        // Most remainders fail on their first character (a first word starts several keywords of several lists).
        if (
          r0 >= 0 &&
          lower.charCodeAt(wordEnd) !== r0 &&
          (e.restLead === 0 || lower.charCodeAt(wordEnd + 1) !== r0)
        )
          continue;
        const end = e.rest.length === 0 ? wordEnd : matchRest(lower, wordEnd, e.rest);
        if (end < 0) continue;
        if (NEGATABLE[e.list] === 1 && negatedBefore(lower, wordStart)) continue;
        let hits = all[e.list];
        if (hits === undefined) {
          hits = [];
          all[e.list] = hits;
        }
        // Several keywords of one list may start at the same word: keep the longest.
        if (hits.length >= 2 && hits[hits.length - 2] === wordStart) {
          if (end > (hits[hits.length - 1] as number)) hits[hits.length - 1] = end;
        } else {
          hits.push(wordStart, end);
        }
      }
    }
    for (const list of LITERAL_LISTS) {
      let added: number[] | undefined;
      for (const lit of list.literals) {
        for (let at = lower.indexOf(lit); at >= 0; at = lower.indexOf(lit, at + 1)) {
          if (at > 0 && isKeywordWordChar(lower.charCodeAt(at - 1)) && isKeywordWordChar(lit.charCodeAt(0)))
            continue;
          added ??= [];
          added.push(at, at + lit.length);
        }
      }
      // Merge once, sorted by start (inserting one by one was quadratic on keyword-dense text).
      if (added !== undefined) all[list.index] = sortedPairs([...(all[list.index] ?? []), ...added]);
    }
    return all;
  }

  /**
   * True once the keyword index exists (an earlier detector asked for hits). A detector whose findings all
   * need a keyword of one list can then skip its regex pass when that list has no hit, at no cost; it must
   * not build the index for that purpose alone, which would cost more than its regex on finding-free text.
   */
  get keywordIndexBuilt(): boolean {
    return this.allHits !== undefined;
  }

  /** Sorted [start, end, start, end, ...] of a keyword list's hits in this segment. */
  hits(list: KeywordList): readonly number[] {
    if (this.allHits === undefined) {
      this.allHits = this.computeHits();
      for (let l = 0; l < this.allHits.length; l++) {
        const h = this.allHits[l];
        if (h === undefined) continue;
        let max = 0;
        for (let i = 0; i < h.length; i += 2) max = Math.max(max, (h[i + 1] as number) - (h[i] as number));
        this.maxHitLen[l] = max;
      }
    }
    return this.allHits[list.index] ?? EMPTY;
  }

  /**
   * Index (into the [start, end, ...] pairs) of the first hit that can lie within `before` characters of
   * `start`: hits are sorted by start and no hit of the list is longer than its recorded maximum, so a
   * binary search skips every earlier hit. This keeps a lookup O(log n + hits in the window), so a large
   * message with many candidates and many keywords stays linear overall instead of quadratic.
   */
  private firstHitIndex(list: KeywordList, h: readonly number[], start: number, before: number): number {
    const lowest = start - before - (this.maxHitLen[list.index] ?? 0);
    let lo = 0;
    let hi = h.length >> 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      KEYWORD_STATS.comparisons++;
      if ((h[mid * 2] as number) < lowest) lo = mid + 1;
      else hi = mid;
    }
    return lo * 2;
  }

  /** Distance in characters from [start, end) to the nearest hit of `list` within `before`/`after`, or -1. */
  keywordDistance(list: KeywordList, start: number, end: number, before = 300, after = before): number {
    return this.keywordDistanceWhere(list, start, end, before, after);
  }

  /** Like keywordDistance, skipping hits for which `accept(text of the hit, its start, its end)` is false. */
  keywordDistanceWhere(
    list: KeywordList,
    start: number,
    end: number,
    before: number,
    after: number,
    accept?: (hit: string, hitStart: number, hitEnd: number) => boolean,
  ): number {
    const h = this.hits(list);
    if (h.length === 0) return -1;
    let best = -1;
    for (let i = this.firstHitIndex(list, h, start, before); i < h.length; i += 2) {
      KEYWORD_STATS.comparisons++;
      const hs = h[i] as number;
      const he = h[i + 1] as number;
      if (hs > end + after) break;
      let d: number;
      if (he <= start) d = start - he;
      else if (hs >= end) d = hs - end;
      else continue; // a keyword inside the candidate itself does not corroborate it
      if (
        (he <= start ? d <= before : d <= after) &&
        (best < 0 || d < best) &&
        (accept === undefined || accept(this.text.slice(hs, he), hs, he))
      )
        best = d;
    }
    return best;
  }

  private newlines: number[] | undefined;

  /**
   * Positions of the view's newlines, found once per segment on first use. One search pass into a plain array: a
   * typed array needed a counting pass first, and allocating one costs more than a chat message's few newlines.
   */
  private newlineIndex(): readonly number[] {
    if (this.newlines === undefined) {
      const v = this.view;
      const index: number[] = [];
      for (let p = v.indexOf('\n'); p >= 0; p = v.indexOf('\n', p + 1)) index.push(p);
      this.newlines = index;
    }
    return this.newlines;
  }

  /** Index (into the newline positions) of the first newline at or after `at`. */
  private newlineAtOrAfter(at: number): number {
    const index = this.newlineIndex();
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((index[mid] as number) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Start of the line holding `at`: a binary search over the newlines, so detectors that look at a candidate's line
   * (table rows) stay linear on a long single-line text instead of scanning back to its start for every candidate.
   */
  lineStartAt(at: number): number {
    const k = this.newlineAtOrAfter(at);
    return k === 0 ? 0 : (this.newlineIndex()[k - 1] as number) + 1;
  }

  /** End of the line holding `at` (its newline, or the end of the text). */
  lineEndAt(at: number): number {
    const index = this.newlineIndex();
    const k = this.newlineAtOrAfter(at);
    return k < index.length ? (index[k] as number) : this.view.length;
  }

  private headerRows: Map<number, number> | undefined;

  /** Header row start per table row start (-1: none), filled by the table-header lookups of this segment. */
  get tableHeaderRows(): Map<number, number> {
    this.headerRows ??= new Map();
    return this.headerRows;
  }

  private verdicts: Map<string, boolean> | undefined;

  /**
   * `check(value)`, computed once per segment: the connection-string and account-key detectors validate the
   * same key. Lives as long as the segment's scan, so no secret outlives it.
   */
  verdict(value: string, check: (value: string) => boolean): boolean {
    this.verdicts ??= new Map();
    let v = this.verdicts.get(value);
    if (v === undefined) {
      v = check(value);
      this.verdicts.set(value, v);
    }
    return v;
  }

  hasKeyword(list: KeywordList, start: number, end: number, before = 300, after = before): boolean {
    return this.keywordDistance(list, start, end, before, after) >= 0;
  }
}

/** Whether `word` stands at lower[at…] (an inline loop: the words are short and a builtin call costs more). */
function sameChars(lower: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (lower.charCodeAt(at + k) !== word.charCodeAt(k)) return false;
  return true;
}

function sortedPairs(pairs: number[]): number[] {
  const idx: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) idx.push(i);
  idx.sort((a, b) => (pairs[a] as number) - (pairs[b] as number) || a - b);
  const out: number[] = [];
  for (const i of idx) out.push(pairs[i] as number, pairs[i + 1] as number);
  return out;
}

const LOOSE_NAME_RE = /aws|secret|amazon|bearer/i;
const PASSWORD_FLAG_RE = /-pass(?:word|wd)?\s/iy;

/**
 * `--password`, `-Password`, `-p…` flags followed by a space, found from each `-p`/`-P` (native searches: a
 * case-insensitive regex over the whole text cost prose about 9 %).
 */
function hasPasswordFlag(t: string): boolean {
  for (const dashP of ['-p', '-P']) {
    for (let p = t.indexOf(dashP); p >= 0; p = t.indexOf(dashP, p + 2)) {
      const before = t.charCodeAt(p - 1);
      if (p > 0 && before !== 45 /* - */ && before !== 32 && before !== 9 && before !== 10) continue;
      PASSWORD_FLAG_RE.lastIndex = p;
      if (PASSWORD_FLAG_RE.test(t)) return true;
    }
  }
  return false;
}
/** `xox?-` (a lower-case letter for `?`) or `xapp-`, found from each `x` in one pass instead of two searches and a regex. */
function hasSlackPrefix(t: string): boolean {
  for (let p = t.indexOf('x'); p >= 0; p = t.indexOf('x', p + 1)) {
    const c1 = t.charCodeAt(p + 1);
    if (c1 === 111 /* o */) {
      const c3 = t.charCodeAt(p + 3);
      if (t.charCodeAt(p + 2) === 120 /* x */ && c3 >= 97 && c3 <= 122 && t.charCodeAt(p + 4) === 45)
        return true;
    } else if (c1 === 97 /* a */ && t.startsWith('pp-', p + 2)) return true;
  }
  return false;
}
const PASSWORD_WORD_AT_W_RE = /pass(?:word|wd)/iy;

/**
 * A compound password name (`keyPassword`, `db_password`) followed by spaces and a quote, found from each `w`/`W`
 * (single-character searches) when the text has a quote at all.
 */
function hasQuotedPasswordName(t: string): boolean {
  if (t.indexOf('"') < 0 && t.indexOf("'") < 0) return false;
  for (const w of ['w', 'W']) {
    for (let p = t.indexOf(w); p >= 0; p = t.indexOf(w, p + 1)) {
      // `w` is the fifth letter of password/passwd.
      const at = p - 4;
      if (at < 1 || !isNameCode(t.charCodeAt(at - 1))) continue;
      PASSWORD_WORD_AT_W_RE.lastIndex = at;
      if (!PASSWORD_WORD_AT_W_RE.test(t)) continue;
      let k = PASSWORD_WORD_AT_W_RE.lastIndex;
      if (t.charCodeAt(k) !== 32 && t.charCodeAt(k) !== 9) continue;
      while (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 9) k++;
      if (t.charCodeAt(k) === 34 || t.charCodeAt(k) === 39) return true;
    }
  }
  return false;
}

/** Key words in four languages, as the generic detector's prose path looks for them (see proseKeyValueStart). */
const PROSE_KEY_WORD_RE = new RegExp(
  ['key', 'token', 'secret', ...LOCAL_KEY_WORDS.map((w) => w.word)].join('|'),
  'i',
);
/** How far before a colon the prose path looks for a key word (on the same line). */
export const PROSE_KEY_GAP_MAX = 60;

/**
 * 16 key-value characters (the generic detector's value alphabet) after up to three spaces and one quote; not
 * starting with `/` (`https://…`).
 */
const LONG_VALUE_RE = /[ \t\u00a0]{0,3}["'`]?[A-Za-z0-9_\-.+=~][A-Za-z0-9_\-.+/=~]{15}/y;

function longValueFollows(t: string, from: number): boolean {
  LONG_VALUE_RE.lastIndex = from;
  return LONG_VALUE_RE.test(t);
}

/** A key word within PROSE_KEY_GAP_MAX + 16 characters before `colon`, on the same line. */
function proseKeyWordBefore(t: string, colon: number): boolean {
  let from = Math.max(0, colon - PROSE_KEY_GAP_MAX - 16);
  const newline = t.lastIndexOf('\n', colon);
  if (newline >= from) from = newline + 1;
  return PROSE_KEY_WORD_RE.test(t.slice(from, colon));
}

function isNameCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46
  );
}

/**
 * Literal triggers present in `t`, as T_* bits. Single-character indexOf (memchr speed) decides which
 * multi-character checks are worth running: `_` for `ghp_`/`npm_`/`sk_live_`, `=` for `==` and
 * assignments, `~` for `Q~`, `-` for `xoxb-`/`-----BEGIN`/`sk-`, `:` for `://` and `name:` pairs. The
 * case-insensitive word regex runs only when an assignment (`=`) exists; with only `:` the word right
 * before each colon is checked instead (`api_key:`, `Authorization:`, `aws_secret_access_key:`).
 */
function scanTriggers(
  t: string,
  ctx: { readonly lower: string; readonly hasTab: boolean; readonly keyNameAnchors: readonly number[] },
): number {
  let bits = 0;
  // Literals are found from their rarest character: V8's indexOf crawls through text when a pattern starts
  // with a common letter (`npm_`, `sk-`, `eyJ` cost ~8× a search for `_`, `-` or `J`).
  for (let p = t.indexOf('_'); p >= 0; p = t.indexOf('_', p + 1)) {
    const c1 = t.charCodeAt(p - 1);
    if (
      (t.charCodeAt(p - 3) === 103 /* g */ &&
        t.charCodeAt(p - 2) === 104 /* h */ &&
        (c1 === 112 || c1 === 111 || c1 === 117 || c1 === 115 || c1 === 114)) /* p o u s r */ ||
      t.startsWith('github_pat_', p - 6)
    )
      bits |= T_GH;
    if (t.startsWith('npm', p - 3) || t.startsWith('_authToken', p)) bits |= T_NPM;
    if (t.startsWith('k_live_', p - 1) || t.startsWith('k_test_', p - 1)) bits |= T_STRIPE;
    if (c1 === 102 /* f */ && t.charCodeAt(p - 2) === 104 /* h */) bits |= T_VENDOR; // hf_ (Hugging Face)
  }
  if (t.indexOf('~') >= 0 && t.indexOf('Q~') >= 0) bits |= T_QTILDE;
  const dash = t.indexOf('-');
  if (dash >= 0) {
    if (hasSlackPrefix(t)) bits |= T_SLACK;
    if (t.indexOf('-----BEGIN') >= 0) bits |= T_PEM;
    // `sk-` (OpenAI, Anthropic) and Mailgun's `key-` before 32 hex digits.
    for (let p = dash; p >= 0 && !(bits & T_VENDOR); p = t.indexOf('-', p + 1)) {
      const c1 = t.charCodeAt(p - 1);
      if (c1 === 107 /* k */ && t.charCodeAt(p - 2) === 115 /* s */) bits |= T_VENDOR;
      else if (
        c1 === 121 /* y */ &&
        t.charCodeAt(p - 2) === 101 /* e */ &&
        t.charCodeAt(p - 3) === 107 /* k */
      )
        bits |= T_VENDOR;
    }
  }
  if (t.indexOf('SG.') >= 0) bits |= T_VENDOR;
  // `AIza`, `AKIA`, `ASIA` in one pass over the capital A's (one native search instead of three).
  for (let p = t.indexOf('A'); p >= 0; p = t.indexOf('A', p + 1)) {
    const c1 = t.charCodeAt(p + 1);
    if (c1 === 73 /* I */) {
      if (t.charCodeAt(p + 2) === 122 /* z */ && t.charCodeAt(p + 3) === 97 /* a */) bits |= T_AIZA;
    } else if (c1 === 75 /* K */ || c1 === 83 /* S */) {
      if (t.charCodeAt(p + 2) === 73 /* I */ && t.charCodeAt(p + 3) === 65 /* A */) bits |= T_AKIA;
    } else if (
      c1 === 105 /* i */ &&
      t.charCodeAt(p - 1) === 121 /* y */ &&
      t.charCodeAt(p - 2) === 101 /* e */
    ) {
      bits |= T_EYJ; // `eyAi`: a JWT header written `{ "alg": …`
    }
    if ((bits & (T_AIZA | T_AKIA | T_EYJ)) === (T_AIZA | T_AKIA | T_EYJ)) break;
  }
  for (let p = t.indexOf('J'); p >= 0; p = t.indexOf('J', p + 1)) {
    if (t.charCodeAt(p - 1) === 121 /* y */ && t.charCodeAt(p - 2) === 101 /* e */) {
      bits |= T_EYJ;
      break;
    }
  }
  const hasEquals = t.indexOf('=') >= 0;
  if (hasEquals && t.indexOf('==') >= 0) bits |= T_EQEQ;
  const colon = t.indexOf(':');
  if (colon >= 0 && t.indexOf('://') >= 0) bits |= T_URI;
  if (hasEquals || bits & T_AKIA) {
    // The lower-cased view has the same length and is needed by the keyword walk anyway on such text.
    const lower = ctx.lower;
    const anchors = ctx.keyNameAnchors;
    bits |= wordTriggerBits(lower, anchors);
    // What LOOSE_NAME_RE below would add, from what the substring searches already know: T_AWS means aws,
    // amazon or secret is present; T_NAME without T_AWS leaves only `bearer` to look for; neither bit means
    // none of the four words is present.
    if (bits & T_AWS) bits |= T_NAME;
    else if (bits & T_NAME && hasAnchorStartingWith(lower, anchors, 98 /* b */)) bits |= T_AWS;
    return bits;
  }
  if (colon >= 0) {
    for (let p = colon; p >= 0; p = t.indexOf(':', p + 1)) {
      // "API key for the weather widget: …", "clé API … la nouvelle : …": a key word earlier on the line and a
      // long value after the colon (the generic detector's prose path decides).
      if ((bits & T_NAME) === 0 && longValueFollows(t, p + 1) && proseKeyWordBefore(t, p)) bits |= T_NAME;
      let e = p;
      while (
        e > 0 &&
        (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 34 || t.charCodeAt(e - 1) === 39)
      )
        e--;
      let s = e;
      while (s > 0 && e - s < 48 && isNameCode(t.charCodeAt(s - 1))) s--;
      if (e - s < 3) continue;
      WORD_TRIGGER_RE.lastIndex = 0;
      let name = t.slice(s, e);
      // A Kubernetes env entry's `value:` takes its name from the line above (`- name: DD_API_KEY`).
      if (e - s === 5 && /^value$/i.test(name)) name = envNameAbove(t, s);
      for (let m = WORD_TRIGGER_RE.exec(name); m !== null; m = WORD_TRIGGER_RE.exec(name))
        bits |= wordBit(m[0]);
      if (/authorization/i.test(name)) bits |= T_NAME;
    }
    // "AWS secret access key: …": the AWS-secret detector needs its gate too (it checks its own keywords).
    if (bits & T_NAME) bits |= T_AWS;
  }
  // A table (decoded cells end with a tab) may head a column with a key name ("API key"): the generic detector reads
  // the cells below it. Tables are rare in chat, so the key-word test runs only when a tab is present.
  if ((bits & T_NAME) === 0 && ctx.hasTab && PROSE_KEY_WORD_RE.test(t)) bits |= T_NAME;
  // Prose such as "the AWS secret key is …" or "use Bearer …" has neither '=' nor ':' (one regex test).
  if ((bits & (T_AWS | T_NAME)) !== (T_AWS | T_NAME) && LOOSE_NAME_RE.test(t)) bits |= T_AWS | T_NAME;
  // A command-line flag (`--password '…'`, PowerShell `-Password …`) has neither '=' nor ':' after the name, nor
  // has Gradle's `keyPassword 'Vn3b…'`.
  if (!(bits & T_PASS) && (hasPasswordFlag(t) || hasQuotedPasswordName(t))) bits |= T_PASS;
  return bits;
}

/** The variable a Kubernetes env entry names on the line above a `value:` at `valueStart` (`- name: X`), or ''. */
function envNameAbove(t: string, valueStart: number): string {
  const lineStart = t.lastIndexOf('\n', valueStart - 1);
  if (lineStart <= 0 || t.slice(lineStart + 1, valueStart).trim() !== '') return '';
  const above = t.slice(t.lastIndexOf('\n', lineStart - 1) + 1, lineStart);
  const m = /^[ \t]*-?[ \t]*name:[ \t]*["']?([A-Za-z0-9_.-]{3,48})["']?[ \t]*$/.exec(above);
  return m ? (m[1] as string) : '';
}
