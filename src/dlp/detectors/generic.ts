import { type Detector, pushMatch } from '../detector.js';
import { KW_FAKE } from '../keywords.js';
import { isPlaceholder, shannonEntropy } from '../validators.js';

/** `Password=…` / `Pwd=…` in connection strings and `?password=` query parameters: the value only. */
const PASSWORD_KV_RE = /(?<![A-Za-z0-9_])(?:password|pwd|passwd)[ \t]{0,2}=[ \t]{0,2}/gi;
/** `scheme://user:PASS@host`: the password only. */
const URI_USERINFO_RE =
  /[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/@?#"'<>]{1,128}:([^\s@/?#"'<>]{1,256})@(?=[A-Za-z0-9[])/g;

function kvValueEnd(t: string, from: number, quote: number): number {
  let e = from;
  while (e < t.length && e - from < 256) {
    const c = t.charCodeAt(e);
    if (
      quote
        ? c === quote
        : c === 59 /* ; */ ||
          c === 38 /* & */ ||
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

export const passwordInConnectionStringDetector: Detector = {
  id: 'password_in_connection_string',
  types: ['password_in_connection_string'],
  scan(ctx, out) {
    const lower = ctx.lower;
    const t = ctx.text;
    if (lower.indexOf('pwd') >= 0 || lower.indexOf('passw') >= 0) {
      PASSWORD_KV_RE.lastIndex = 0;
      for (let m = PASSWORD_KV_RE.exec(t); m !== null; m = PASSWORD_KV_RE.exec(t)) {
        let s = m.index + m[0].length;
        let quote = 0;
        const q = t.charCodeAt(s);
        if (q === 34 || q === 39) {
          quote = q;
          s++;
        } else if (q === 123 /* { */) {
          // ODBC-style {braced} value
          const close = t.indexOf('}', s);
          if (close > s && close - s < 256) {
            const val = t.slice(s + 1, close);
            if (!isPlaceholder(val) && val.length >= 3)
              pushMatch(out, ctx, 'password_in_connection_string', this.id, s + 1, close, 85);
          }
          continue;
        }
        const e = kvValueEnd(t, s, quote);
        if (quote && t.charCodeAt(e) !== quote) continue;
        const val = t.slice(s, e);
        if (val.length < 3 || isPlaceholder(val)) continue;
        if (/^[$%@{[]/.test(val)) continue; // variable references
        if (ctx.hasKeyword(KW_FAKE, s, e, 60, 20)) continue;
        pushMatch(out, ctx, 'password_in_connection_string', this.id, s, e, 85);
      }
    }
    if (t.indexOf('://') >= 0) {
      URI_USERINFO_RE.lastIndex = 0;
      for (let m = URI_USERINFO_RE.exec(t); m !== null; m = URI_USERINFO_RE.exec(t)) {
        const pw = m[1] as string;
        if (pw.length < 3 || isPlaceholder(pw) || /^[$%{]/.test(pw)) continue;
        const start = m.index + m[0].length - 1 - pw.length;
        pushMatch(out, ctx, 'password_in_connection_string', this.id, start, start + pw.length, 85);
      }
    }
  },
};

/**
 * Values assigned to key-like names (`api_key = …`, `"x-api-key": "…"`, `Authorization: Bearer …`), with
 * length ≥ 16 and entropy ≥ 3.5, plus vendor keys without their own type (OpenAI, Anthropic, SendGrid).
 */
const NAME_RE =
  /(?<![a-z0-9])(?:x-api-key|api[_\-. ]?key|apikey|api[_-]?secret|api[_-]?token|access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|app[_-]?secret|app[_-]?key|secret[_-]?key|private[_-]?token|subscription[_-]?key|ocp-apim-subscription-key|bearer|token|secret|[a-z0-9]+(?:_api_key|_apikey|_token|_secret|_key))["']?[ \t]{0,3}(?:=>|:=|=|:|\s)[ \t]{0,3}(?:bearer[ \t]+)?["']?/g;
const NAME_GATE = /key|token|secret|bearer/;
const VALUE_RE = /[A-Za-z0-9_\-.+/=~]{16,200}/y;
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VENDOR_RE =
  /(?<![A-Za-z0-9_-])(?:sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,120}AA|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g;

export const genericApiKeyDetector: Detector = {
  id: 'generic_api_key',
  types: ['generic_api_key'],
  scan(ctx, out) {
    const t = ctx.text;
    if (t.indexOf('sk-') >= 0 || t.indexOf('SG.') >= 0) {
      VENDOR_RE.lastIndex = 0;
      for (let m = VENDOR_RE.exec(t); m !== null; m = VENDOR_RE.exec(t)) {
        if (isPlaceholder(m[0]) || shannonEntropy(m[0]) < 3.5) continue;
        pushMatch(out, ctx, 'generic_api_key', this.id, m.index, m.index + m[0].length, 85);
      }
    }
    const lower = ctx.lower;
    if (!NAME_GATE.test(lower)) return;
    NAME_RE.lastIndex = 0;
    for (let m = NAME_RE.exec(lower); m !== null; m = NAME_RE.exec(lower)) {
      const s = m.index + m[0].length;
      VALUE_RE.lastIndex = s;
      const vm = VALUE_RE.exec(t);
      if (!vm) continue;
      let val = vm[0];
      // A value directly followed by more non-space text is part of a longer word (e.g. a URL): skip.
      const next = t.charCodeAt(s + val.length);
      if (next === 64 /* @ */ || next === 58 /* : */) continue;
      while (val.endsWith('.') || val.endsWith(',')) val = val.slice(0, -1);
      if (val.length < 16) continue;
      if (!/\d/.test(val) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(val)) continue; // prose words
      if (!/[0-9]/.test(val) && /^[A-Za-z._-]+$/.test(val)) continue;
      if (GUID_RE.test(val) || isPlaceholder(val) || shannonEntropy(val) < 3.5) continue;
      if (/^https?:|^\/|^[a-z]+\.[a-z]+\.[a-z]+$/.test(val)) continue;
      if (ctx.hasKeyword(KW_FAKE, s, s + val.length, 60, 20)) continue;
      pushMatch(out, ctx, 'generic_api_key', this.id, s, s + val.length, 75);
    }
  },
};
