/**
 * Teams HTML → scannable content (dlp-detection.md §9.1), with a hand-written tokenizer (no DOM, no regex
 * per tag). The output is the decoded visible text followed by the decoded `href` of every `<a>`, each
 * on its own line. Offsets of findings refer to this string.
 */

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'codeblock',
  'hr',
  'section',
  'article',
]);

/** Elements whose content is never visible text. */
const SKIP_CONTENT_TAGS = new Set(['script', 'style', 'head', 'title']);

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: '\u00a0',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  minus: '−',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwj: '\u200d',
  zwnj: '\u200c',
  shy: '\u00ad',
  iexcl: '¡',
  iquest: '¿',
  ordm: 'º',
  ordf: 'ª',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  euml: 'ë',
  Eacute: 'É',
  Egrave: 'È',
  agrave: 'à',
  aacute: 'á',
  acirc: 'â',
  Agrave: 'À',
  Aacute: 'Á',
  ccedil: 'ç',
  Ccedil: 'Ç',
  iacute: 'í',
  icirc: 'î',
  iuml: 'ï',
  oacute: 'ó',
  ocirc: 'ô',
  uacute: 'ú',
  ugrave: 'ù',
  ucirc: 'û',
  ntilde: 'ñ',
  Ntilde: 'Ñ',
  Oacute: 'Ó',
  Uacute: 'Ú',
  Iacute: 'Í',
  oelig: 'œ',
  aelig: 'æ',
};

/** Decode HTML character references in `s` (numeric and the usual named ones; unknown ones stay literal). */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  let out = '';
  let last = 0;
  let i = s.indexOf('&');
  while (i >= 0) {
    const r = readEntity(s, i);
    if (r) {
      out += s.slice(last, i) + r.text;
      last = r.end;
      i = s.indexOf('&', r.end);
    } else {
      i = s.indexOf('&', i + 1);
    }
  }
  return out + s.slice(last);
}

function readEntity(s: string, at: number): { text: string; end: number } | null {
  // at points to '&'
  const max = Math.min(s.length, at + 34);
  let j = at + 1;
  if (s.charCodeAt(j) === 35 /* # */) {
    j++;
    let hex = false;
    if (s.charCodeAt(j) === 120 || s.charCodeAt(j) === 88) {
      hex = true;
      j++;
    }
    const digitsStart = j;
    while (j < max) {
      const c = s.charCodeAt(j);
      const ok = (c >= 48 && c <= 57) || (hex && ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)));
      if (!ok) break;
      j++;
    }
    if (j === digitsStart) return null;
    const code = Number.parseInt(s.slice(digitsStart, j), hex ? 16 : 10);
    const end = s.charCodeAt(j) === 59 ? j + 1 : j;
    if (!Number.isFinite(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return { text: '\ufffd', end };
    }
    return { text: String.fromCodePoint(code === 0 ? 0xfffd : code), end };
  }
  const nameStart = j;
  while (j < max) {
    const c = s.charCodeAt(j);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))) break;
    j++;
  }
  if (j === nameStart) return null;
  const name = s.slice(nameStart, j);
  const text = NAMED_ENTITIES[name];
  if (text === undefined) return null;
  return { text, end: s.charCodeAt(j) === 59 ? j + 1 : j };
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95
  );
}

/** Find the end ('>') of a tag that starts at `lt`, honouring quoted attribute values. Returns -1 if unterminated. */
function findTagEnd(html: string, from: number): number {
  let quote = 0;
  for (let k = from; k < html.length; k++) {
    const c = html.charCodeAt(k);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62) {
      return k;
    }
  }
  return -1;
}

/** Value of attribute `name` (lower-case) inside a tag's source text, entity-decoded; undefined if absent. */
export function attributeValue(tag: string, name: string): string | undefined {
  // Teams writes attribute names in lower case; only fold case when the tag has upper-case letters.
  const lower = /[A-Z]/.test(tag) ? tag.toLowerCase() : tag;
  let from = 0;
  for (;;) {
    const at = lower.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + name.length;
    const before = lower.charCodeAt(at - 1);
    if (
      !(
        before === 32 ||
        before === 9 ||
        before === 10 ||
        before === 13 ||
        before === 47 ||
        before === 34 ||
        before === 39
      )
    )
      continue;
    let k = at + name.length;
    while (
      k < tag.length &&
      (tag.charCodeAt(k) === 32 || tag.charCodeAt(k) === 9 || tag.charCodeAt(k) === 10)
    )
      k++;
    if (tag.charCodeAt(k) !== 61 /* = */) continue;
    k++;
    while (
      k < tag.length &&
      (tag.charCodeAt(k) === 32 || tag.charCodeAt(k) === 9 || tag.charCodeAt(k) === 10)
    )
      k++;
    const q = tag.charCodeAt(k);
    let value: string;
    if (q === 34 || q === 39) {
      const close = tag.indexOf(String.fromCharCode(q), k + 1);
      value = tag.slice(k + 1, close < 0 ? tag.length : close);
    } else {
      let e = k;
      while (e < tag.length) {
        const c = tag.charCodeAt(e);
        if (c === 32 || c === 9 || c === 10 || c === 62 || c === 13) break;
        e++;
      }
      value = tag.slice(k, e);
    }
    return decodeEntities(value);
  }
}

/**
 * Decode Teams HTML into scannable content: `<br>` and block tags → `\n`, `</td>`/`</th>` → `\t`, Teams
 * emoji images → their `alt`, other tags vanish, entities decoded, whitespace kept; then every `<a href>`
 * appended on its own line.
 */
export function decodeTeamsHtml(html: string): string {
  if (html.indexOf('<') < 0) return decodeEntities(html);
  let out = '';
  let hrefs: string[] | undefined;
  let textStart = 0;
  let i = html.indexOf('<');
  while (i >= 0) {
    const next = html.charCodeAt(i + 1);
    // Not a tag: '<' followed by something that cannot start a tag name ('a < b', '<3').
    const isClose = next === 47; /* / */
    const nameStart = isClose ? i + 2 : i + 1;
    const first = html.charCodeAt(nameStart);
    const isComment = next === 33; /* ! */
    const startsName = (first >= 97 && first <= 122) || (first >= 65 && first <= 90);
    if (!isComment && !startsName) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    if (i > textStart) out += decodeEntities(html.slice(textStart, i));
    if (isComment) {
      const endComment = html.startsWith('<!--', i) ? html.indexOf('-->', i + 4) : html.indexOf('>', i);
      const stop = endComment < 0 ? html.length : endComment + (html.startsWith('<!--', i) ? 3 : 1);
      textStart = stop;
      i = html.indexOf('<', stop);
      continue;
    }
    const end = findTagEnd(html, nameStart);
    if (end < 0) {
      // Unterminated tag: the rest is not visible text.
      textStart = html.length;
      break;
    }
    let k = nameStart;
    while (k < end && isNameChar(html.charCodeAt(k))) k++;
    const name = html.slice(nameStart, k).toLowerCase();
    textStart = end + 1;
    if (name === 'br') {
      out += '\n';
    } else if (BLOCK_TAGS.has(name)) {
      out += '\n';
    } else if (isClose && (name === 'td' || name === 'th')) {
      out += '\t';
    } else if (!isClose && name === 'img') {
      const tag = html.slice(i, end);
      const itemtype = attributeValue(tag, 'itemtype');
      if (itemtype !== undefined && itemtype.indexOf('Emoji') >= 0) out += attributeValue(tag, 'alt') ?? '';
    } else if (!isClose && name === 'a') {
      const href = attributeValue(html.slice(i, end), 'href');
      if (href !== undefined && href.length > 0) {
        hrefs ??= [];
        hrefs.push(href);
      }
    } else if (!isClose && SKIP_CONTENT_TAGS.has(name)) {
      const close = html.toLowerCase().indexOf(`</${name}`, end);
      if (close >= 0) {
        const closeEnd = html.indexOf('>', close);
        textStart = closeEnd < 0 ? html.length : closeEnd + 1;
      } else {
        textStart = html.length;
      }
    }
    i = html.indexOf('<', textStart);
  }
  if (textStart < html.length) out += decodeEntities(html.slice(textStart));
  if (hrefs) for (const h of hrefs) out += `\n${h}`;
  return out;
}
