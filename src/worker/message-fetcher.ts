/**
 * Fetches the message a basic notification (one without `encryptedContent`) names, through the Graph client
 * (app credentials, retries on 429/5xx with Retry-After). Only Teams message resources are fetched: the
 * resource string comes from a notification, so it is parsed into a known shape and rebuilt with encoded ids
 * rather than used as a path.
 */
import { GraphDlpError, isGraphDlpError } from '../errors.js';
import { GraphErrorCodes } from '../graph/errors.js';
import type { MessageFetcher } from './ports.js';

export interface GraphReader {
  get<T>(path: string, options?: { signal?: AbortSignal }): Promise<T>;
}

export const FETCH_ERROR = {
  UNSUPPORTED_RESOURCE: 'GDLP_FETCH_UNSUPPORTED_RESOURCE',
  NOT_A_MESSAGE: 'GDLP_FETCH_NOT_A_MESSAGE',
} as const;

const KEY = "\\('((?:[^']|'')+)'\\)";
const CHAT_MESSAGE = new RegExp(`^/?chats${KEY}/messages${KEY}$`, 'i');
const CHANNEL_MESSAGE = new RegExp(`^/?teams${KEY}/channels${KEY}/messages${KEY}(?:/replies${KEY})?$`, 'i');

/** Graph path (`/chats/{id}/messages/{id}`, ...) for a notification's `resource`, or undefined if it is not a Teams message. */
export function messagePathFor(resource: string): string | undefined {
  const key = (k: string | undefined) => encodeURIComponent((k ?? '').replace(/''/g, "'"));
  const chat = CHAT_MESSAGE.exec(resource);
  if (chat) return `/chats/${key(chat[1])}/messages/${key(chat[2])}`;
  const channel = CHANNEL_MESSAGE.exec(resource);
  if (channel) {
    const post = `/teams/${key(channel[1])}/channels/${key(channel[2])}/messages/${key(channel[3])}`;
    return channel[4] === undefined ? post : `${post}/replies/${key(channel[4])}`;
  }
  return undefined;
}

export function createGraphMessageFetcher(graph: GraphReader): MessageFetcher {
  return {
    async fetchMessage(resource, signal) {
      const path = messagePathFor(resource);
      if (path === undefined)
        throw new GraphDlpError(
          FETCH_ERROR.UNSUPPORTED_RESOURCE,
          'poison',
          'notification without resource data names a resource that is not a Teams message',
          { details: { resourceShape: resource.replace(/'[^']*'/g, "'…'").slice(0, 120) } },
        );
      let message: unknown;
      try {
        message = await graph.get<unknown>(path, signal ? { signal } : undefined);
      } catch (err) {
        // Deleted (or moved out of reach) since the notification: nothing left to scan.
        if (isGraphDlpError(err) && err.code === GraphErrorCodes.notFound) return undefined;
        throw err;
      }
      if (message === null || typeof message !== 'object' || Array.isArray(message))
        throw new GraphDlpError(
          FETCH_ERROR.NOT_A_MESSAGE,
          'poison',
          'Graph answered the message GET with no object',
        );
      return message as Record<string, unknown>;
    },
  };
}
