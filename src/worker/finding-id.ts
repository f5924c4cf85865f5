import { createHash } from 'node:crypto';

/** The identity of one version of one message as seen through one change. */
export interface MessageVersion {
  tenantId: string;
  /** chatMessage.id qualified by its container (chat or channel), since ids are unique only per thread. */
  messageKey: string;
  /** chatMessage.etag, or lastModifiedDateTime when etag is absent. */
  version: string;
  changeType: string;
}

/**
 * Deterministic finding id: the same message version, change and rule always produce the same id,
 * so a replay or a rebalance re-emits byte-identical ids that sinks dedupe on. A NUL separator keeps
 * ("a","bc") and ("ab","c") apart.
 */
export function findingId(version: MessageVersion, ruleId: string): string {
  const h = createHash('sha256');
  h.update(
    [
      'gdlp-finding-v1',
      version.tenantId.toLowerCase(),
      version.messageKey,
      version.version,
      version.changeType,
      ruleId,
    ].join('\u0000'),
  );
  return h.digest('hex').slice(0, 32);
}

export interface ChatMessageIdentityFields {
  id?: unknown;
  etag?: unknown;
  lastModifiedDateTime?: unknown;
  chatId?: unknown;
  replyToId?: unknown;
  channelIdentity?: { teamId?: unknown; channelId?: unknown } | null;
}

/** Qualified message key: `chat:<chatId>/<id>` or `channel:<teamId>/<channelId>/<replyToId?>/<id>`; falls back to the notification resource. */
export function messageKeyOf(message: ChatMessageIdentityFields, resource?: string): string {
  const id = typeof message.id === 'string' ? message.id : '';
  if (typeof message.chatId === 'string' && message.chatId !== '') return `chat:${message.chatId}/${id}`;
  const ch = message.channelIdentity;
  if (ch && typeof ch.teamId === 'string' && typeof ch.channelId === 'string') {
    const parent =
      typeof message.replyToId === 'string' && message.replyToId !== '' ? `${message.replyToId}/` : '';
    return `channel:${ch.teamId}/${ch.channelId}/${parent}${id}`;
  }
  return resource ? `resource:${resource}` : `id:${id}`;
}

export function messageVersionOf(
  message: ChatMessageIdentityFields,
  tenantId: string,
  changeType: string,
  resource?: string,
): MessageVersion {
  const version =
    typeof message.etag === 'string' && message.etag !== ''
      ? message.etag
      : typeof message.lastModifiedDateTime === 'string'
        ? message.lastModifiedDateTime
        : '';
  return { tenantId, messageKey: messageKeyOf(message, resource), version, changeType };
}
