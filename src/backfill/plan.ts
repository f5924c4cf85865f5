/**
 * Pure decisions of the backfill runner: which Graph walk covers a recorded gap's resource, whether a message
 * belongs to the gap's window, and which change a message stands for. No I/O here.
 */
import type { Gap } from '../subscriptions/types.js';

/** How to enumerate the messages of a subscription resource. */
export type BackfillWalk =
  | { kind: 'all-channels' }
  | { kind: 'channel'; teamId: string; channelId: string }
  | { kind: 'all-chats' }
  | { kind: 'user-chats'; userId: string }
  | { kind: 'unsupported'; reason: string };

/** The walk for a subscription resource (`/teams/getAllMessages?model=A`, `/teams/{id}/channels/{id}/messages`, ...). */
export function walkFor(resource: string): BackfillWalk {
  const path = resource.split('?')[0]?.replace(/^\/+/, '') ?? '';
  let seg: string[];
  try {
    seg = path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return { kind: 'unsupported', reason: `'${path}' is not a valid resource path (bad percent-encoding)` };
  }
  if (seg.length === 2 && seg[0] === 'teams' && seg[1] === 'getAllMessages') return { kind: 'all-channels' };
  if (seg.length === 2 && seg[0] === 'chats' && seg[1] === 'getAllMessages') return { kind: 'all-chats' };
  if (seg.length === 5 && seg[0] === 'teams' && seg[2] === 'channels' && seg[4] === 'messages')
    return { kind: 'channel', teamId: seg[1] as string, channelId: seg[3] as string };
  if (seg.length === 4 && seg[0] === 'users' && seg[2] === 'chats' && seg[3] === 'getAllMessages')
    return { kind: 'user-chats', userId: seg[1] as string };
  return {
    kind: 'unsupported',
    reason: `no backfill walk for '${path}' (supported: tenant-wide getAllMessages, one channel, one user's chats)`,
  };
}

/** Stable key of a gap (the registry keeps no id): resource, window and reason. */
export function gapKey(gap: Pick<Gap, 'resource' | 'from' | 'to' | 'reason'>): string {
  return `${gap.resource}|${gap.from}|${gap.to}|${gap.reason}`;
}

/**
 * Whether a message changed inside the gap, widened by `leadMs` before its start: `from` exclusive, `to`
 * inclusive. Deleted messages have nothing left to scan.
 */
export function inGap(
  message: { lastModifiedDateTime?: unknown; deletedDateTime?: unknown },
  gap: Pick<Gap, 'from' | 'to'>,
  leadMs = 0,
): boolean {
  if (typeof message.deletedDateTime === 'string' && message.deletedDateTime !== '') return false;
  const at =
    typeof message.lastModifiedDateTime === 'string' ? Date.parse(message.lastModifiedDateTime) : Number.NaN;
  if (!Number.isFinite(at)) return false;
  return at > Date.parse(gap.from) - leadMs && at <= Date.parse(gap.to);
}

/**
 * The change a message stands for, as a notification would have named it: `created` until it is edited, then
 * `updated`. Finding ids include the change, so a version the worker already saw through its notification
 * gets the same id here and the sinks dedupe it.
 */
export function changeTypeOf(message: {
  createdDateTime?: unknown;
  lastModifiedDateTime?: unknown;
  lastEditedDateTime?: unknown;
}): 'created' | 'updated' {
  if (typeof message.lastEditedDateTime === 'string' && message.lastEditedDateTime !== '') return 'updated';
  return message.createdDateTime === message.lastModifiedDateTime ? 'created' : 'updated';
}

/**
 * Query string of a Teams export API call for a gap: the payment model of the subscription resource (`model=A`
 * or `B`; none = evaluation mode) and the lastModifiedDateTime range, `lt` one millisecond past the end so the
 * end is included (inGap applies the exact window again).
 */
export function exportQuery(gap: Pick<Gap, 'resource' | 'from' | 'to'>, leadMs = 0): string {
  const model = /[?&]model=([AB])\b/.exec(gap.resource)?.[1];
  const from = new Date(Date.parse(gap.from) - leadMs).toISOString();
  const to = new Date(Date.parse(gap.to) + 1).toISOString();
  const filter = encodeURIComponent(`lastModifiedDateTime gt ${from} and lastModifiedDateTime lt ${to}`);
  return `${model ? `model=${model}&` : ''}$filter=${filter}`;
}

/**
 * How far before a gap's start the backfill reads. The start is when the worker last saw a notification of
 * the subscription, which can be later than the last message Graph delivered (consumer lag, partitions read
 * out of order); reading a little earlier costs a few repeats, which the sinks dedupe, and misses nothing.
 */
export const BACKFILL_LEAD_MS = 5 * 60_000;
