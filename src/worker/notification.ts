/**
 * Event-body parsing and classification. An Event Hubs event from Graph carries a UTF-8 JSON
 * `changeNotificationCollection` ({"value":[...]}); each item is a validation message, a lifecycle
 * notification, a rich notification (with encryptedContent) or a basic one. Anything else is garbage.
 * Pure: no I/O, never throws.
 */

export interface EncryptedContent {
  data: string;
  dataKey: string;
  dataSignature: string;
  encryptionCertificateId: string;
  encryptionCertificateThumbprint: string;
}

export interface ChangeNotificationItem {
  subscriptionId: string;
  subscriptionExpirationDateTime?: string;
  changeType?: string;
  lifecycleEvent?: string;
  clientState?: string;
  tenantId?: string;
  resource?: string;
  resourceData?: { id?: string; '@odata.type'?: string; '@odata.id'?: string };
  encryptedContent?: EncryptedContent;
  [key: string]: unknown;
}

export type ClassifiedItem =
  | { kind: 'validation'; index: number }
  | { kind: 'lifecycle'; index: number; item: ChangeNotificationItem; lifecycleEvent: string }
  | { kind: 'rich'; index: number; item: ChangeNotificationItem & { encryptedContent: EncryptedContent } }
  | { kind: 'basic'; index: number; item: ChangeNotificationItem }
  | { kind: 'invalid'; index: number; code: string; reason: string };

export type ClassifiedBody =
  | { kind: 'collection'; items: ClassifiedItem[] }
  | { kind: 'garbage'; code: string; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Accepts raw bytes (skipParsingBodyAsJson) or an already-parsed object/string. */
export function parseEventBody(body: unknown): ClassifiedBody {
  let parsed: unknown = body;
  if (body instanceof Uint8Array) {
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      return { kind: 'garbage', code: 'GDLP_EVENT_NOT_UTF8', reason: 'event body is not valid UTF-8' };
    }
    parsed = parseJson(text);
    if (parsed === NOT_JSON)
      return { kind: 'garbage', code: 'GDLP_EVENT_NOT_JSON', reason: 'event body is not JSON' };
  } else if (typeof body === 'string') {
    parsed = parseJson(body);
    if (parsed === NOT_JSON)
      return { kind: 'garbage', code: 'GDLP_EVENT_NOT_JSON', reason: 'event body is not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { kind: 'garbage', code: 'GDLP_EVENT_NOT_COLLECTION', reason: 'event body is not a JSON object' };
  }
  const value = (parsed as { value?: unknown }).value;
  if (!Array.isArray(value)) {
    return { kind: 'garbage', code: 'GDLP_EVENT_NOT_COLLECTION', reason: 'event body has no "value" array' };
  }
  if (value.length === 0)
    return { kind: 'garbage', code: 'GDLP_EVENT_EMPTY', reason: 'event body has an empty "value" array' };
  return { kind: 'collection', items: value.map((item, index) => classifyItem(item, index)) };
}

const NOT_JSON = Symbol('not-json');
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

const ENCRYPTED_FIELDS = [
  'data',
  'dataKey',
  'dataSignature',
  'encryptionCertificateId',
  'encryptionCertificateThumbprint',
] as const;

export function classifyItem(raw: unknown, index: number): ClassifiedItem {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      kind: 'invalid',
      index,
      code: 'GDLP_EVENT_ITEM_NOT_OBJECT',
      reason: 'notification item is not an object',
    };
  }
  const item = raw as ChangeNotificationItem;
  const changeType = typeof item.changeType === 'string' ? item.changeType : undefined;
  if (item.subscriptionId === 'NA' || changeType?.startsWith('Validation:'))
    return { kind: 'validation', index };
  if (typeof item.subscriptionId !== 'string' || item.subscriptionId === '') {
    return {
      kind: 'invalid',
      index,
      code: 'GDLP_EVENT_ITEM_NO_SUBSCRIPTION',
      reason: 'notification item has no subscriptionId',
    };
  }
  if (typeof item.lifecycleEvent === 'string') {
    return { kind: 'lifecycle', index, item, lifecycleEvent: item.lifecycleEvent };
  }
  if (changeType === undefined) {
    return {
      kind: 'invalid',
      index,
      code: 'GDLP_EVENT_ITEM_NO_CHANGE_TYPE',
      reason: 'notification item has neither changeType nor lifecycleEvent',
    };
  }
  const enc = item.encryptedContent as unknown;
  if (enc !== undefined && enc !== null) {
    if (
      typeof enc !== 'object' ||
      !ENCRYPTED_FIELDS.every((f) => typeof (enc as Record<string, unknown>)[f] === 'string')
    ) {
      return {
        kind: 'invalid',
        index,
        code: 'GDLP_EVENT_ITEM_BAD_ENCRYPTED_CONTENT',
        reason: 'encryptedContent is missing required fields',
      };
    }
    return {
      kind: 'rich',
      index,
      item: item as ChangeNotificationItem & { encryptedContent: EncryptedContent },
    };
  }
  return { kind: 'basic', index, item };
}
