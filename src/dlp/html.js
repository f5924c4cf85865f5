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
/** The HTML 4 named character references (252) plus `&apos;`. */
const NAMED_ENTITIES = {
    AElig: '\u00c6',
    Aacute: '\u00c1',
    Acirc: '\u00c2',
    Agrave: '\u00c0',
    Alpha: '\u0391',
    Aring: '\u00c5',
    Atilde: '\u00c3',
    Auml: '\u00c4',
    Beta: '\u0392',
    Ccedil: '\u00c7',
    Chi: '\u03a7',
    Dagger: '\u2021',
    Delta: '\u0394',
    ETH: '\u00d0',
    Eacute: '\u00c9',
    Ecirc: '\u00ca',
    Egrave: '\u00c8',
    Epsilon: '\u0395',
    Eta: '\u0397',
    Euml: '\u00cb',
    Gamma: '\u0393',
    Iacute: '\u00cd',
    Icirc: '\u00ce',
    Igrave: '\u00cc',
    Iota: '\u0399',
    Iuml: '\u00cf',
    Kappa: '\u039a',
    Lambda: '\u039b',
    Mu: '\u039c',
    Ntilde: '\u00d1',
    Nu: '\u039d',
    OElig: '\u0152',
    Oacute: '\u00d3',
    Ocirc: '\u00d4',
    Ograve: '\u00d2',
    Omega: '\u03a9',
    Omicron: '\u039f',
    Oslash: '\u00d8',
    Otilde: '\u00d5',
    Ouml: '\u00d6',
    Phi: '\u03a6',
    Pi: '\u03a0',
    Prime: '\u2033',
    Psi: '\u03a8',
    Rho: '\u03a1',
    Scaron: '\u0160',
    Sigma: '\u03a3',
    THORN: '\u00de',
    Tau: '\u03a4',
    Theta: '\u0398',
    Uacute: '\u00da',
    Ucirc: '\u00db',
    Ugrave: '\u00d9',
    Upsilon: '\u03a5',
    Uuml: '\u00dc',
    Xi: '\u039e',
    Yacute: '\u00dd',
    Yuml: '\u0178',
    Zeta: '\u0396',
    aacute: '\u00e1',
    acirc: '\u00e2',
    acute: '\u00b4',
    aelig: '\u00e6',
    agrave: '\u00e0',
    alefsym: '\u2135',
    alpha: '\u03b1',
    amp: '&',
    and: '\u2227',
    ang: '\u2220',
    apos: "'",
    aring: '\u00e5',
    asymp: '\u2248',
    atilde: '\u00e3',
    auml: '\u00e4',
    bdquo: '\u201e',
    beta: '\u03b2',
    brvbar: '\u00a6',
    bull: '\u2022',
    cap: '\u2229',
    ccedil: '\u00e7',
    cedil: '\u00b8',
    cent: '\u00a2',
    chi: '\u03c7',
    circ: '\u02c6',
    clubs: '\u2663',
    cong: '\u2245',
    copy: '\u00a9',
    crarr: '\u21b5',
    cup: '\u222a',
    curren: '\u00a4',
    dArr: '\u21d3',
    dagger: '\u2020',
    darr: '\u2193',
    deg: '\u00b0',
    delta: '\u03b4',
    diams: '\u2666',
    divide: '\u00f7',
    eacute: '\u00e9',
    ecirc: '\u00ea',
    egrave: '\u00e8',
    empty: '\u2205',
    emsp: '\u2003',
    ensp: '\u2002',
    epsilon: '\u03b5',
    equiv: '\u2261',
    eta: '\u03b7',
    eth: '\u00f0',
    euml: '\u00eb',
    euro: '\u20ac',
    exist: '\u2203',
    fnof: '\u0192',
    forall: '\u2200',
    frac12: '\u00bd',
    frac14: '\u00bc',
    frac34: '\u00be',
    frasl: '\u2044',
    gamma: '\u03b3',
    ge: '\u2265',
    gt: '>',
    hArr: '\u21d4',
    harr: '\u2194',
    hearts: '\u2665',
    hellip: '\u2026',
    iacute: '\u00ed',
    icirc: '\u00ee',
    iexcl: '\u00a1',
    igrave: '\u00ec',
    image: '\u2111',
    infin: '\u221e',
    int: '\u222b',
    iota: '\u03b9',
    iquest: '\u00bf',
    isin: '\u2208',
    iuml: '\u00ef',
    kappa: '\u03ba',
    lArr: '\u21d0',
    lambda: '\u03bb',
    lang: '\u2329',
    laquo: '\u00ab',
    larr: '\u2190',
    lceil: '\u2308',
    ldquo: '\u201c',
    le: '\u2264',
    lfloor: '\u230a',
    lowast: '\u2217',
    loz: '\u25ca',
    lrm: '\u200e',
    lsaquo: '\u2039',
    lsquo: '\u2018',
    lt: '<',
    macr: '\u00af',
    mdash: '\u2014',
    micro: '\u00b5',
    middot: '\u00b7',
    minus: '\u2212',
    mu: '\u03bc',
    nabla: '\u2207',
    nbsp: '\u00a0',
    ndash: '\u2013',
    ne: '\u2260',
    ni: '\u220b',
    not: '\u00ac',
    notin: '\u2209',
    nsub: '\u2284',
    ntilde: '\u00f1',
    nu: '\u03bd',
    oacute: '\u00f3',
    ocirc: '\u00f4',
    oelig: '\u0153',
    ograve: '\u00f2',
    oline: '\u203e',
    omega: '\u03c9',
    omicron: '\u03bf',
    oplus: '\u2295',
    or: '\u2228',
    ordf: '\u00aa',
    ordm: '\u00ba',
    oslash: '\u00f8',
    otilde: '\u00f5',
    otimes: '\u2297',
    ouml: '\u00f6',
    para: '\u00b6',
    part: '\u2202',
    permil: '\u2030',
    perp: '\u22a5',
    phi: '\u03c6',
    pi: '\u03c0',
    piv: '\u03d6',
    plusmn: '\u00b1',
    pound: '\u00a3',
    prime: '\u2032',
    prod: '\u220f',
    prop: '\u221d',
    psi: '\u03c8',
    quot: '"',
    rArr: '\u21d2',
    radic: '\u221a',
    rang: '\u232a',
    raquo: '\u00bb',
    rarr: '\u2192',
    rceil: '\u2309',
    rdquo: '\u201d',
    real: '\u211c',
    reg: '\u00ae',
    rfloor: '\u230b',
    rho: '\u03c1',
    rlm: '\u200f',
    rsaquo: '\u203a',
    rsquo: '\u2019',
    sbquo: '\u201a',
    scaron: '\u0161',
    sdot: '\u22c5',
    sect: '\u00a7',
    shy: '\u00ad',
    sigma: '\u03c3',
    sigmaf: '\u03c2',
    sim: '\u223c',
    spades: '\u2660',
    sub: '\u2282',
    sube: '\u2286',
    sum: '\u2211',
    sup: '\u2283',
    sup1: '\u00b9',
    sup2: '\u00b2',
    sup3: '\u00b3',
    supe: '\u2287',
    szlig: '\u00df',
    tau: '\u03c4',
    there4: '\u2234',
    theta: '\u03b8',
    thetasym: '\u03d1',
    thinsp: '\u2009',
    thorn: '\u00fe',
    tilde: '\u02dc',
    times: '\u00d7',
    trade: '\u2122',
    uArr: '\u21d1',
    uacute: '\u00fa',
    uarr: '\u2191',
    ucirc: '\u00fb',
    ugrave: '\u00f9',
    uml: '\u00a8',
    upsih: '\u03d2',
    upsilon: '\u03c5',
    uuml: '\u00fc',
    weierp: '\u2118',
    xi: '\u03be',
    yacute: '\u00fd',
    yen: '\u00a5',
    yuml: '\u00ff',
    zeta: '\u03b6',
    zwj: '\u200d',
    zwnj: '\u200c',
};
/** Decode HTML character references in `s` (numeric and the usual named ones; unknown ones stay literal). */
export function decodeEntities(s) {
    if (s.indexOf('&') < 0)
        return s;
    let out = '';
    let last = 0;
    let i = s.indexOf('&');
    while (i >= 0) {
        const r = readEntity(s, i);
        if (r) {
            out += s.slice(last, i) + r.text;
            last = r.end;
            i = s.indexOf('&', r.end);
        }
        else {
            i = s.indexOf('&', i + 1);
        }
    }
    return out + s.slice(last);
}
function readEntity(s, at) {
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
            if (!ok)
                break;
            j++;
        }
        if (j === digitsStart)
            return null;
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
        if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)))
            break;
        j++;
    }
    if (j === nameStart)
        return null;
    const name = s.slice(nameStart, j);
    const text = NAMED_ENTITIES[name];
    if (text === undefined)
        return null;
    return { text, end: s.charCodeAt(j) === 59 ? j + 1 : j };
}
function isNameChar(c) {
    return ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95);
}
/** Find the end ('>') of a tag that starts at `lt`, honouring quoted attribute values. Returns -1 if unterminated. */
function findTagEnd(html, from) {
    let quote = 0;
    for (let k = from; k < html.length; k++) {
        const c = html.charCodeAt(k);
        if (quote) {
            if (c === quote)
                quote = 0;
        }
        else if (c === 34 || c === 39) {
            quote = c;
        }
        else if (c === 62) {
            return k;
        }
    }
    return -1;
}
const FOLDABLE_NAME = /^[a-jl-z]+$/;
/** First index ≥ from where `tag` spells `name` (lower-case ASCII letters) ignoring ASCII case; -1 if none. */
function indexOfFolded(tag, name, from) {
    const first = name.charCodeAt(0);
    const last = tag.length - name.length;
    for (let at = from; at <= last; at++) {
        if ((tag.charCodeAt(at) | 0x20) !== first)
            continue;
        let j = 1;
        while (j < name.length && (tag.charCodeAt(at + j) | 0x20) === name.charCodeAt(j))
            j++;
        if (j === name.length)
            return at;
    }
    return -1;
}
/** Value of attribute `name` (lower-case) inside a tag's source text, entity-decoded; undefined if absent. */
export function attributeValue(tag, name) {
    // Attribute names match case-insensitively. For names of ASCII letters other than `k` (U+212A KELVIN SIGN
    // lower-cases to `k`) and tags without U+0130 (its lower case is two characters), an ASCII fold of each
    // char equals toLowerCase at the same index, so no lower-cased copy of the tag is needed.
    const folded = FOLDABLE_NAME.test(name) && tag.indexOf('\u0130') < 0;
    const lower = folded ? tag : /[A-Z]/.test(tag) ? tag.toLowerCase() : tag;
    let from = 0;
    for (;;) {
        const at = folded ? indexOfFolded(tag, name, from) : lower.indexOf(name, from);
        if (at < 0)
            return undefined;
        from = at + name.length;
        const before = lower.charCodeAt(at - 1);
        if (!(before === 32 ||
            before === 9 ||
            before === 10 ||
            before === 13 ||
            before === 47 ||
            before === 34 ||
            before === 39))
            continue;
        let k = at + name.length;
        while (k < tag.length &&
            (tag.charCodeAt(k) === 32 || tag.charCodeAt(k) === 9 || tag.charCodeAt(k) === 10))
            k++;
        if (tag.charCodeAt(k) !== 61 /* = */)
            continue;
        k++;
        while (k < tag.length &&
            (tag.charCodeAt(k) === 32 || tag.charCodeAt(k) === 9 || tag.charCodeAt(k) === 10))
            k++;
        const q = tag.charCodeAt(k);
        let value;
        if (q === 34 || q === 39) {
            const close = tag.indexOf(String.fromCharCode(q), k + 1);
            value = tag.slice(k + 1, close < 0 ? tag.length : close);
        }
        else {
            let e = k;
            while (e < tag.length) {
                const c = tag.charCodeAt(e);
                if (c === 32 || c === 9 || c === 10 || c === 62 || c === 13)
                    break;
                e++;
            }
            value = tag.slice(k, e);
        }
        return decodeEntities(value);
    }
}
const TAG_OTHER = 0;
const TAG_LINE = 1; // <br> and block tags
const TAG_CELL = 2; // td, th
const TAG_IMG = 3;
const TAG_A = 4;
/** Block tag names by length (lower case), for tagKind. */
const BLOCK_BY_LENGTH = [];
for (const name of BLOCK_TAGS) {
    const sameLength = BLOCK_BY_LENGTH[name.length] ?? [];
    sameLength.push(name);
    BLOCK_BY_LENGTH[name.length] = sameLength;
}
/** ASCII case-insensitive: does html[at, at + lower.length) spell `lower` (lower-case letters/digits)? */
function spellsLower(html, at, lower) {
    for (let j = 0; j < lower.length; j++) {
        if ((html.charCodeAt(at + j) | 0x20) !== lower.charCodeAt(j))
            return false;
    }
    return true;
}
/**
 * Kind of the tag whose (ASCII) name is html[start, end), without slicing or lower-casing it. `| 0x20`
 * folds A-Z to a-z and maps no other name character (digits, '-', ':', '_') onto a letter or digit.
 */
function tagKind(html, start, end) {
    const len = end - start;
    if (len === 1) {
        const c = html.charCodeAt(start) | 0x20;
        return c === 112 /* p */ ? TAG_LINE : c === 97 /* a */ ? TAG_A : TAG_OTHER;
    }
    if (len === 2) {
        if (spellsLower(html, start, 'br'))
            return TAG_LINE;
        if (spellsLower(html, start, 'td') || spellsLower(html, start, 'th'))
            return TAG_CELL;
    }
    else if (len === 3 && spellsLower(html, start, 'img')) {
        return TAG_IMG;
    }
    const names = BLOCK_BY_LENGTH[len];
    if (names !== undefined)
        for (const n of names)
            if (spellsLower(html, start, n))
                return TAG_LINE;
    return TAG_OTHER;
}
/**
 * Decode Teams HTML into scannable content: `<br>` and block tags → `\n`, `</td>`/`</th>` → `\t`, Teams
 * emoji images → their `alt`, other tags vanish, entities decoded, whitespace kept; then every `<a href>`
 * appended on its own line.
 */
export function decodeTeamsHtml(html) {
    if (html.indexOf('<') < 0)
        return decodeEntities(html);
    let out = '';
    // Without any '&' the text chunks need no entity decoding (one search instead of one per chunk).
    const hasAmp = html.indexOf('&') >= 0;
    let hrefs;
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
        if (i > textStart) {
            const chunk = html.slice(textStart, i);
            out += hasAmp ? decodeEntities(chunk) : chunk;
        }
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
        while (k < end && isNameChar(html.charCodeAt(k)))
            k++;
        const kind = tagKind(html, nameStart, k);
        textStart = end + 1;
        if (kind === TAG_OTHER) {
            // Inline tags (<b>, <at>, <span>, closing </a>, …) vanish.
        }
        else if (kind === TAG_LINE) {
            out += '\n';
        }
        else if (kind === TAG_CELL) {
            if (isClose)
                out += '\t';
        }
        else if (kind === TAG_IMG) {
            if (!isClose) {
                const tag = html.slice(i, end);
                const itemtype = attributeValue(tag, 'itemtype');
                if (itemtype !== undefined && itemtype.indexOf('Emoji') >= 0)
                    out += attributeValue(tag, 'alt') ?? '';
            }
        }
        else if (kind === TAG_A && !isClose) {
            const href = attributeValue(html.slice(i, end), 'href');
            if (href !== undefined && href.length > 0) {
                hrefs ??= [];
                hrefs.push(href);
            }
        }
        i = html.indexOf('<', textStart);
    }
    if (textStart < html.length)
        out += decodeEntities(html.slice(textStart));
    if (hrefs)
        for (const h of hrefs)
            out += `\n${h}`;
    return out;
}
