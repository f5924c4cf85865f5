import { errorCodeOf, errorKindOf, GraphDlpError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Finding, FindingSink, SinkMode, SinkWriteReport } from '../worker/ports.js';

/** The part of the Graph client this sink needs (src/graph GraphClient satisfies it). */
export interface GraphPatcher {
  patch<T>(path: string, body: unknown, options?: { signal?: AbortSignal }): Promise<T>;
}

/** Actions in a policy rule that ask for enforcement in Teams (graph-notifications §6.1 dlpAction). */
const ENFORCING_ACTIONS = new Set([
  'notifySender',
  'blockAccess',
  'blockAccessExternal',
  'NotifySender',
  'BlockAccess',
  'BlockAccessExternal',
]);

export function wantsWriteBack(f: Finding): boolean {
  return f.policyViolation !== undefined || f.actions.some((a) => ENFORCING_ACTIONS.has(a));
}

/** PATCH path for a message (graph-notifications §6.2); `?model=A` is the documented-safe metering choice. */
export function writeBackPath(f: Finding): string | undefined {
  const enc = encodeURIComponent;
  if (f.chatId) return `/chats/${enc(f.chatId)}/messages/${enc(f.messageId)}?model=A`;
  if (f.teamId && f.channelId) {
    return f.replyToId
      ? `/teams/${enc(f.teamId)}/channels/${enc(f.channelId)}/messages/${enc(f.replyToId)}/replies/${enc(f.messageId)}?model=A`
      : `/teams/${enc(f.teamId)}/channels/${enc(f.channelId)}/messages/${enc(f.messageId)}?model=A`;
  }
  return undefined;
}

export function policyViolationFor(f: Finding): Record<string, unknown> {
  if (f.policyViolation) return f.policyViolation;
  const dlp = f.actions.filter((a) => ENFORCING_ACTIONS.has(a)).map((a) => a[0]!.toLowerCase() + a.slice(1));
  return {
    dlpAction: dlp.join(',') || 'notifySender',
    verdictDetails: 'allowFalsePositiveOverride',
    policyTip: {
      generalText: `This message contains sensitive information (${f.type}).`,
      matchedConditionDescriptions: [f.type],
    },
  };
}

/**
 * Graph `policyViolation` write-back, only for findings whose policy action asks for it. One PATCH per
 * message version (several findings of a message merge their actions). PATCH is idempotent, so replays are
 * harmless. 429/5xx are transient (the Graph client already honoured Retry-After; the sink set retries);
 * 402 (no Communications DLP licence), 403 (permission, federated or Skype chat), 404 (message gone) can never
 * succeed by retrying: they are counted and logged per finding and the batch moves on.
 */
export class GraphWriteBackSink implements FindingSink {
  readonly name = 'graph';
  readonly mode: SinkMode;
  readonly skipped = new Map<string, number>();

  constructor(
    private readonly graph: GraphPatcher,
    private readonly logger: Logger,
    options: { mode?: SinkMode } = {},
  ) {
    this.mode = options.mode ?? 'best-effort';
  }

  async write(findings: readonly Finding[], signal?: AbortSignal): Promise<SinkWriteReport> {
    const skipped: Record<string, number> = {};
    const byMessage = new Map<string, Finding[]>();
    for (const f of findings) {
      if (!wantsWriteBack(f)) continue;
      const path = writeBackPath(f);
      if (!path) {
        this.skip('GDLP_SINK_GRAPH_NO_PATH', f, 1, skipped);
        continue;
      }
      const group = byMessage.get(path);
      if (group) group.push(f);
      else byMessage.set(path, [f]);
    }
    for (const [path, group] of byMessage) {
      const first = group[0]!;
      const merged: Finding = { ...first, actions: [...new Set(group.flatMap((g) => g.actions))] };
      try {
        await this.graph.patch(path, { policyViolation: policyViolationFor(merged) }, { signal });
      } catch (err) {
        const code = errorCodeOf(err);
        if (errorKindOf(err) === 'transient') {
          throw new GraphDlpError(
            'GDLP_SINK_GRAPH_TRANSIENT',
            'transient',
            `policyViolation write-back failed (${code}); will retry`,
            { cause: err },
          );
        }
        // 402, 403, 404 and other permanent answers: retrying never helps.
        this.skip(code, first, group.length, skipped);
      }
    }
    return { duplicates: 0, skipped };
  }

  private skip(code: string, f: Finding, findings: number, report: Record<string, number>): void {
    this.skipped.set(code, (this.skipped.get(code) ?? 0) + findings);
    report[code] = (report[code] ?? 0) + findings;
    this.logger.warn(
      { sink: 'graph', errorCode: code, findingId: f.id },
      'policyViolation write-back not possible for this message; skipped',
    );
  }

  async close(): Promise<void> {}
}
