/**
 * The narrow interfaces the pipeline depends on. Real implementations come from src/crypto (decrypt pool),
 * src/dlp (engine), src/subscriptions (registry + lifecycle), src/sinks and src/deadletter; tests of the
 * pipeline core pass in-memory fakes.
 */
import type { ChangeNotificationItem, EncryptedContent } from './notification.js';

export type DecryptOutcome =
  | { ok: true; resource: Record<string, unknown> }
  | { ok: false; code: string; reason: string };

export interface NotificationDecryptor {
  /** One outcome per input, same order. Rejects only when the decryptor itself is unavailable (transient). */
  decryptBatch(items: readonly EncryptedContent[]): Promise<DecryptOutcome[]>;
}

export interface ScanFinding {
  /** Stable rule id from the policy (part of the finding id). */
  ruleId: string;
  /** Canonical sensitive-information type, e.g. `credit_card_number`. */
  type: string;
  severity?: string;
  confidence?: string | number;
  /** Number of matches of this rule in the message. */
  count: number;
  /** Masked evidence only (e.g. `4111********1111`); never raw values. */
  evidence: string[];
  /** Policy actions requested for this rule, e.g. `['alert', 'blockAccess']`. */
  actions: string[];
  /** chatMessagePolicyViolation to write back when an action asks for it. */
  policyViolation?: Record<string, unknown>;
}

/**
 * Reads the current state of the message a notification without resource data names (`resource`). Graph
 * returns the message as it is now, not as it was when the notification was sent.
 */
export interface MessageFetcher {
  /** The chatMessage, or `undefined` when Graph no longer has it (deleted since). Throws coded errors otherwise. */
  fetchMessage(resource: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined>;
}

export interface MessageScanner {
  scanMessage(chatMessage: Record<string, unknown>): Promise<ScanFinding[]> | ScanFinding[];
}

export type ValidationVerdict = { ok: true } | { ok: false; code: string; reason: string };

export interface ItemValidator {
  /** Checks subscriptionId known, clientState (constant time) and tenantId. */
  validateItem(item: ChangeNotificationItem): ValidationVerdict | Promise<ValidationVerdict>;
}

export interface LifecycleHandler {
  handleLifecycle(item: ChangeNotificationItem): Promise<void>;
}

/** What every sink receives. Contains masked evidence only, no message text. */
export interface Finding {
  id: string;
  type: string;
  ruleId: string;
  severity?: string;
  confidence?: string | number;
  count: number;
  evidence: string[];
  actions: string[];
  policyViolation?: Record<string, unknown>;
  tenantId: string;
  subscriptionId: string;
  changeType: string;
  resource?: string;
  messageId: string;
  messageVersion: string;
  chatId?: string;
  teamId?: string;
  channelId?: string;
  replyToId?: string;
  senderId?: string;
  lastModifiedDateTime?: string;
  partitionId: string;
  sequenceNumber: number;
  enqueuedTime?: string;
  detectedAt: string;
}

export type SinkMode = 'required' | 'best-effort';

/** What one write found out, when the sink can tell. */
export interface SinkWriteReport {
  /** Findings of this call the sink recognised as already written (replay, rebalance). */
  duplicates: number;
  /**
   * Findings of this call the sink can never write, by error code (e.g. the Graph write-back on a message
   * Graph refuses with 402/403/404); the batch moves on without them.
   */
  skipped?: Record<string, number>;
}

export interface FindingSink {
  readonly name: string;
  readonly mode: SinkMode;
  /**
   * Writes all findings or throws; idempotent by finding id (dedupes or naturally idempotent). Sinks that
   * recognise duplicates report them per call: writes run concurrently, so a shared counter's difference
   * before and after one call would also count other calls' duplicates.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: sinks that cannot recognise duplicates return nothing
  write(findings: readonly Finding[], signal?: AbortSignal): Promise<SinkWriteReport | void>;
  close(): Promise<void>;
  /** Findings this sink recognised as already written since it started (replay, rebalance), when it can tell. */
  readonly duplicatesSkipped?: number;
}

export interface DeadLetterRecord {
  partitionId: string;
  sequenceNumber: number;
  offset: string;
  enqueuedTime?: string;
  /** Index of the failing item inside the event's `value` array, when the event parsed. */
  itemIndex?: number;
  errorCode: string;
  errorKind: 'transient' | 'poison' | 'fatal';
  message: string;
  attemptCount: number;
  consumerGroup: string;
  eventHubName: string;
  rawBody: Uint8Array;
  properties?: Record<string, unknown>;
  deadLetteredAt: string;
}

export interface DeadLetterWriter {
  write(record: DeadLetterRecord): Promise<void>;
}
