import type { KeywordList } from './keywords.js';

const SPACE_LIKE =
  /[\u00a0\u2000-\u200a\u202f\u205f\u3000\u2010-\u2015\u2212\ufe58\ufe63\uff0d\uff10-\uff19\u0660-\u0669\u06f0-\u06f9]/;
const SPACE_LIKE_G = new RegExp(SPACE_LIKE.source, 'g');

function normaliseChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 0x00a0 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000)
    return ' ';
  if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe58 || c === 0xfe63 || c === 0xff0d)
    return '-';
  if (c >= 0xff10 && c <= 0xff19) return String.fromCharCode(48 + c - 0xff10);
  if (c >= 0x0660 && c <= 0x0669) return String.fromCharCode(48 + c - 0x0660);
  if (c >= 0x06f0 && c <= 0x06f9) return String.fromCharCode(48 + c - 0x06f0);
  return ch;
}

/**
 * Per-segment scan state shared by all detectors: the original text (values and offsets refer to it), an
 * equal-length *match view* (NBSP/thin spaces → space, Unicode dashes → `-`, full-width and Arabic-Indic
 * digits → ASCII), an equal-length lower-cased view, and lazily computed keyword hit lists.
 */
export class ScanContext {
  readonly text: string;
  readonly view: string;
  private lowerCache: string | undefined;
  private readonly keywordHits = new Map<string, Int32Array>();

  constructor(text: string) {
    this.text = text;
    this.view = SPACE_LIKE.test(text) ? text.replace(SPACE_LIKE_G, normaliseChar) : text;
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

  /** Sorted [start, end, start, end, ...] of a keyword list's hits in this segment. */
  hits(list: KeywordList): Int32Array {
    let h = this.keywordHits.get(list.id);
    if (h === undefined) {
      const found: number[] = [];
      const re = list.regex;
      re.lastIndex = 0;
      const lower = this.lower;
      for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
        found.push(m.index, m.index + m[0].length);
        if (m[0].length === 0) re.lastIndex++;
      }
      h = Int32Array.from(found);
      this.keywordHits.set(list.id, h);
    }
    return h;
  }

  /** Distance in characters from [start, end) to the nearest hit of `list` within `before`/`after`, or -1. */
  keywordDistance(list: KeywordList, start: number, end: number, before = 300, after = before): number {
    const h = this.hits(list);
    let best = -1;
    // Hits are sorted by start; a linear walk is fine (lists are short) but stop early.
    for (let i = 0; i < h.length; i += 2) {
      const hs = h[i] as number;
      const he = h[i + 1] as number;
      if (hs > end + after) break;
      let d: number;
      if (he <= start) d = start - he;
      else if (hs >= end) d = hs - end;
      else continue; // keyword inside the candidate itself does not corroborate it
      if (he <= start ? d <= before : d <= after) {
        if (best < 0 || d < best) best = d;
      }
    }
    return best;
  }

  hasKeyword(list: KeywordList, start: number, end: number, before = 300, after = before): boolean {
    return this.keywordDistance(list, start, end, before, after) >= 0;
  }
}
