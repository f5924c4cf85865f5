/**
 * Deterministic Teams traffic for the Graph simulator: a small tenant (users, teams, channels, chats) and
 * realistic `chatMessage` JSON (channel posts and replies, chats, HTML with mentions, code blocks, file
 * references, adaptive and code-snippet cards), with sensitive data planted at a configurable share.
 * Same seed ⇒ same tenant and same message sequence. Planted values look real (Luhn-valid card numbers outside
 * the processors' published test ranges, checksummed IBANs, GitHub tokens with a valid CRC32 suffix) so a
 * detector's validators are exercised, and every plant is recorded as ground truth.
 */

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for test traffic, and reproducible from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}
function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => int(rng, 0, 9)).join('');

// ---------- sensitive values ----------

export type SensitiveType = 'credit_card' | 'us_ssn' | 'iban' | 'aws_access_key_id' | 'github_token';
export const SENSITIVE_TYPES: readonly SensitiveType[] = [
  'credit_card',
  'us_ssn',
  'iban',
  'aws_access_key_id',
  'github_token',
];

/** Published processor test numbers: detectors may (rightly) treat them as non-sensitive, so never plant them. */
const TEST_CARD_NUMBERS = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4000056655665556',
  '5555555555554444',
  '5105105105105100',
  '5200828282828210',
  '2223003122003222',
  '378282246310005',
  '371449635398431',
  '6011111111111117',
]);

export function luhnCheckDigit(partial: string): number {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLuhnValid(number: string): boolean {
  const clean = number.replace(/\D/g, '');
  return clean.length > 1 && luhnCheckDigit(clean.slice(0, -1)) === Number(clean.at(-1));
}

function creditCard(rng: Rng): string {
  for (;;) {
    const prefix = pick(rng, ['4', '51', '52', '53', '54', '55', '2221', '2720']);
    const body = prefix + digits(rng, 15 - prefix.length);
    const number = body + luhnCheckDigit(body);
    if (TEST_CARD_NUMBERS.has(number) || /^(\d)\1+$/.test(number.slice(1, -1))) continue;
    const style = int(rng, 0, 2);
    if (style === 0) return number;
    const sep = style === 1 ? ' ' : '-';
    return number.match(/.{4}/g)?.join(sep) ?? number;
  }
}

function ssn(rng: Rng): string {
  for (;;) {
    const area = int(rng, 1, 899);
    if (area === 666) continue;
    const group = int(rng, 1, 99);
    const serial = int(rng, 1, 9999);
    const value = `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
    if (value === '078-05-1120' || value === '219-09-9999') continue;
    return value;
  }
}

/** ISO 13616 check digits: move country + "00" to the end, letters → numbers, 98 − (n mod 97). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`
    .toUpperCase()
    .replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of rearranged) rem = (rem * 10 + Number(ch)) % 97;
  return String(98 - rem).padStart(2, '0');
}

function iban(rng: Rng): string {
  const country = pick(rng, ['DE', 'GB', 'FR', 'NL']);
  const letters = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(65 + int(rng, 0, 25))).join('');
  const bban =
    country === 'DE'
      ? digits(rng, 18)
      : country === 'GB'
        ? letters(4) + digits(rng, 14)
        : country === 'NL'
          ? letters(4) + digits(rng, 10)
          : digits(rng, 23);
  const value = `${country}${ibanCheckDigits(country, bban)}${bban}`;
  return int(rng, 0, 1) === 0 ? value : (value.match(/.{1,4}/g)?.join(' ') ?? value);
}

function awsKey(rng: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `${pick(rng, ['AKIA', 'ASIA'])}${Array.from({ length: 16 }, () => pick(rng, alphabet.split(''))).join('')}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i);
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
/** GitHub's token format: prefix + 30 random base62 + 6-char base62 CRC32 of the random part. */
export function githubTokenChecksum(random: string): string {
  let n = crc32(random);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
function githubToken(rng: Rng): string {
  const random = Array.from({ length: 30 }, () => BASE62[int(rng, 0, 61)]).join('');
  return `${pick(rng, ['ghp_', 'gho_', 'ghs_'])}${random}${githubTokenChecksum(random)}`;
}

const GENERATORS: Record<SensitiveType, (rng: Rng) => string> = {
  credit_card: creditCard,
  us_ssn: ssn,
  iban,
  aws_access_key_id: awsKey,
  github_token: githubToken,
};

/** Sentences that put a value in the context a human would write it in (context keywords for detectors). */
const CONTEXT: Record<SensitiveType, readonly string[]> = {
  credit_card: [
    'Can you charge the corporate card {v} exp 09/28 for the renewal?',
    'Visa for the booking: {v}',
    'card number {v}, CVV is on the back',
  ],
  us_ssn: [
    'New hire paperwork: SSN {v}, DOB 1988-04-12',
    'her social security number is {v}',
    'SSN: {v} (please keep private)',
  ],
  iban: [
    'Please wire the deposit to IBAN {v}',
    'Bank details for the supplier: {v} BIC DEUTDEFF',
    'updated IBAN {v} for payroll',
  ],
  aws_access_key_id: [
    'aws_access_key_id = {v}',
    'use this key for the bucket: {v}',
    'export AWS_ACCESS_KEY_ID={v}',
  ],
  github_token: ['temporary PAT for the deploy: {v}', 'GITHUB_TOKEN={v}', 'token {v} has repo scope'],
};

const SMALL_TALK = [
  'Morning all, standup moved to 10:15 today.',
  'Thanks, that fixed it.',
  'Can someone review the PR before lunch?',
  'The dashboard numbers look off since yesterday.',
  'Reminder: quarterly planning on Thursday.',
  'I pushed a fix, please pull and retry.',
  'Who owns the onboarding checklist now?',
  'Lunch order closes at 11:30.',
  'Great work on the launch everyone 🎉',
  'Let us take this offline and sync tomorrow.',
  'The vendor call got rescheduled to Friday.',
  'Updated the runbook with the new escalation path.',
];
const SUBJECTS = [
  'Release 4.2 planning',
  'Customer escalation',
  'Budget Q3',
  'Incident review',
  'Welcome!',
  null,
  null,
  null,
];
const FIRST = [
  'Adele',
  'Alex',
  'Diego',
  'Grady',
  'Isaiah',
  'Johanna',
  'Lee',
  'Lidia',
  'Lynne',
  'Megan',
  'Miriam',
  'Nestor',
  'Patti',
  'Pradeep',
];
const LAST = [
  'Vance',
  'Wilber',
  'Siciliani',
  'Archie',
  'Langer',
  'Lauer',
  'Gu',
  'Holloway',
  'Robbins',
  'Bowen',
  'Graham',
  'Wilke',
  'Fernandez',
  'Gupta',
];
const CODE = [
  'const client = new BlobServiceClient(url, credential);\nawait client.getContainerClient("logs").createIfNotExists();',
  "SELECT id, status FROM orders WHERE created_at > now() - interval '1 day';",
  'kubectl rollout restart deployment/api -n prod',
  'def retry(fn, attempts=3):\n    for i in range(attempts):\n        try:\n            return fn()\n        except Exception:\n            time.sleep(2 ** i)',
];

// ---------- tenant model ----------

export interface SimUser {
  id: string;
  displayName: string;
  userIdentityType: 'aadUser' | 'federatedUser';
}
export interface SimChannel {
  teamId: string;
  channelId: string;
  displayName: string;
}
export interface SimChat {
  chatId: string;
  members: SimUser[];
  chatType: 'oneOnOne' | 'group';
}
export interface SimTenant {
  tenantId: string;
  users: SimUser[];
  channels: SimChannel[];
  chats: SimChat[];
}

export function createTenant(rng: Rng, tenantId: string): SimTenant {
  const users: SimUser[] = Array.from({ length: 12 }, (_, i) => ({
    id: uuid(rng),
    displayName: `${FIRST[i % FIRST.length]} ${LAST[(i * 5) % LAST.length]}`,
    userIdentityType: i === 11 ? 'federatedUser' : 'aadUser',
  }));
  const channels: SimChannel[] = [];
  for (let t = 0; t < 3; t++) {
    const teamId = uuid(rng);
    for (let c = 0; c < 2; c++) {
      const token = Array.from({ length: 32 }, () => BASE62[int(rng, 0, 61)]).join('');
      channels.push({
        teamId,
        channelId: `19:${token}@thread.tacv2`,
        displayName: c === 0 ? 'General' : pick(rng, ['Engineering', 'Sales', 'Finance', 'Support']),
      });
    }
  }
  const chats: SimChat[] = [];
  for (let i = 0; i < 6; i++) {
    const a = users[i] as SimUser;
    const b = users[(i + 3) % users.length] as SimUser;
    if (i < 4)
      chats.push({ chatId: `19:${a.id}_${b.id}@unq.gbl.spaces`, members: [a, b], chatType: 'oneOnOne' });
    else {
      const token = Array.from({ length: 32 }, () => (BASE62[int(rng, 0, 61)] as string).toLowerCase()).join(
        '',
      );
      chats.push({
        chatId: `19:${token}@thread.v2`,
        members: [a, b, users[(i + 5) % users.length] as SimUser],
        chatType: 'group',
      });
    }
  }
  return { tenantId, users, channels, chats };
}

// ---------- messages ----------

export interface ChatMessage {
  '@odata.context'?: string;
  id: string;
  replyToId: string | null;
  etag: string;
  messageType: 'message';
  createdDateTime: string;
  lastModifiedDateTime: string;
  lastEditedDateTime: string | null;
  deletedDateTime: string | null;
  subject: string | null;
  summary: string | null;
  chatId: string | null;
  importance: 'normal' | 'high' | 'urgent';
  locale: 'en-us';
  webUrl: string | null;
  from: {
    application: null;
    device: null;
    user: {
      '@odata.type'?: string;
      userIdentityType: string;
      id: string;
      displayName: string;
      tenantId?: string;
    };
  };
  body: { contentType: 'text' | 'html'; content: string };
  channelIdentity: { teamId: string; channelId: string } | null;
  attachments: Array<{
    id: string;
    contentType: string;
    contentUrl: string | null;
    content: string | null;
    name: string | null;
    thumbnailUrl: null;
    teamsAppId: null;
  }>;
  mentions: Array<{
    id: number;
    mentionText: string;
    mentioned: {
      application: null;
      device: null;
      conversation: null;
      user: { id: string; displayName: string; userIdentityType: string; tenantId: string };
    };
  }>;
  policyViolation: unknown;
  reactions: unknown[];
  replies: unknown[];
  hostedContents: unknown[];
  eventDetail: null;
}

export interface Planted {
  type: SensitiveType;
  value: string;
  /** Where it sits: body text, a code block, a card's content, or an attachment name. */
  location: 'body' | 'code' | 'card' | 'attachment-name';
}

export interface GeneratedMessage {
  message: ChatMessage;
  /** Graph resource path of the message, e.g. `chats('…')/messages('…')`. */
  resource: string;
  planted: Planted[];
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function messageResource(
  m: Pick<ChatMessage, 'id' | 'replyToId' | 'chatId' | 'channelIdentity'>,
): string {
  if (m.chatId) return `chats('${m.chatId}')/messages('${m.id}')`;
  const c = m.channelIdentity as { teamId: string; channelId: string };
  return m.replyToId
    ? `teams('${c.teamId}')/channels('${c.channelId}')/messages('${m.replyToId}')/replies('${m.id}')`
    : `teams('${c.teamId}')/channels('${c.channelId}')/messages('${m.id}')`;
}

export interface BodyParts {
  html: string;
  text: string;
  attachments: ChatMessage['attachments'];
  mentions: ChatMessage['mentions'];
  planted: Planted[];
}

/** One message body: chatter, maybe a mention, maybe a code block or card, maybe a planted sensitive value. */
export function generateBody(
  rng: Rng,
  tenant: SimTenant,
  audience: SimUser[],
  sensitiveShare: number,
): BodyParts {
  const planted: Planted[] = [];
  const attachments: ChatMessage['attachments'] = [];
  const mentions: ChatMessage['mentions'] = [];
  const parts: string[] = [];
  const textParts: string[] = [];
  if (rng() < 0.3 && audience.length > 0) {
    const who = pick(rng, audience);
    mentions.push({
      id: 0,
      mentionText: who.displayName,
      mentioned: {
        application: null,
        device: null,
        conversation: null,
        user: {
          id: who.id,
          displayName: who.displayName,
          userIdentityType: 'aadUser',
          tenantId: tenant.tenantId,
        },
      },
    });
    parts.push(`<at id="0">${escapeHtml(who.displayName)}</at>`);
  }
  const chatter = pick(rng, SMALL_TALK);
  parts.push(escapeHtml(chatter));
  textParts.push(chatter);
  const sensitive = rng() < sensitiveShare;
  const type = sensitive ? pick(rng, SENSITIVE_TYPES) : undefined;
  const value = type ? GENERATORS[type](rng) : undefined;
  const placement = rng();
  if (type && value) {
    const sentence = pick(rng, CONTEXT[type]).replace('{v}', value);
    if (placement < 0.6) {
      parts.push(`<p>${escapeHtml(sentence)}</p>`);
      textParts.push(sentence);
      planted.push({ type, value, location: 'body' });
    } else if (placement < 0.75) {
      parts.push(`<codeblock class="Text"><code>${escapeHtml(sentence)}</code></codeblock>`);
      planted.push({ type, value, location: 'code' });
    } else if (placement < 0.9) {
      const id = uuid(rng);
      const card = {
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', text: 'Payment details', weight: 'bolder' },
          { type: 'TextBlock', text: sentence, wrap: true },
        ],
      };
      attachments.push({
        id,
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: JSON.stringify(card),
        name: null,
        thumbnailUrl: null,
        teamsAppId: null,
      });
      parts.push(`<attachment id="${id}"></attachment>`);
      planted.push({ type, value, location: 'card' });
    } else {
      const id = uuid(rng).toUpperCase();
      const name = `export-${value.replace(/\s/g, '')}.xlsx`;
      attachments.push({
        id,
        contentType: 'reference',
        contentUrl: `https://contoso.sharepoint.com/sites/finance/Shared%20Documents/${encodeURIComponent(name)}`,
        content: null,
        name,
        thumbnailUrl: null,
        teamsAppId: null,
      });
      parts.push(`<attachment id="${id}"></attachment>`);
      planted.push({ type, value: value.replace(/\s/g, ''), location: 'attachment-name' });
    }
  }
  if (rng() < 0.12) {
    const code = pick(rng, CODE);
    if (rng() < 0.5) parts.push(`<pre><code>${escapeHtml(code)}</code></pre>`);
    else {
      const id = uuid(rng);
      attachments.push({
        id,
        contentType: 'application/vnd.microsoft.card.codesnippet',
        contentUrl: `https://graph.microsoft.com/v1.0/chats/x/messages/y/hostedContents/${id}/$value`,
        content: JSON.stringify({
          language: 'TypeScript',
          wrap: false,
          codeSnippetUrl: `hostedContents/${id}`,
        }),
        name: null,
        thumbnailUrl: null,
        teamsAppId: null,
      });
      parts.push(`<attachment id="${id}"></attachment>`);
    }
  }
  if (rng() < 0.08) {
    const id = uuid(rng).toUpperCase();
    const name = pick(rng, ['Roadmap.pptx', 'notes.docx', 'budget.xlsx']);
    attachments.push({
      id,
      contentType: 'reference',
      contentUrl: `https://contoso.sharepoint.com/sites/team/Shared%20Documents/${name}`,
      content: null,
      name,
      thumbnailUrl: null,
      teamsAppId: null,
    });
    parts.push(`<attachment id="${id}"></attachment>`);
  }
  return {
    html: parts
      .map((p) =>
        p.startsWith('<p>') || p.startsWith('<pre>') || p.startsWith('<codeblock') ? p : `<p>${p}</p>`,
      )
      .join(''),
    text: textParts.join(' '),
    attachments,
    mentions,
    planted,
  };
}

export interface NewMessageInput {
  id: string;
  at: Date;
  author: SimUser;
  tenant: SimTenant;
  body: BodyParts;
  where:
    | { kind: 'channel'; channel: SimChannel; replyToId: string | null; subject: string | null }
    | { kind: 'chat'; chat: SimChat };
}

/** Teams sends `contentType: text` only for bodies without markup: no mentions, attachments or code blocks. */
export function canBePlainText(body: BodyParts): boolean {
  return (
    body.mentions.length === 0 &&
    body.attachments.length === 0 &&
    !body.html.includes('<pre>') &&
    !body.html.includes('<codeblock')
  );
}

export function buildChatMessage(input: NewMessageInput, rng: Rng): ChatMessage {
  const { where, body, at, id } = input;
  const plainText = canBePlainText(body) && rng() < 0.5;
  const ts = at.toISOString();
  const base: ChatMessage = {
    id,
    replyToId: null,
    etag: id,
    messageType: 'message',
    createdDateTime: ts,
    lastModifiedDateTime: ts,
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject: null,
    summary: null,
    chatId: null,
    importance: rng() < 0.05 ? 'high' : 'normal',
    locale: 'en-us',
    webUrl: null,
    from: {
      application: null,
      device: null,
      user: {
        '@odata.type': '#microsoft.graph.teamworkUserIdentity',
        userIdentityType: input.author.userIdentityType,
        id: input.author.id,
        displayName: input.author.displayName,
        tenantId: input.tenant.tenantId,
      },
    },
    body: plainText
      ? { contentType: 'text', content: body.text }
      : { contentType: 'html', content: body.html },
    channelIdentity: null,
    attachments: body.attachments,
    mentions: body.mentions,
    policyViolation: null,
    reactions: [],
    replies: [],
    hostedContents: [],
    eventDetail: null,
  };
  if (where.kind === 'chat') {
    base.chatId = where.chat.chatId;
    base['@odata.context'] =
      `https://graph.microsoft.com/$metadata#chats('${encodeURIComponent(where.chat.chatId)}')/messages/$entity`;
  } else {
    const c = where.channel;
    base.channelIdentity = { teamId: c.teamId, channelId: c.channelId };
    base.replyToId = where.replyToId;
    base.subject = where.replyToId ? null : where.subject;
    base.webUrl = `https://teams.microsoft.com/l/message/${encodeURIComponent(c.channelId)}/${id}?groupId=${c.teamId}&tenantId=${input.tenant.tenantId}&createdTime=${id}&parentMessageId=${where.replyToId ?? id}`;
    base['@odata.context'] = where.replyToId
      ? `https://graph.microsoft.com/$metadata#teams('${c.teamId}')/channels('${encodeURIComponent(c.channelId)}')/messages('${where.replyToId}')/replies/$entity`
      : `https://graph.microsoft.com/$metadata#teams('${c.teamId}')/channels('${encodeURIComponent(c.channelId)}')/messages/$entity`;
  }
  return base;
}

export { int, pick, SUBJECTS, uuid };
