/**
 * One finding from one scanned message: the same shape whether the message came from a notification (the
 * pipeline) or from Graph directly (the backfill runner), with the deterministic id sinks dedupe on.
 */
import { findingId, messageVersionOf } from './finding-id.js';
import type { Finding, ScanFinding } from './ports.js';

/** Where the message came from: the notification (or backfill) around it. */
export interface FindingOrigin {
  tenantId: string;
  subscriptionId: string;
  changeType: string;
  /** The notification's resource path, when there is one. */
  resource?: string;
  /** Message id to use when the message itself has none (the notification's resourceData.id). */
  fallbackMessageId?: string;
  partitionId: string;
  sequenceNumber: number;
  enqueuedTime?: string;
  detectedAt: string;
}

export function buildFinding(
  message: Record<string, unknown>,
  f: ScanFinding,
  origin: FindingOrigin,
): Finding {
  const version = messageVersionOf(message, origin.tenantId, origin.changeType, origin.resource);
  const channel = message.channelIdentity as { teamId?: string; channelId?: string } | null | undefined;
  const from = message.from as { user?: { id?: string } | null } | null | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    id: findingId(version, f.ruleId),
    type: f.type,
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    count: f.count,
    evidence: f.evidence,
    actions: f.actions,
    policyViolation: f.policyViolation,
    tenantId: origin.tenantId,
    subscriptionId: origin.subscriptionId,
    changeType: origin.changeType,
    resource: origin.resource,
    messageId: str(message.id) ?? origin.fallbackMessageId ?? '',
    messageVersion: version.version,
    chatId: str(message.chatId),
    teamId: str(channel?.teamId),
    channelId: str(channel?.channelId),
    replyToId: str(message.replyToId),
    senderId: str(from?.user?.id),
    lastModifiedDateTime: str(message.lastModifiedDateTime),
    partitionId: origin.partitionId,
    sequenceNumber: origin.sequenceNumber,
    enqueuedTime: origin.enqueuedTime,
    detectedAt: origin.detectedAt,
  };
}
