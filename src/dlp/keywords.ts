/**
 * Context keyword lists (English, German, French, Spanish; plus a few Purview entries in other languages),
 * matched case-insensitively as whole words on the lower-cased text. Hits are computed lazily per segment
 * and list, only when a candidate of a type that needs them exists.
 */

export interface KeywordList {
  id: string;
  /** Index in the global registry (all lists are matched in one pass per segment). */
  index: number;
  /** First word of each keyword → the remainders that must follow it (`''` = the word alone). */
  byFirstWord: Map<string, string[]>;
  /** Keywords that do not start with a word character: matched as plain substrings. */
  literals: string[];
}

const WORD_RE = /^[a-z0-9\u00c0-\u024f]+/;

export function isKeywordWordChar(c: number): boolean {
  // '_' separates words here, so key names such as `customer_ssn` or `passport_no` carry their keywords.
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xc0 && c <= 0x24f);
}

/**
 * Build a keyword list: whole-word, case-insensitive; a space inside a keyword also matches `_`, `-` or
 * nothing (Macie's rule). Matching walks the segment's words once (see ScanContext.hits), so checking a
 * list costs one Map lookup per word instead of a regex pass per list.
 */
export function keywordList(
  id: string,
  words: readonly string[],
  options: { negatable?: boolean } = {},
): KeywordList {
  const byFirstWord = new Map<string, string[]>();
  const literals: string[] = [];
  const add = (first: string, rest: string) => {
    const list = byFirstWord.get(first) ?? [];
    if (!list.includes(rest)) list.push(rest);
    byFirstWord.set(first, list);
  };
  for (const raw of words) {
    const w = raw.toLowerCase().trim();
    if (w.length === 0) continue;
    const first = WORD_RE.exec(w)?.[0];
    if (!first) {
      literals.push(w);
      continue;
    }
    add(first, w.slice(first.length));
    if (w.includes(' ')) {
      // Glued forms ("socialsecurity", "social_security") are single words to the tokenizer.
      for (const joiner of ['', '_']) {
        const glued = w.replace(/ /g, joiner);
        const g = WORD_RE.exec(glued)?.[0] as string;
        add(g, glued.slice(g.length));
      }
    }
  }
  const list: KeywordList = { id, index: REGISTRY.length, byFirstWord, literals };
  REGISTRY.push(list);
  NEGATABLE[list.index] = options.negatable === true ? 1 : 0;
  for (const [first, rests] of byFirstWord) {
    const h = wordHash(first, 0, first.length);
    const slot = h & 0xffff;
    const words = FIRST_WORD_SLOTS[slot] ?? [];
    let word = words.find((w) => w.first === first);
    if (word === undefined) {
      word = { first, hash: h, keywords: [] };
      words.push(word);
    }
    for (const rest of rests) word.keywords.push({ list: list.index, rest, ...restPrefilter(rest) });
    FIRST_WORD_SLOTS[slot] = words;
    FIRST_WORD_SLOT_USED[slot >>> 3] = (FIRST_WORD_SLOT_USED[slot >>> 3] as number) | (1 << (slot & 7));
    if (first.length > KEYWORD_LIMITS.maxFirstWord) KEYWORD_LIMITS.maxFirstWord = first.length;
    const c0 = first.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) KEYWORD_LIMITS.digitStart = true;
  }
  if (literals.length > 0) LITERAL_LISTS.push(list);
  return list;
}

/** Bounds over every registered keyword's first word, so the word walk can skip impossible words. */
export const KEYWORD_LIMITS = { maxFirstWord: 0, digitStart: false };

/** Every keyword list ever built, by index. */
export const REGISTRY: KeywordList[] = [];
/**
 * 1 for lists whose hits a negation right before them cancels ("713-74-4815 is not my SSN, it's the case
 * number", "Not the routing number – …"): the context words of keyword-required types.
 */
export const NEGATABLE = new Uint8Array(64);

/**
 * A negation right before a keyword: "not", "isn't", "nicht", "kein(e)", "pas", "no", "ni", then an optional copula
 * ("no es mi …"), an optional "to be confused with" ("nicht mit der Kontonummer verwechseln", "no confundir con el …")
 * and an optional determiner or possessive ("not my", "nicht meine", "pas mon", "not an").
 */
const NEGATED_BEFORE =
  /(?:^|[^a-z0-9\u00c0-\u024f'])(?:not|isn't|isnt|no|nicht|kein|keine|keinen|keiner|pas|ni|non)[ \t\u00a0]+(?:(?:is|are|was|es|est|ist|era)[ \t\u00a0]+)?(?:(?:to[ \t\u00a0]+be[ \t\u00a0]+confused|confondre|confundir)[ \t\u00a0]+)?(?:(?:with|mit|avec|con)[ \t\u00a0]+)?(?:(?:my|the|an?|your|his|her|our|their|this|that|mein|meine|meinen|dein|deine|die|der|das|den|ein|eine|einen|mon|ma|mes|le|la|les|un|une|ton|ta|ce|cet|cette|mi|mis|el|los|una?|tu|su)[ \t\u00a0]+)?$/;

/** Whether a negation stands right before lower[at] (see NEGATED_BEFORE). */
export function negatedBefore(lower: string, at: number): boolean {
  // Every form ends in a space, tab or NBSP right before the keyword: most keywords are rejected without a slice.
  const before = lower.charCodeAt(at - 1);
  if (before !== 32 && before !== 9 && before !== 0xa0) return false;
  return NEGATED_BEFORE.test(lower.slice(Math.max(0, at - 24), at));
}
/** The keywords (list, remainder after the first word) that start with one first word. */
export interface FirstWordEntry {
  first: string;
  /** wordHash(first) */
  hash: number;
  keywords: Array<{ list: number; rest: string; restFirst: number; restLead: number }>;
}

/**
 * What the text must hold right after the first word for `rest` to match there (see matchRest): its first character
 * other than a space (`restFirst`), at the word's end or, after one leading space of `rest`, one character later
 * (`restLead` 0 or 1); restFirst -1 when there is no such quick test (no rest, only spaces, or two leading spaces).
 */
function restPrefilter(rest: string): { restFirst: number; restLead: number } {
  let lead = 0;
  while (lead < rest.length && rest.charCodeAt(lead) === 32) lead++;
  if (lead === rest.length || lead > 1) return { restFirst: -1, restLead: 0 };
  return { restFirst: rest.charCodeAt(lead), restLead: lead };
}
/**
 * Low 16 bits of a first-word hash → the keywords' first words in that slot (full hash kept for the
 * comparison) and their keywords over all lists: one array index and, for the few words that land in a
 * used slot, one string comparison per word of the text answer every list, without allocating a
 * substring per word. Empty slots (most words of any text) hold undefined.
 */
export const FIRST_WORD_SLOTS: Array<FirstWordEntry[] | undefined> = new Array(1 << 16).fill(undefined);
/**
 * One bit per slot of FIRST_WORD_SLOTS, set when the slot is used. The slot array is 512 KB of pointers, so a
 * lookup per word of the text missed the CPU's caches (a fifth of the keyword walk); this 8 KB filter stays in
 * L1 and rejects about 99 % of a text's words before the slot array is touched.
 */
export const FIRST_WORD_SLOT_USED = new Uint8Array(1 << 13);

/** True when a first word of some keyword hashes to `slot` (low 16 bits of wordHash). */
export function firstWordSlotUsed(slot: number): boolean {
  return ((FIRST_WORD_SLOT_USED[slot >>> 3] as number) & (1 << (slot & 7))) !== 0;
}

/** Polynomial hash of s[from, to) — the same arithmetic ScanContext runs while walking the text. */
export function wordHash(s: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) & 0x3fffffff;
  return h;
}
/** Lists that contain keywords starting with a non-word character. */
export const LITERAL_LISTS: KeywordList[] = [];

/**
 * Match a keyword remainder at `at` in `lower`: literal characters must be equal, a space matches one
 * optional space/`_`/`-`. Returns the end offset, or -1. The keyword must end at a word boundary.
 */
export function matchRest(lower: string, at: number, rest: string): number {
  let j = at;
  for (let k = 0; k < rest.length; k++) {
    const r = rest.charCodeAt(k);
    if (r === 32) {
      const c = lower.charCodeAt(j);
      if (c === 32 || c === 95 || c === 45 || c === 0xa0) j++;
      continue;
    }
    if (lower.charCodeAt(j) !== r) return -1;
    j++;
  }
  return j < lower.length &&
    isKeywordWordChar(lower.charCodeAt(j)) &&
    isKeywordWordChar(lower.charCodeAt(j - 1))
    ? -1
    : j;
}

export const KW_CARD = keywordList('card', [
  'credit card',
  'credit cards',
  'creditcard',
  'card number',
  'card num',
  'card no',
  'card #',
  'card#',
  'cc#',
  'cc #',
  'ccn',
  'debit card',
  'bank card',
  'check card',
  'atm card',
  'corporate card',
  'card type',
  'cardholder',
  'cardholders',
  'card holder',
  'card account number',
  'cardmember account',
  'visa',
  'mastercard',
  'master card',
  'amex',
  'american express',
  'discover',
  'discover card',
  'jcb',
  'diners club',
  "diner's club",
  'unionpay',
  'union pay',
  'rupay',
  'maestro',
  'pan',
  'card',
  'expiration date',
  'expiry date',
  'exp date',
  'expiry',
  'expires',
  'exp',
  'valid thru',
  'valid through',
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'cvn',
  'cid',
  'security code',
  'card verification',
  'payment',
  // de
  'kreditkarte',
  'kreditkartennummer',
  'kartennummer',
  'kartennr',
  'karteninhaber',
  'karte',
  'debitkarte',
  'ablaufdatum',
  'gültig bis',
  'gueltig bis',
  'verfalldatum',
  'prüfziffer',
  'sicherheitscode',
  'kreditkartenprüfnummer',
  'zahlung',
  // fr
  'carte bancaire',
  'carte de crédit',
  'carte de credit',
  'numéro de carte',
  'numero de carte',
  'nº de carte',
  "date d'expiration",
  'cryptogramme',
  'carte',
  'paiement',
  // es
  'tarjeta',
  'tarjeta de crédito',
  'tarjeta de credito',
  'tarjeta de débito',
  'número de tarjeta',
  'numero de tarjeta',
  'tarjetahabiente',
  'vencimiento',
  'fecha de vencimiento',
  'fecha de expiración',
  'código de seguridad',
  'pago',
  // it / pt
  'carta di credito',
  'numero carta',
  'cartão de crédito',
  'número do cartão',
]);

export const KW_SSN = keywordList(
  'ssn',
  [
    'ssn',
    'ssns',
    'ssn#',
    'ss#',
    'ssid',
    'ssa number',
    'social security',
    'social security number',
    'social security no',
    'social security #',
    'soc sec',
    'soc. sec',
    'soc.sec',
    'soc. sec. no',
    'social sec',
    // Misspellings seen in chat (a reviewer still reads them as SSN context).
    'social secuirty',
    'social securty',
    'social secruity',
    'social sercurity',
    'socail security',
    'sozialversicherungsnummer',
    'us-sozialversicherungsnummer',
    'amerikanische sozialversicherungsnummer',
    'numéro de sécurité sociale',
    'numero de securite sociale',
    'sécurité sociale',
    'número de seguro social',
    'numero de seguro social',
    'seguro social',
    'número de la seguridad social',
    'seguridad social',
  ],
  { negatable: true },
);

export const KW_BANK_ACCOUNT = keywordList(
  'bank_account',
  [
    'bank account',
    'bank account number',
    'bank acct',
    'checking account',
    'checking acct',
    'savings account',
    'savings acct',
    'debit account',
    'account number',
    'account no',
    'account #',
    'account#',
    'acct',
    'acct #',
    'acct#',
    'acct no',
    'acct number',
    'deposit account',
    'direct deposit',
    'kontonummer',
    'bankkonto',
    'girokonto',
    'sparkonto',
    'konto-nr',
    'kontonr',
    'numéro de compte',
    'numero de compte',
    'compte bancaire',
    'compte courant',
    'número de cuenta',
    'numero de cuenta',
    'cuenta bancaria',
    'cuenta corriente',
    'cuenta de ahorros',
    'current account',
    'account nr',
    'acct nr',
    'a/c',
    'a/c no',
    'konto nr',
    'konto-nummer',
    'compte épargne',
    'compte chèque',
    'n.º de cuenta',
    'checking account number',
    'savings account number',
    'checking account no',
    'savings account no',
    // Plurals of table headers and the abbreviations of forms ("Kto.-Nr.", "nº de cta. de ahorros"), and the US-Spanish
    // "cuenta de cheques" (checking account).
    'bank accounts',
    'checking accounts',
    'savings accounts',
    'account numbers',
    'kontonummern',
    'kto',
    'kto.-nr',
    'kto.-nr.',
    'kto-nr',
    'kto. nr',
    'numéros de compte',
    'comptes bancaires',
    'cuenta de cheques',
    'cuentas bancarias',
    'cuentas de ahorro',
    'cta. de ahorros',
    'cta de ahorros',
    'cta. de cheques',
    'cta de cheques',
    'núm. de cuenta',
    'num. de cuenta',
  ],
  { negatable: true },
);

/**
 * Words that put a bare "account number" in a bank's world (a donor operator's "account number" in a porting
 * request is a customer account): the strong bank-account phrases (checking account, bank acct…) need none.
 */
export const KW_BANK_CONTEXT = keywordList('bank_context', [
  'bank',
  'banking',
  'routing',
  'aba',
  'wire',
  'ach',
  'checking',
  'savings',
  'deposit',
  'payroll',
  'iban',
  'swift',
  'bic',
  // Not a bare `transfer`: a carrier's "transfer PIN" or "number transfer" moves a phone number, not money.
  'transfer to',
  'transfer from',
  'transfer of',
  'transferred',
  'funds transfer',
  'ach transfer',
  'payment',
  'payments',
  'refund',
  'credit union',
  // The same words in German, French and Spanish ('bank' covers German Bank).
  'banque',
  'banco',
  'bancaria',
  'bancario',
  'überweisung',
  'lastschrift',
  'gehalt',
  'virement',
  'prélèvement',
  'paiement',
  'salaire',
  'transferencia',
  'domiciliación',
  'pago',
  'nómina',
  'nomina',
  'depósito',
]);

/** The word IBAN (a lower-case IBAN is taken only after it; see the IBAN detector). */
export const KW_IBAN_WORD = keywordList('iban_word', ['iban', 'ibans']);

/**
 * Domestic bank codes of Germany (BLZ, 8 digits) and France (RIB's code banque/guichet): an account number next to one
 * is that country's domestic account, not a US bank account ("Kto 3378636762, BLZ 58313821").
 */
export const KW_DOMESTIC_BANK_CODE = keywordList('domestic_bank_code', [
  'blz',
  'bankleitzahl',
  'code banque',
  'code guichet',
  'clé rib',
  'cle rib',
]);

/**
 * Ad platforms whose account ids are written like North American phone numbers (Google Ads `985-777-6596`): in a
 * message naming one, a NANP-shaped number with no phone word near is such an id.
 */
export const KW_ADS_ACCOUNT = keywordList('ads_account', [
  'google ads',
  'adwords',
  'mcc',
  'ads account',
  'ads accounts',
  'ad account',
  'ads manager',
]);

/**
 * A customer-id label: Google Ads names its account ids so, but so do CRMs and SQL tables, next to phone numbers. It
 * makes a 3-3-4 number an id only right before it (see the phone detector), not anywhere in the message.
 */
export const KW_CUSTOMER_ID_LABEL = keywordList('customer_id_label', [
  'customer id',
  'id client',
  'kunden-id',
  'id de cliente',
]);

/** A bare account word: a bank account's label only where a routing number is named nearby (wire details). */
/** Words that name a bank account right before its number when a routing number is near ("rtn 302634844 checking 84188123837"). */
export const KW_ACCOUNT_WORD = keywordList('account_word', [
  'account',
  'acct',
  'konto',
  'compte',
  'cuenta',
  'checking',
  'savings',
]);

export const KW_ABA = keywordList(
  'aba',
  [
    'aba',
    'aba#',
    'aba #',
    'aba number',
    'aba routing',
    'abarouting#',
    'abaroutingnumber',
    'routing',
    'routing #',
    'routing#',
    // The short form of chat and forms ("acct 4402… rtg 716073693").
    'rtg',
    'rtg no',
    'rtg#',
    'routing no',
    'routing number',
    'routing transit number',
    'rtn',
    'bank routing',
    'bankrouting#',
    'bankroutingnumber',
    'american bank association routing',
    'transit number',
    'bankleitzahl',
    'routingnummer',
    'us-bankleitzahl',
    'numéro de routage',
    'numero de routage',
    'code de routage',
    'número de ruta',
    'numero de ruta',
    'número de enrutamiento',
    'numero de enrutamiento',
    'número aba',
    // Typos seen in quick chat.
    'routng',
    'rounting',
    'routin number',
  ],
  { negatable: true },
);

export const KW_PASSPORT = keywordList(
  'passport',
  [
    'passport',
    'passports',
    'passport#',
    'passport #',
    'passportid',
    'passportno',
    'passport no',
    'passport number',
    'passportnumber',
    'passport numbers',
    'passeports',
    'pässe',
    'britischer pass',
    'amerikanischer pass',
    'pasaportes',
    'reisepässe',
    'travel document',
    'reisepass',
    'reisepassnummer',
    'passnummer',
    'pass-nr',
    'passeport',
    'numéro de passeport',
    'numero de passeport',
    'pasaporte',
    'número de pasaporte',
    'numero de pasaporte',
    'hmpo',
    // Typos seen in quick chat (a reviewer still reads them as passport context).
    'pasport',
    'passprt',
    'passpor',
  ],
  { negatable: true },
);

export const KW_US = keywordList('us_nation', [
  'us',
  'u.s',
  'u.s.',
  'usa',
  'u.s.a',
  'united states',
  'american',
  'america',
  'amerikanisch',
  'amerikanischer',
  'amerikanischen',
  'vereinigte staaten',
  'us-amerikanisch',
  'us-amerikanischer',
  'us-pass',
  'us-reisepass',
  'américain',
  'americain',
  'américaine',
  'états-unis',
  'etats-unis',
  'estadounidense',
  'estados unidos',
  'ee.uu',
  'ee. uu',
  'eeuu',
  'norteamericano',
  'state department',
  'americans',
  'amerikanische',
  'américains',
  'américaines',
  'americains',
  'estadounidenses',
  'norteamericanos',
]);

export const KW_UK = keywordList('uk_nation', [
  'uk',
  'u.k',
  'u.k.',
  'gb',
  'united kingdom',
  'great britain',
  'britain',
  'british',
  'hmpo',
  'hm passport office',
  'england',
  'britisch',
  'britischer',
  'britischen',
  'vereinigtes königreich',
  'vereinigten königreich',
  'großbritannien',
  'uk-pass',
  'uk-reisepass',
  'britannique',
  'royaume-uni',
  'royaume uni',
  'británico',
  'britanico',
  'británica',
  'reino unido',
  'britische',
  'britanniques',
  'británicos',
  'británicas',
  'britanicos',
]);

/**
 * Nationality adjectives of countries other than the US and the UK, in the four languages: one qualifying a passport
 * word ("Reisepassnummer (deutscher Pass)", "German passport", "passeport français") makes the number no US or UK
 * passport, whatever country the message names later ("Das Visum für die USA …"). Adjectives only: a country's name
 * next to a passport is usually a destination.
 */
export const KW_OTHER_NATION = keywordList('other_nation', [
  'german',
  'deutsch',
  'deutscher',
  'deutsche',
  'deutschen',
  'alemán',
  'alemana',
  'allemand',
  'allemande',
  'french',
  'französisch',
  'französischer',
  'französische',
  'français',
  'française',
  'francés',
  'francesa',
  'spanish',
  'spanisch',
  'spanischer',
  'spanische',
  'español',
  'española',
  'espagnol',
  'espagnole',
  'canadian',
  'kanadisch',
  'kanadischer',
  'kanadische',
  'canadien',
  'canadienne',
  'canadiense',
  'irish',
  'irisch',
  'irischer',
  'irische',
  'irlandais',
  'irlandaise',
  'irlandés',
  'irlandesa',
  'indian',
  'indisch',
  'indischer',
  'indische',
  'indienne',
  'hindú',
  'mexican',
  'mexikanisch',
  'mexikanischer',
  'mexikanische',
  'mexicain',
  'mexicaine',
  'mexicano',
  'mexicana',
  'italian',
  'italienisch',
  'italienischer',
  'italienische',
  'italienne',
  'italiano',
  'italiana',
  'dutch',
  'niederländisch',
  'niederländischer',
  'niederländische',
  'néerlandais',
  'néerlandaise',
  'neerlandés',
  'holandés',
  'swiss',
  'schweizer',
  'schweizerisch',
  'schweizerischer',
  'suisse',
  'suizo',
  'suiza',
  'austrian',
  'österreichisch',
  'österreichischer',
  'österreichische',
  'autrichien',
  'autrichienne',
  'austriaco',
  'austriaca',
  'polish',
  'polnisch',
  'polnischer',
  'polnische',
  'polonais',
  'polonaise',
  'polaco',
  'polaca',
  'portuguese',
  'portugiesisch',
  'portugiesischer',
  'portugiesische',
  'portugais',
  'portugaise',
  'portugués',
  'portuguesa',
  'brazilian',
  'brasilianisch',
  'brasilianischer',
  'brasilianische',
  'brésilien',
  'brésilienne',
  'brasileño',
  'brasileña',
  'australian',
  'australisch',
  'australischer',
  'australische',
  'australien',
  'australienne',
  'australiano',
  'australiana',
  'belgian',
  'belgisch',
  'belgischer',
  'belgische',
  'belge',
  'belga',
  'chinese',
  'chinesisch',
  'chinesischer',
  'chinesische',
  'chinois',
  'chinoise',
  'japanese',
  'japanisch',
  'japanischer',
  'japanische',
  'japonais',
  'japonaise',
  'japonés',
  'japonesa',
  'turkish',
  'türkisch',
  'türkischer',
  'türkische',
  'turc',
  'turque',
  'ukrainian',
  'ukrainisch',
  'ukrainischer',
  'ukrainische',
  'ukrainien',
  'ukrainienne',
  'ucraniano',
  'ucraniana',
]);

export const KW_NINO = keywordList(
  'nino',
  [
    'nino',
    'ni number',
    'ni no',
    'ni no.',
    'ni #',
    'ni#',
    'national insurance',
    'national insurance number',
    'national insurance no',
    'nationalinsurance#',
    'nationalinsurancenumber',
    'insurance number',
    'insurancenumber',
    'insurance#',
    'hmrc',
    'social security',
    'britische sozialversicherungsnummer',
    'sozialversicherungsnummer',
    'versicherungsnummer',
    "numéro d'assurance nationale",
    'assurance nationale',
    'numéro de sécurité sociale',
    'número de seguro nacional',
    'seguro nacional',
    'número nino',
    'national insurance contributions',
    'nat insurance',
    'nat. insurance',
    'natl insurance',
    'nat ins no',
    'insurance no',
    'ni',
    // Welsh: "Rhif Yswiriant Gwladol yw MS 22 70 58 C".
    'yswiriant gwladol',
    'rhif yswiriant gwladol',
  ],
  { negatable: true },
);

export const KW_PHONE = keywordList('phone', [
  // Contact-centre screen pops: the caller's (ANI) and the dialled (DNIS) number.
  'ani',
  'dnis',
  // "caller ID +17023269169": the number a call came from (the `id` of KW_NOT_PHONE is part of the label here).
  'caller id',
  'phone',
  'phone number',
  'phone no',
  'telephone',
  'tel',
  'tel.',
  'mobile',
  'mobile number',
  'cell',
  'cell phone',
  'cellphone',
  'call',
  'call me',
  'callback',
  'msisdn',
  'call back',
  'call-back',
  'ring',
  'text me',
  'sms',
  'whatsapp',
  'signal',
  'fax',
  'hotline',
  'contact',
  'reach me',
  'dial',
  'landline',
  'extension',
  'ext',
  'telefon',
  'telefonnummer',
  'handy',
  'handynummer',
  'mobilnummer',
  'mobilnummern',
  'rufnummern',
  'telefonnummern',
  // A contact list's title ("Telefonliste Wochenende": the numbers below it are phones).
  'telefonliste',
  'telefonlisten',
  'phone list',
  'handynummern',
  'phone numbers',
  'numéros de téléphone',
  'números de teléfono',
  'mobil',
  'mobiltelefon',
  'rufnummer',
  'ruf',
  'rückruf',
  'anruf',
  'anrufe',
  'anrufer',
  'rückrufnummer',
  'zurückrufen',
  'durchwahl',
  'anrufen',
  'erreichbar',
  // "La gestionnaire du dossier est joignable au 05 31 55 02 52", "reachable at", "localizable en".
  'joignable',
  'reachable',
  'contactable',
  'localizable',
  'erreichst',
  'erreichen',
  'meine nummer',
  'festnetz',
  'téléphone',
  'telephone',
  'numéro de téléphone',
  'portable',
  'mobile',
  'appel',
  'appelez',
  'appeler',
  'appelle',
  'rappelle',
  'rappeler',
  'rappelez',
  'mon numéro',
  'joindre',
  'tél',
  'tél.',
  'teléfono',
  'telefono',
  'número de teléfono',
  'móvil',
  'movil',
  'celular',
  'llámame',
  // Dialling in Spanish ("Le marco al 312 688 5198", "márcame al …").
  'le marco',
  'te marco',
  'marcar al',
  'márcame',
  'marcame',
  'márcale',
  'marcale',
  'mi número',
  'llamar',
  'llame',
  'llamada',
  'llámanos',
  'llamanos',
  'ping me',
  'my number',
  'reach',
  'office',
  'desk',
  'help desk',
  'service desk',
  'direct line',
  // Teams and Zoom dial-in blocks ("Oder rufen Sie an (nur Audio)", "Call in (audio only)").
  // Signature labels ("Rachel Moreau | Account Manager<br>M: (742) 502-4435 | E: …").
  'm:',
  't:',
  'p:',
  'ph:',
  'mob:',
  'toll-free',
  'local rate',
  'local-rate',
  'toll free',
  'tollfree',
  'freephone',
  'numéro vert',
  'línea gratuita',
  'einwahl',
  'einwahlnummer',
  'dial-in',
  'dial in',
  'audio only',
  'nur audio',
  'rufen sie an',
  'audio uniquement',
  'solo audio',
  'voicemail',
  'text',
  'mob',
  'cel',
]);

/**
 * Labels that name the number right after them as a phone number (`MSISDN: 4915112345678`, `Rufnummer 0170 …`):
 * stronger than a device word before them or a card's Luhn; unlike KW_PHONE's "phone" of "IMEI of the lost
 * phone: 861547647632791", which names the device.
 */
export const KW_PHONE_NUMBER_LABEL = keywordList('phone_number_label', [
  // A contact centre's caller and dialled numbers (Automatic Number Identification, Dialed Number Identification).
  'ani',
  'dnis',
  'msisdn',
  'phone number',
  'phone no',
  'telephone number',
  'mobile number',
  'tel',
  'tel.',
  'telefonnummer',
  'rufnummer',
  'handynummer',
  'mobilnummer',
  'numéro de téléphone',
  'numéro de portable',
  'número de teléfono',
  'número de móvil',
]);

export const KW_IP = keywordList('ip', [
  'ip',
  // Claim and field names of tokens and logs (`"ipaddr": "152.156.84.153"` in an Entra id_token, `remote_addr`).
  'ipaddr',
  'ip_addr',
  'ipaddress',
  'clientip',
  'client_ip',
  'remote_addr',
  'remoteaddr',
  'src_ip',
  'dst_ip',
  'resolver',
  // Log lines of refused and dropped connections name the peer's address ("connexion refusée depuis 198.51.100.74").
  'connection refused',
  'connection reset',
  'connexion refusée',
  'verbindung abgelehnt',
  'conexión rechazada',
  // SPF mechanisms (`v=spf1 ip4:196.144.247.90 ip6:2607:f8b0::c1`) name sending hosts.
  'ip4',
  'ip6',
  // Console dev kits are reached by address ("Das Devkit hängt unter 24.105.151.186").
  'devkit',
  'dev kit',
  'ip address',
  'ip addresses',
  'ipv4',
  'ipv6',
  'internet protocol',
  'host',
  'server',
  'gateway',
  'dns',
  'subnet',
  'address',
  'ip-adresse',
  // A device's last known address ("Letzte bekannte Adresse: 39.149.98.34, Firmware 5.6.9.20"); `Adresse` alone is as
  // often a postal or e-mail address.
  'bekannte adresse',
  'letzte adresse',
  'dernière adresse connue',
  'última dirección conocida',
  'adresse ip',
  'dirección ip',
  'direccion ip',
  // Where an address is named as one: these outrank a farther version word (see KW_VERSION_CONTEXT).
  'serveur',
  'servidor',
  'hôte',
  'ping',
  'ssh',
  'rdp',
  'port',
  'vpn',
  'proxy',
  'firewall',
  'router',
  'routeur',
  'endpoint',
  'network',
  'networks',
  'servers',
  'hosts',
  'gateways',
  'routers',
  'relay',
  'addresses',
  'lan',
  'wlan',
  'vlan',
  'netzwerk',
  'réseau',
  'red',
  'dhcp',
  'nat',
  'vm',
  'allowlist',
  'whitelist',
  // Hosts named by their role ("Build-Agent 10.103.9.239"): nearer than the `build` of KW_NOT_IP.
  'build agent',
  'build server',
  'build host',
  'build machine',
  'build node',
  'update server',
  'release server',
]);

/**
 * Words around a version number that a dotted quad of small numbers (each ≤ 99) follows or precedes:
 * "mise à jour en 2.0.1.3", "auf 4.2.0.1 aktualisiert", "Treiber 6.4.12.2", "SNMP walk of 1.3.6.1". Weaker than
 * KW_NOT_IP: an address word (KW_IP) nearer to the number wins, and `10.x` quads are never judged by them.
 */
export const KW_VERSION_CONTEXT = keywordList('version_context', [
  // KW_NOT_IP takes a version word right before the number (24 characters); here it also covers the second
  // version of "version 2.14.3.7 has the leak; 2.14.4.1 fixes it", for small-number quads only.
  'version',
  'versions',
  // Spanish and German update verbs ("actualizar los codificadores a la 9.1.3.146").
  'actualizar',
  'actualizamos',
  'actualizado',
  'aktualisiert',
  'aktualisieren',
  // Android and iOS build settings ("versionName stays 3.14.7.41").
  'versionname',
  'version_name',
  'versioncode',
  'cfbundleshortversionstring',
  'versión',
  'versiones',
  'update',
  'updated',
  'updates',
  'updating',
  'upgrade',
  'upgraded',
  'upgrading',
  'patched',
  'hotfix',
  'release',
  'released',
  'installed',
  'install',
  'rollout',
  'driver',
  'drivers',
  'firmware',
  'plugin',
  'plug-in',
  'package',
  'library',
  'module',
  'snmp',
  'mib',
  'oid',
  'aktualisiert',
  'aktualisierung',
  'aktualisieren',
  'installiert',
  'treiber',
  'paket',
  'modul',
  'mise à jour',
  'mis à jour',
  'mise a jour',
  'passé en',
  'passe en',
  'pilote',
  'paquet',
  'correctif',
  'installé',
  'actualizado',
  'actualizada',
  'actualización',
  'actualizacion',
  'actualizar',
  'controlador',
  'paquete',
  'parche',
  'instalado',
  // "Control software 5.9.13.16": a small-number quad after a software word (an address word nearer still wins).
  'software',
  'logiciel',
]);

/**
 * Abbreviations that head a version column in device tables ("FW" over `5.30.177.206`); only column headers read them
 * (before a number in a sentence, "FW" is as often a firewall).
 */
export const KW_VERSION_COLUMN = keywordList('version_column', [
  'fw',
  'sw',
  'fw version',
  'sw version',
  'rev',
]);

/** Maintenance windows and releases to production: a message with one and no network word is about versions. */
export const KW_RELEASE_EVENT = keywordList('release_event', [
  'wartungsfenster',
  'maintenance window',
  'upgrade window',
  'release window',
  'mise en prod',
  'mise en production',
  'montée de version',
  'release notes',
  'changelog',
  'notes de version',
  'versionshinweise',
  'ventana de mantenimiento',
]);

/** Words that name a sum: a dotted number with three-digit groups in their clause is that sum (see the IP detector). */
export const KW_AMOUNT = keywordList('amount', [
  'total',
  'sum',
  'amount',
  'montant',
  'somme',
  'betrag',
  'summe',
  'gesamtbetrag',
  'importe',
  'monto',
  'suma',
  'saldo',
  'solde',
  'balance',
]);

/** Mobile platforms, named right after an app's version ("6.2.1.31 en Android 15", "3.5.18.119, iOS 17.4"). */
export const KW_MOBILE_PLATFORM = keywordList('mobile_platform', ['android', 'ios', 'ipados', 'watchos']);

/** Words that name a version itself: in a quad's clause they make even a public, large-numbered quad a version. */
export const KW_VERSION_WORD = keywordList('version_word', [
  'version',
  'versions',
  'versión',
  'versiones',
  'versionen',
  'firmware',
  'firmwareversion',
  // German compounds that name the version of what they start with ("die i40e-Treiberversion im Image: 2.24.20.4").
  'treiberversion',
  'softwareversion',
  'imageversion',
  // A changelog's heading and "fixed in" name the version that follows ("Änderungsprotokoll 7.2.1.235").
  'changelog',
  'änderungsprotokoll',
  'release notes',
  'versionshinweise',
  'journal des modifications',
  'notes de version',
  'registro de cambios',
  'notas de la versión',
  'fixed in',
  'behoben in',
  'corrigé dans',
  'corregido en',
  'micrologiciel',
]);

/**
 * Participles of releasing ("WinCC OA 5.11.24.235 ist freigegeben", "publiée", "publicada"): they make a quad a
 * version only when no address word stands in its clause, since "freigegeben" also means approved ("feste IP für den
 * SFTP-Zugang freigegeben: 185.64.170.149").
 */
export const KW_RELEASED_WORD = keywordList('released_word', ['freigegeben', 'publiée', 'publicada']);

/** Words that make a dotted quad a version, section or OID rather than an address. */
export const KW_NOT_IP = keywordList('not_ip', [
  // Bill-of-quantities positions (German "OZ 6.6.7.84", Ordnungszahl).
  'oz',
  'ordnungszahl',
  'version',
  'versions',
  'ver',
  'v',
  'build',
  'release',
  'section',
  'sections',
  'chapter',
  'clause',
  'oid',
  'firmware',
  // A device's boot firmware ("bootloader unchanged (1.0.3.9)").
  'bootloader',
  'sdk',
  'package',
  'npm',
  'nuget',
  'pip',
  'upgrade',
  'bump',
  'bumped',
  'tag',
  'tagged',
  'assembly',
  'assemblyversion',
  'fileversion',
  'productversion',
  'runtime',
  'driver',
  'versión',
  'versao',
  'versão',
  'fassung',
  // German software and firmware levels ("mit SW-Stand 10.3.6.26 geflasht").
  'sw-stand',
  'softwarestand',
  'software-stand',
  'firmwarestand',
  'fw-stand',
  'build number',
  'buildnummer',
  'update',
  'updated',
  'kernel',
  'noyau',
  'núcleo',
  'patch',
  'rev',
  'revision',
  // The section words of the other languages (a blind set's "Abschnitt 4.2.1.3"). Inflected update words
  // ("Upgrading the agent from 2.4.1.0") are in KW_VERSION_CONTEXT, where a nearer address word still wins.
  'step',
  'schritt',
  'étape',
  'paso',
  'abschnitt',
  'abschnittsnummer',
  'section number',
  'kapitel',
  'absatz',
  'ziffer',
  // A contract's clause ("Vertragsziffer 3.4.1.2: Zertifikat innerhalb von 10 Werktagen").
  'vertragsziffer',
  'chapitre',
  'paragraphe',
  'capítulo',
  'apartado',
  'sección',
  'paragraph',
  // Requirement and annex numbers of standards and questionnaires ("requirement 9.9.4.8 (traceability)").
  'requirement',
  'requirements',
  'req',
  // Standard operating procedures are numbered like sections ("Per SOP 2.7.3.4 the call-taker stays on the line").
  'sop',
  'annex',
  'appendix',
  'appendices',
  'appendice',
  'apéndice',
  // Abbreviated clause and article words of German, French and Spanish legal text ("Ziff. 4.2.1.3 des
  // Rahmenvertrags (Anlage 2.1.1.5)", "art. 4.2.1.3 du contrat-cadre", "al. 2.1.3.4", "apdo. 3.2.1.1").
  // With their dot, which would otherwise end the sentence between the word and the number ("Req. 10.2.2.1").
  'req.',
  'sec.',
  'cl.',
  'para.',
  // "Au point 7.6.9.8 du CCTP", "selon le point 7.2.1.4 du référentiel" (a bare `point` or `le point` is left out:
  // "access point 10.…", "le point d'accès 10.…").
  'au point',
  'du point',
  'selon le point',
  'voir le point',
  'ziff',
  'ziff.',
  // German outline and margin numbers ("Gliederungspunkt 2.1.10.5 des SPA-Entwurfs", "Nr. 2.3.1.4 der
  // Verwaltungsvorschrift", "Tz. 3.1.2.4", "Rn. 4.2.1.1"); three letters or fewer name only a quad right after them.
  'gliederungspunkt',
  'gliederungsnummer',
  'textziffer',
  'tz.',
  'randnummer',
  'rn.',
  'nr.',
  'anlage',
  'art',
  'art.',
  'abs.',
  'al.',
  'alinéa',
  'apdo',
  'apdo.',
  'anforderung',
  'anhang',
  'exigence',
  'annexe',
  'requisito',
  'anexo',
  // Clause, article and records-series numbers of contracts and retention schedules ("cláusula 14.2.3.1",
  // "l'article 4.2.1.3", "Records series 4.2.1.3"). Not `point` or `rule`: "access point 10.…", "firewall rule 10.…".
  'cláusula',
  'clausula',
  // Mexican and Latin American contracts number their sub-clauses as incisos ("Ver inciso 4.3.2.1 del contrato").
  'inciso',
  'klausel',
  'article',
  'articles',
  'artikel',
  'artículo',
  'articulo',
  'series',
  'serie',
  'série',
  // "see para 4.3.9.7 of the manual": English `para` only after these verbs, since Spanish `para` is "for".
  'see para',
  'per para',
  'under para',
  'in para',
  // Enzyme commission numbers ("EC 1.1.1.27"), figures, agenda items (German TOP, Tagesordnungspunkt), contract and
  // bill-of-quantities positions and case files ("Vertragsnummer 3.1.3.3", "LV-Position 3.9.1.2", "expediente 2.8.9.1").
  'ec',
  'enzyme',
  'figure',
  'fig',
  'fig.',
  'abbildung',
  'abb.',
  'figura',
  'agenda item',
  'item',
  'top',
  'tagesordnungspunkt',
  'vertragsnummer',
  'lv-position',
  'position',
  'expediente',
  // Museum and archive object numbers ("Object number 64.186.10.8 (the lacquer writing box)").
  'object number',
  'object no',
  'object no.',
  'objektnummer',
  'accession number',
  'accession no',
  'accession no.',
  'inventory number',
  'inventarnummer',
  'número de inventario',
  'número de objeto',
]);

export const KW_AZURE_STORAGE = keywordList('azure_storage', [
  'accountkey',
  // The SDKs' credential classes ("new StorageSharedKeyCredential(account, key)").
  'storagesharedkeycredential',
  // The Azure Files CSI driver's Kubernetes Secret keys.
  'azurestorageaccountkey',
  'azurestorageaccountname',
  'sharedkeycredential',
  'blobserviceclient',
  'account key',
  'storage key',
  'storage account',
  'storage account key',
  'access key',
  'accesskey',
  'sharedaccesskey',
  'shared key',
  'primary key',
  'secondary key',
  'key1',
  'key2',
  'azure storage',
  'blob',
  'storage',
  'speicherkonto',
  'speicherschlüssel',
  'zugriffsschlüssel',
  'clé de stockage',
  'compte de stockage',
  'clé d’accès',
  "clé d'accès",
  'cuenta de almacenamiento',
  'clave de acceso',
  'clave de almacenamiento',
]);

export const KW_AWS_SECRET = keywordList('aws_secret', [
  'aws_secret_access_key',
  'aws secret access key',
  'secret access key',
  'secretaccesskey',
  'aws secret',
  'aws_secret',
  // Not 'secret key' / `secret_key` alone: Django, Flask and dealer portals name their secrets so too (contract §9.3
  // wants an AWS key id or "secret access key"); s3cmd's and Terraform's `secret_key` come with either.
  'aws',
  'aws_access_key_id',
  'access key id',
  'amazon',
  'iam',
  'set-awscredential',
  'geheimer zugriffsschlüssel',
  'clé d’accès secrète',
  "clé d'accès secrète",
  'clave de acceso secreta',
]);

export const KW_CREDENTIAL = keywordList('credential', [
  'key',
  'secret',
  'token',
  'password',
  'credential',
  'credentials',
  'api key',
  'apikey',
  'client secret',
  'app secret',
  'schlüssel',
  'geheimnis',
  'passwort',
  'kennwort',
  'clé',
  'secret',
  'mot de passe',
  'clave',
  'secreto',
  'contraseña',
]);

/**
 * Phrases that mark the surrounding value as a fake/demo; checked in a short window around a candidate (see
 * markedFake). Negatable: "not the placeholder", "no dummy data" say the value is real.
 */
export const KW_FAKE = keywordList(
  'fake',
  [
    'fake',
    'dummy',
    'placeholder',
    'redacted',
    'not a real',
    'not real',
    'mock',
    'made-up',
    'made up',
    'test card',
    'test number',
    'platzhalter',
    'exemple fictif',
    'ficticio',
    'ficticia',
    'falso',
    'falsa',
  ],
  { negatable: true },
);

/** "The dummy IBAN …; the supplier's real account is …": a word that turns from a fake value to a real one. */
export const KW_REAL = keywordList('real', [
  'real',
  'actual',
  'echte',
  'echten',
  'echter',
  'richtige',
  'richtigen',
  'vrai',
  'vraie',
  'véritable',
  'verdadero',
  'verdadera',
  // "Old SSN on file 000-00-0000 (blank placeholder from the import), correct SSN 522-90-5893."
  'correct',
  'corrected',
  'korrekte',
  'korrekten',
  'correcte',
  'correcto',
  'correcta',
]);

/** Health-service number labels: NHS numbers are ten digits, written 3-3-4 like a North American phone. */
export const KW_HEALTH_ID = keywordList('health_id', [
  'nhs',
  'nhs number',
  'nhs no',
  'nhs-nummer',
  'chi number',
]);

/**
 * ERP vendor (supplier, creditor) number labels: "Brightwater Supply Co. – vendor 0000395622" names a vendor record, not
 * a bank account, even with the vendor's bank details on the next row. Not phone context either way: "Mumbai vendor:
 * 022 2674 1180" is the vendor's phone, so these words stay out of KW_NOT_PHONE.
 */
export const KW_VENDOR_LABEL = keywordList('vendor_label', [
  'vendor',
  'vendor no',
  'vendor number',
  'vendor id',
  'supplier no',
  'supplier number',
  'lieferantennr',
  'lieferantennummer',
  'kreditor',
  'kreditorennr',
  'kreditorennummer',
  'n° fournisseur',
  'numéro fournisseur',
  'número de proveedor',
]);

/** Words right before a phone-shaped number that make it an identifier (used when no phone keyword is near). */
export const KW_NOT_PHONE = keywordList('not_phone', [
  // HMRC's Unique Taxpayer Reference, ten digits often written 5 5 ("Corporation tax UTR 36613 21588").
  'utr',
  'order',
  'order no',
  'order number',
  'invoice',
  'ticket',
  // Baggage tags: ten digits (airline code and serial) that read like a landline ("Gepäckanhänger 0220 042167").
  'bag tag',
  'baggage tag',
  'gepäckanhänger',
  'gepäckschein',
  'étiquette bagage',
  'etiqueta de equipaje',
  // Airline e-tickets: 13 digits, written 3-10 like an international call ("e-ticket no. 006-9044772121").
  'ticket no',
  'ticket no.',
  'ticket number',
  'e-ticket',
  'eticket',
  'billet électronique',
  'billete electrónico',
  // Customer accounts, work orders and serial numbers in German ("Kundenkonto 5480984043", "Auftragsnr. 4286264462",
  // "Akku-Seriennr. 042-658-8013"), French identifiers, UCAS ids and commercial driver's licences.
  'kundenkonto',
  // Delivery notes ("Lieferschein 7283027827" in a product recall, whose "Rückruf" reads as a call-back word). Not the
  // French "bon de livraison": "il n'a pas le bon de livraison. Son numéro : 07 54 40 32 02" gives a phone.
  'lieferschein',
  'lieferscheinnr',
  'lieferscheinnummer',
  'auftragsnr',
  'auftragsnr.',
  'auftragsnummer',
  'seriennr',
  'seriennr.',
  'seriennummer',
  'identifiant',
  'ucas',
  'cdl',
  'case',
  'ref',
  'reference',
  'tracking',
  'po',
  'sku',
  'serial',
  'part',
  'id',
  // A payment terminal's merchant and terminal ids ("Händler-ID (MID) 004550132922674, Terminal-ID 40656679").
  'mid',
  'tid',
  'confirmation',
  // Hotel and rental confirmations ("Hotel conf. 84512239877"), localised booking and ticket numbers.
  'conf',
  'conf.',
  'bestätigungsnummer',
  'buchungsnummer',
  'ticketnummer',
  'numéro de confirmation',
  'billet',
  'número de confirmación',
  'localizador',
  'booking',
  'reservation',
  'claim',
  'policy',
  'customer',
  'member',
  // Frequent-flyer and loyalty numbers in traveller profiles ("Miles & More\t992 000 273 878 122").
  'miles & more',
  'miles and more',
  'frequent flyer',
  'frequent flier',
  'flying blue',
  'vielflieger',
  'vielfliegernummer',
  'executive club',
  'mileageplus',
  'skymiles',
  'iberia plus',
  'loyalty',
  'fidélité',
  'transaction',
  // Its short forms as query and log fields (`&txn=2272010341`, `txn_id=…`).
  'txn',
  'txnid',
  'txn_id',
  'batch',
  // Teams meeting invitations: the meeting and phone-conference ids sit right under the dial-in numbers.
  'meeting id',
  // Webex: "Meeting number (access code): 2154 866 5443".
  'meeting number',
  // Certificates (a DBS check's "Certificate number 003083875831" starts like an international call).
  's/n',
  'ids',
  'emp',
  'emp id',
  'loan',
  'loan no',
  'loan number',
  // Trusted-traveller and trip numbers sit next to passports in travel profiles.
  'ktn',
  'known traveler number',
  'known traveller number',
  'global entry',
  'redress number',
  'trip number',
  'certificate number',
  'certificate no',
  'zertifikatsnummer',
  'numéro de certificat',
  'número de certificado',
  'access code',
  'numéro de réunion',
  'numéro de la réunion',
  "code d'accès",
  'code d’accès',
  'zugriffscode',
  // Clinical identifiers: provider (NPI), prescriber (DEA) and medical record numbers.
  'npi',
  'dea',
  'mrn',
  'medical record number',
  // Shipping documents and logistics ids: waybills, air waybills (LTA), pallet (SSCC/NVE) and trade item codes.
  'waybill',
  'air waybill',
  'awb',
  'lta',
  'frachtbrief',
  'sendungsnummer',
  'sscc',
  'nve',
  'gtin',
  'ean',
  // Tax ids (Steuer-ID, Steuernummer): out of scope (§9.5), eleven digits like an account number.
  'steuer-id',
  'steuerid',
  'steuernummer',
  'steueridentifikationsnummer',
  // French company numbers (SIRET, SIREN): Luhn-valid by design.
  'siret',
  'siren',
  // VAT ids: a country code, then digits that read like a call ("TVA FR 42 284771906" in a letterhead after Tél. and Fax).
  'tva',
  'vat',
  'ust-id',
  'ust-idnr',
  'ust-idnr.',
  'intracom',
  'intracom.',
  'intracommunautaire',
  // Parcels: a tracking number right after the word ("Your package 7268 9633 3113 is out for delivery").
  'package',
  'parcel',
  'shipment',
  'paket',
  'sendung',
  'colis',
  'paquete',
  // Prepaid coupons and vouchers read out to scammers ("Transcash : 199369072878").
  'coupon',
  'coupons',
  'voucher',
  'gutschein',
  'transcash',
  'neosurf',
  'paysafecard',
  // Airline e-ticket numbers ("Old ETKT" over `006 5817766288`).
  'etkt',
  'e-ticket',
  'eticket',
  'tkt',
  // Production lots and batches ("Affected lot 2320425410").
  'lot',
  'lot number',
  'lot no',
  'lote',
  'numéro de lot',
  'chargennummer',
  // Carrier and service-desk incident numbers ("Störungsnummer 1950383229"), and emergency services' ("Einsatz
  // 2405067530: Angehörige bittet um Rückruf …", "Intervention 2024782632 – feu de cuisine").
  'störungsnummer',
  'incident',
  'incident number',
  'incidencia',
  'einsatz',
  'einsatznr',
  'einsatznr.',
  'einsatznummer',
  'intervention',
  "n° d'intervention",
  "numéro d'intervention",
  'id de la réunion',
  'id de réunion',
  'id de conférence',
  'conférence téléphonique',
  'id. de reunión',
  'id de reunión',
  'id. de conferencia',
  'id de conferencia',
  'conferencia telefónica',
  'passcode',
  'kenncode',
  'code secret',
  'código de acceso',
  'bestellung',
  'bestellnummer',
  'rechnung',
  'auftrag',
  'commande',
  'facture',
  'dossier',
  'pedido',
  'factura',
  'expediente',
  // Customer, contract and file numbers of telecom and utility accounts ("Kundennummer 1002345678").
  'kundennummer',
  'kundennr',
  'vertragsnummer',
  'vorgangsnummer',
  'aktenzeichen',
  'numéro client',
  'numéro de client',
  'numéro de contrat',
  'número de cliente',
  'número de contrato',
  // Contracts and clients named by their bare word ("El contrato 946-944-7025 vence…", "Le client n° 8035721778").
  'contract',
  'contrat',
  'contrato',
  'vertrag',
  'client n°',
  'client no',
  'cliente n°',
  // Employee numbers in German, French and Spanish ("Personalnummer 842609606", "matricule interne 017136697").
  'personalnummer',
  'personalnr',
  'personalnr.',
  'mitarbeiternummer',
  'matricule',
  'matricule interne',
  'número de empleado',
  'numero de empleado',
  // The id of a call in a call log ("Call ID" over 12-digit ids next to a "From" column).
  'call id',
  // Company, tax and social-insurance ids of Belgium and Latin America ("N° entreprise 0647.696.417", "CUIT
  // 33-56687204-3", "NSS: 06944299523"): national ids, out of scope, and no phones.
  'n° entreprise',
  'numéro d’entreprise',
  "numéro d'entreprise",
  'ondernemingsnummer',
  'enterprise number',
  'company number',
  'cuit',
  'cuil',
  'nss',
  'curp',
  'rfc',
  // Utility meter and supply-point numbers (MPAN, MPRN, Zählernummer, PDL, CUPS): "MPRN 7845123690".
  'mpan',
  'mprn',
  'meter',
  'meter number',
  'meter no',
  'zähler',
  'zählernummer',
  'zählpunkt',
  'compteur',
  'pdl',
  'pce',
  'cups',
  'contador',
  // Account labels (CRM records, customer accounts): "Account 42975896870 in Salesforce".
  'account',
  'acct',
  'konto',
  'compte',
  'cuenta',
  // Part numbers ("PN 9738635-156", "P/N 4081247-902").
  'pn',
  'p/n',
  'part number',
  'teilenummer',
  'sachnummer',
  // Mobile-network cell identities ("NR cell NCI 7276997785 keeps flapping, gNB-ID 613239").
  'nci',
  'eci',
  'ecgi',
  'ncgi',
  'cgi',
  'gnb-id',
  'enb-id',
  'cell id',
  'cell identity',
  // Company identifiers of public procurement, nine digits like an SSN ("DUNS 656332210 is the company").
  'duns',
  'duns number',
  'uei',
  'cage',
  'cage code',
]);

/**
 * Air waybill labels. An air waybill number is an airline's three-digit prefix and eight digits (`020-03477653`), and
 * after a trunk 0 it reads as a national phone number; the label right before it names it whatever phone word is near.
 * KW_NOT_PHONE lists the common ones too, as identifier labels of numbers in no phone format.
 */
export const KW_WAYBILL = keywordList('waybill', [
  'air waybill',
  'airway bill',
  'air way bill',
  'waybill',
  'awb',
  'awb no',
  'awb no.',
  'awb number',
  'mawb',
  'hawb',
  'luftfrachtbrief',
  'luftfrachtbriefnummer',
  'frachtbrief',
  'frachtbriefnummer',
  'lta',
  'lettre de transport aérien',
  'guía aérea',
  'guia aerea',
  'conocimiento aéreo',
]);

/** Words that make a card-length number a device id (IMEI), tracking number or product code (EAN, GTIN) rather than a card. */
export const KW_DEVICE = keywordList('device', [
  // Article numbers (EAN-13 codes that pass Luhn with a Visa prefix: "51x Artikel 4057404058782") and French company
  // numbers (a SIRET can start like a Diners card).
  'artikel',
  'artikelnummer',
  'article number',
  'siret',
  'siren',
  'imei',
  'imeisv',
  'meid',
  'serial',
  'serial number',
  'serial no',
  'seriennummer',
  'device id',
  'iccid',
  'tracking number',
  'tracking no',
  'tracking #',
  'sendungsnummer',
  'numéro de suivi',
  'número de seguimiento',
  // Product codes: an EAN-13 or GTIN can pass Luhn with a card's prefix ("nitrile gloves M — EAN 4164458537917"), and
  // a list of them is named once ("die EANs im Datenblatt sind 4088400773249 (250 g) und …").
  'ean',
  'eans',
  'ean13',
  'upc',
  'upcs',
  'gtin',
  'gtins',
  'barcode',
  'barcodes',
  'bar code',
  'isbn',
  'strichcode',
  'code-barres',
  'code barre',
  'código de barras',
]);
