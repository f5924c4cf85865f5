/**
 * Backfill: reads the messages that changed during a recorded gap (a removed or missed subscription, a
 * recreation) straight from Graph, scans them and delivers the findings to the configured sinks, so a feed
 * outage is caught up instead of silently lost. It uses the Teams export APIs, which return messages and
 * replies by lastModifiedDateTime range:
 * - tenant-wide channels: GET /teams, then /teams/{id}/channels/getAllMessages for each (one channel: its
 *   team's, filtered to the channel);
 * - tenant-wide chats: GET /users, then /users/{id}/chats/getAllMessages for each (a chat shows up once per
 *   member: deduplicated by message key and version); one user's chats: that user only.
 * Findings carry the same deterministic ids as the worker's, so what the worker already reported is not
 * reported twice (sinks dedupe); `partitionId` is `backfill` and `sequenceNumber` -1.
 */
import type { Logger } from '../log.js';
import type { SinkSet } from '../sinks/sink-set.js';
import type { Gap } from '../subscriptions/types.js';
import { buildFinding } from '../worker/finding.js';
import { messageKeyOf } from '../worker/finding-id.js';
import type { Finding, MessageScanner } from '../worker/ports.js';
import {
  BACKFILL_LEAD_MS,
  type BackfillWalk,
  changeTypeOf,
  exportQuery,
  gapKey,
  inGap,
  walkFor,
} from './plan.js';
import type { BackfillStatusStore } from './status.js';

export interface GraphLister {
  listAll<T>(path: string, options?: { signal?: AbortSignal }): Promise<T[]>;
}

type Message = Record<string, unknown> & {
  replies?: Message[];
  id?: unknown;
  lastModifiedDateTime?: unknown;
};

export interface GapReport {
  key: string;
  resource: string;
  from: string;
  to: string;
  status: 'done' | 'already-done' | 'open' | 'unsupported' | 'dry-run' | 'failed';
  messages: number;
  findings: number;
  reason?: string;
}

export interface BackfillOptions {
  graph: GraphLister;
  scanner: MessageScanner;
  /** Absent with dryRun. */
  sinks?: SinkSet;
  status: BackfillStatusStore;
  tenantId: string;
  logger: Logger;
  /** Count messages and findings, deliver nothing, record nothing. */
  dryRun?: boolean;
  /** Also redo gaps already recorded as done. */
  redo?: boolean;
  /** Findings per sink delivery. Default 200. */
  deliveryBatch?: number;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

async function* messagesOf(
  walk: BackfillWalk,
  gap: Gap,
  graph: GraphLister,
  signal?: AbortSignal,
): AsyncGenerator<Message> {
  const opts = signal ? { signal } : undefined;
  const enc = encodeURIComponent;
  const query = exportQuery(gap, BACKFILL_LEAD_MS);
  const team = (teamId: string) =>
    graph.listAll<Message>(`/teams/${enc(teamId)}/channels/getAllMessages?${query}`, opts);
  const userChats = (userId: string) =>
    graph.listAll<Message>(`/users/${enc(userId)}/chats/getAllMessages?${query}`, opts);
  switch (walk.kind) {
    case 'channel':
      for (const m of await team(walk.teamId))
        if ((m.channelIdentity as { channelId?: string } | undefined)?.channelId === walk.channelId) yield m;
      return;
    case 'all-channels':
      for (const t of await graph.listAll<{ id: string }>('/teams', opts)) yield* await team(t.id);
      return;
    case 'user-chats':
      yield* await userChats(walk.userId);
      return;
    case 'all-chats':
      for (const user of await graph.listAll<{ id: string }>('/users', opts)) yield* await userChats(user.id);
      return;
    case 'unsupported':
      return;
  }
}

/** Backfills every gap not yet done (or all of them with `redo`); one report per gap, in order. */
export async function runBackfill(gaps: readonly Gap[], options: BackfillOptions): Promise<GapReport[]> {
  const { status: statusStore, logger } = options;
  const done = (await statusStore.read()).status.done;
  const reports: GapReport[] = [];
  for (const gap of gaps) {
    const key = gapKey(gap);
    const base = { key, resource: gap.resource, from: gap.from, to: gap.to, messages: 0, findings: 0 };
    if (done[key] && !options.redo) {
      reports.push({
        ...base,
        status: 'already-done',
        messages: done[key].messages,
        findings: done[key].findings,
      });
      continue;
    }
    if (gap.open) {
      // No replacement subscription yet: the window is still growing; backfill it once it is closed.
      reports.push({ ...base, status: 'open', reason: 'the subscription has not been recreated yet' });
      continue;
    }
    const walk = walkFor(gap.resource);
    if (walk.kind === 'unsupported') {
      reports.push({ ...base, status: 'unsupported', reason: walk.reason });
      continue;
    }
    try {
      const report = await backfillOne(gap, walk, options);
      if (!options.dryRun)
        await statusStore.markDone(key, {
          at: (options.now?.() ?? new Date()).toISOString(),
          messages: report.messages,
          findings: report.findings,
        });
      reports.push({ ...base, ...report, status: options.dryRun ? 'dry-run' : 'done' });
    } catch (err) {
      logger.error(
        { resource: gap.resource, errorCode: (err as { code?: string }).code },
        'backfill of a gap failed',
      );
      reports.push({ ...base, status: 'failed', reason: (err as Error).message });
    }
  }
  return reports;
}

async function backfillOne(
  gap: Gap,
  walk: BackfillWalk,
  options: BackfillOptions,
): Promise<{ messages: number; findings: number }> {
  const seen = new Set<string>();
  let messages = 0;
  let findings = 0;
  let pending: Finding[] = [];
  const deliver = async () => {
    if (pending.length === 0 || options.dryRun) {
      pending = [];
      return;
    }
    const batch = pending;
    pending = [];
    const result = await options.sinks?.deliver(batch, options.signal);
    if (result !== undefined && result !== 'delivered')
      throw new Error(
        typeof result === 'string'
          ? `sinks did not take the findings (${result})`
          : `a required sink refused the findings: ${result.code}`,
      );
  };
  for await (const message of messagesOf(walk, gap, options.graph, options.signal)) {
    if (!inGap(message, gap, BACKFILL_LEAD_MS)) continue;
    const identity = `${messageKeyOf(message)}@${String(message.etag ?? message.lastModifiedDateTime)}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    messages++;
    const scanned = await options.scanner.scanMessage(message);
    for (const f of scanned) {
      pending.push(
        buildFinding(message, f, {
          tenantId: options.tenantId,
          subscriptionId: gap.subscriptionId ?? 'backfill',
          changeType: changeTypeOf(message),
          partitionId: 'backfill',
          sequenceNumber: -1,
          detectedAt: (options.now?.() ?? new Date()).toISOString(),
        }),
      );
      findings++;
    }
    if (pending.length >= (options.deliveryBatch ?? 200)) await deliver();
    if (messages % 500 === 0)
      options.onProgress?.(`  ${gap.resource}: ${messages} messages, ${findings} findings so far`);
  }
  await deliver();
  return { messages, findings };
}
