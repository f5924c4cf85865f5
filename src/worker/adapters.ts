/**
 * Adapters from the other capabilities' APIs to the pipeline's narrow ports.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphDlpError } from '../errors.js';
import type { ChangeNotificationItem, EncryptedContent } from './notification.js';
import type {
  DecryptOutcome,
  ItemValidator,
  MessageScanner,
  NotificationDecryptor,
  ScanFinding,
  ValidationVerdict,
} from './ports.js';

/** The crypto area's decryptor shape (src/crypto createNotificationDecryptor). */
export interface CryptoBatchDecryptor {
  decryptBatch(
    encryptedContents: readonly unknown[],
  ): Promise<
    Array<
      { ok: true; value: unknown } | { ok: false; error: { code: string; kind: string; message: string } }
    >
  >;
}

/**
 * Maps per-item results: poison/fatal failures become dead-letter reasons for that item; a transient one (a
 * pool worker died, Key Vault unreachable) fails the whole call so the pipeline retries the batch instead
 * of dead-lettering good notifications.
 */
export function adaptCryptoDecryptor(inner: CryptoBatchDecryptor): NotificationDecryptor {
  return {
    async decryptBatch(items: readonly EncryptedContent[]): Promise<DecryptOutcome[]> {
      const results = await inner.decryptBatch(items);
      const transient = results.find((r) => !r.ok && r.error.kind === 'transient');
      if (transient && !transient.ok) {
        throw new GraphDlpError(transient.error.code, 'transient', transient.error.message);
      }
      return results.map((r) => {
        if (!r.ok) return { ok: false, code: r.error.code, reason: r.error.message };
        if (r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) {
          return {
            ok: false,
            code: 'GDLP_DECRYPT_NOT_A_RESOURCE',
            reason: 'decrypted content is not a JSON object',
          };
        }
        return { ok: true, resource: r.value as Record<string, unknown> };
      });
    },
  };
}

/** Constant-time string equality (hashing first equalises lengths). */
export function constantTimeEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export interface KnownSubscription {
  clientState: string;
  /** Expected tenant (GUID); undefined = do not check. */
  tenantId?: string;
}

/**
 * A validator over a fixed or live registry of subscriptions: the subscription must be known, its
 * clientState must match (constant time) and the tenant must be ours. Used when no subscription manager is
 * wired in (tests, side tools); the subscription manager provides the live one in production.
 */
export function createRegistryValidator(
  lookup: (subscriptionId: string) => KnownSubscription | undefined,
  expectedTenantId?: string,
): ItemValidator {
  return {
    validateItem(item: ChangeNotificationItem): ValidationVerdict {
      const known = lookup(item.subscriptionId);
      if (!known)
        return {
          ok: false,
          code: 'GDLP_NOTIFICATION_UNKNOWN_SUBSCRIPTION',
          reason: 'subscriptionId is not one of ours',
        };
      if (typeof item.clientState !== 'string' || !constantTimeEquals(item.clientState, known.clientState)) {
        return {
          ok: false,
          code: 'GDLP_NOTIFICATION_CLIENT_STATE_MISMATCH',
          reason: 'clientState does not match the subscription',
        };
      }
      const tenant = known.tenantId ?? expectedTenantId;
      if (
        tenant &&
        (typeof item.tenantId !== 'string' || item.tenantId.toLowerCase() !== tenant.toLowerCase())
      ) {
        return { ok: false, code: 'GDLP_NOTIFICATION_TENANT_MISMATCH', reason: 'tenantId is not our tenant' };
      }
      return { ok: true };
    },
  };
}

/** The DLP area's engine shape (src/dlp createDlpEngine). */
export interface DlpScanEngine {
  scanMessage(message: Record<string, unknown>): {
    findings: Array<{
      type: string;
      confidence: string;
      confidenceScore: number;
      count: number;
      masked: string;
    }>;
    matchedRules: Array<{ ruleId: string; action: string; severity: string; types: string[] }>;
  };
}

const ACTION_STRENGTH: Record<string, number> = {
  none: 0,
  report: 1,
  notifySender: 2,
  blockAccessExternal: 3,
  blockAccess: 4,
};
const SEVERITY_STRENGTH: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };

/**
 * One pipeline finding per (message version, canonical type): occurrences of different values of a type are
 * aggregated (count + masked evidence), so the deterministic id (…, rule) is unique per type. The rule part is
 * the strongest matched policy rule covering the type, or `detected` when the type matched no rule.
 */
export function adaptDlpEngine(engine: DlpScanEngine): MessageScanner {
  return {
    scanMessage(message) {
      const result = engine.scanMessage(message);
      const byType = new Map<
        string,
        { count: number; evidence: string[]; confidenceScore: number; confidence: string }
      >();
      for (const f of result.findings) {
        const agg = byType.get(f.type) ?? {
          count: 0,
          evidence: [],
          confidenceScore: 0,
          confidence: f.confidence,
        };
        agg.count += f.count;
        if (agg.evidence.length < 10) agg.evidence.push(f.masked);
        if (f.confidenceScore > agg.confidenceScore) {
          agg.confidenceScore = f.confidenceScore;
          agg.confidence = f.confidence;
        }
        byType.set(f.type, agg);
      }
      const out: ScanFinding[] = [];
      for (const [type, agg] of byType) {
        const rules = result.matchedRules.filter((r) => r.types.includes(type) || r.types.includes('*'));
        rules.sort(
          (a, b) =>
            (ACTION_STRENGTH[b.action] ?? 0) - (ACTION_STRENGTH[a.action] ?? 0) ||
            (SEVERITY_STRENGTH[b.severity] ?? 0) - (SEVERITY_STRENGTH[a.severity] ?? 0),
        );
        const top = rules[0];
        out.push({
          ruleId: `${top?.ruleId ?? 'detected'}:${type}`,
          type,
          severity: top?.severity ?? 'low',
          confidence: agg.confidence,
          count: agg.count,
          evidence: agg.evidence,
          actions: [...new Set(rules.map((r) => r.action))],
        });
      }
      return out;
    },
  };
}
