import { createHmac, createSecretKey } from 'node:crypto';
import { type ChatMessageLike, messageSegments } from './content.js';
import { ScanContext } from './context.js';
import { type CustomDetectorSpec, createCustomDetector } from './custom.js';
import type { Detector, RankedMatch } from './detector.js';
import { BUILTIN_DETECTORS } from './detectors/index.js';
import { decodeTeamsHtml } from './html.js';
import { maskValue } from './mask.js';
import type { DlpAction, DlpPolicy, Severity } from './policy.js';
import {
  type ConfidenceLevel,
  confidenceLevel,
  type RawMatch,
  SENSITIVE_TYPES,
  type Segment,
} from './types.js';

/** Default reporting threshold per type (Purview: 75 for most; cards and IBANs report from 65). */
export const DEFAULT_MIN_CONFIDENCE: Readonly<Record<string, number>> = Object.freeze({
  ...Object.fromEntries(SENSITIVE_TYPES.map((t) => [t, 75])),
  credit_card: 65,
  iban: 65,
});

/**
 * Overlap priority: the more specific type wins (connection string ⊃ account key ⊃ generic key; JWT ⊃
 * generic; IBAN ⊃ digit runs; card ⊃ SSN/phone). Ambiguous numeric types share a priority and are settled
 * by the distance to their corroborating keyword.
 */
const PRIORITY: Record<string, number> = {
  azure_storage_connection_string: 100,
  private_key: 95,
  jwt: 90,
  azure_sas_token: 88,
  github_token: 86,
  npm_token: 86,
  slack_token: 86,
  stripe_key: 86,
  google_api_key: 86,
  aws_access_key_id: 86,
  entra_client_secret: 86,
  azure_storage_key: 80,
  aws_secret_access_key: 78,
  password_in_connection_string: 76,
  generic_api_key: 60,
  email: 55,
  iban: 50,
  credit_card: 48,
  ip_address: 45,
  us_ssn: 40,
  aba_routing: 40,
  us_bank_account: 40,
  us_passport: 40,
  uk_passport: 40,
  uk_nino: 40,
  phone_number: 40,
};
const PRIORITY_BY_TYPE = new Map(Object.entries(PRIORITY));
const CUSTOM_PRIORITY = 70;

export interface FindingLocation {
  segment: string;
  start: number;
  end: number;
}

/** A finding as it leaves the engine: never the unmasked value. */
export interface Finding {
  type: string;
  detectorId: string;
  confidence: ConfidenceLevel;
  confidenceScore: number;
  /** Occurrences of this (type, normalised value) in the message. */
  count: number;
  /** First occurrence. */
  segment: string;
  start: number;
  end: number;
  /** Every occurrence (segment-relative offsets into the scannable content). */
  offsets: FindingLocation[];
  masked: string;
  /** HMAC-SHA256(fingerprintKey, type + value), 16 bytes hex; only when the engine has a fingerprint key. */
  fingerprint?: string;
}

export interface MatchedRule {
  ruleId: string;
  description?: string;
  action: DlpAction;
  severity: Severity;
  /** Types that satisfied the rule and their instance total. */
  types: string[];
  count: number;
}

export interface ScanResult {
  findings: Finding[];
  matchedRules: MatchedRule[];
  /** Strongest action over matched rules (`none` when no rule matched). */
  action: DlpAction | 'none';
}

export interface DlpEngineOptions {
  policy?: DlpPolicy;
  customDetectors?: CustomDetectorSpec[];
  /** Secret for finding fingerprints (HMAC); without it findings carry no fingerprint. */
  fingerprintKey?: string | Buffer;
  /** Override reporting thresholds per type (merged over defaults and the policy's `minConfidence`). */
  minConfidence?: Record<string, number>;
}

export interface ScanTextOptions {
  /** `first` (default): one match per distinct (type, value); `all`: every occurrence. */
  occurrences?: 'first' | 'all';
}

export interface DlpEngine {
  /** Scan a Graph `chatMessage` (decrypted resource data). Findings are masked. */
  scanMessage(message: ChatMessageLike): ScanResult;
  /**
   * Scan one HTML body (the `scan` CLI contract): unmasked matches with offsets into the scannable content,
   * sorted by start. By default one per distinct (type, value) at its first occurrence (contract §9.2:
   * each distinct value is labelled once per message); `occurrences: 'all'` returns every occurrence with
   * its own offsets. Engine-internal: never log or forward these.
   */
  scanHtml(html: string, options?: ScanTextOptions): RawMatch[];
  /** Same as scanHtml for already-decoded text. */
  scanText(text: string, options?: ScanTextOptions): RawMatch[];
  /** Scannable content of an HTML body (what offsets refer to). */
  decode(html: string): string;
  readonly detectors: readonly Detector[];
}

const ACTION_STRENGTH: Record<DlpAction | 'none', number> = {
  none: 0,
  report: 1,
  notifySender: 2,
  blockAccessExternal: 3,
  blockAccess: 4,
};

function normalisedValue(type: string, value: string): string {
  switch (type) {
    case 'credit_card':
    case 'us_ssn':
    case 'aba_routing':
    case 'us_bank_account':
    case 'phone_number':
      return value.replace(/\D/g, '');
    case 'iban':
    case 'uk_nino':
      return value.replace(/[\s\u00a0-]/g, '').toUpperCase();
    case 'email':
      return value.toLowerCase();
    default:
      return value;
  }
}

/**
 * `matches` sorted by start when no two of them overlap, else undefined (the caller ranks them). An insertion sort:
 * it is called with at most 32 matches.
 */
function sortedIfDisjoint(matches: RawMatch[]): RawMatch[] | undefined {
  const sorted = matches.slice();
  for (let i = 1; i < sorted.length; i++) {
    const m = sorted[i] as RawMatch;
    let k = i;
    while (k > 0 && (sorted[k - 1] as RawMatch).start > m.start) {
      sorted[k] = sorted[k - 1] as RawMatch;
      k--;
    }
    sorted[k] = m;
  }
  for (let i = 1; i < sorted.length; i++)
    if ((sorted[i - 1] as RawMatch).end > (sorted[i] as RawMatch).start) return undefined;
  return sorted;
}

export function createDlpEngine(options: DlpEngineOptions = {}): DlpEngine {
  const specs = [...(options.policy?.customDetectors ?? []), ...(options.customDetectors ?? [])];
  const custom = specs.map((s) => createCustomDetector(s));
  const detectors: readonly Detector[] = [...BUILTIN_DETECTORS, ...custom];
  const thresholds: Record<string, number> = { ...DEFAULT_MIN_CONFIDENCE };
  for (const s of specs) thresholds[s.type] = s.minConfidence ?? thresholds[s.type] ?? 75;
  Object.assign(thresholds, options.policy?.minConfidence ?? {}, options.minConfidence ?? {});
  const thresholdByType = new Map(Object.entries(thresholds));
  const rules = options.policy?.rules ?? [];
  // Imported once: Node 24 spends ~10 µs importing a raw string/Buffer key on every createHmac call.
  const fingerprintKey =
    options.fingerprintKey === undefined
      ? undefined
      : createSecretKey(
          typeof options.fingerprintKey === 'string'
            ? Buffer.from(options.fingerprintKey, 'utf8')
            : options.fingerprintKey,
        );

  function scanSegment(text: string): RawMatch[] {
    if (text.length === 0) return [];
    const ctx = new ScanContext(text);
    const raw: RawMatch[] = [];
    for (const d of detectors) d.scan(ctx, raw);
    if (raw.length === 0) return raw;
    return resolve(raw);
  }

  function resolve(raw: RawMatch[]): RawMatch[] {
    const kept: RawMatch[] = [];
    for (const m of raw) if (m.confidence >= (thresholdByType.get(m.type) ?? 75)) kept.push(m);
    if (kept.length <= 1) return kept;
    if (kept.length <= 32) {
      // Most messages' candidates do not overlap at all (two thirds of the secret-dense bench corpus): every one is
      // kept whatever its rank, so the ranking below is skipped.
      const disjoint = sortedIfDisjoint(kept);
      if (disjoint !== undefined) return disjoint;
    }
    // Priorities looked up once per match, not twice per comparison (string-keyed lookups dominated the sort).
    const priority: number[] = [];
    for (const m of kept) priority.push(PRIORITY_BY_TYPE.get(m.type) ?? CUSTOM_PRIORITY);
    const before = (i: number, j: number): number => {
      const pa = priority[i] as number;
      const pb = priority[j] as number;
      if (pa !== pb) return pb - pa;
      const a = kept[i] as RankedMatch;
      const b = kept[j] as RankedMatch;
      const da = a.evidenceDistance ?? 0;
      const db = b.evidenceDistance ?? 0;
      if (da !== db) return da - db;
      if (a.confidence !== b.confidence) return b.confidence - a.confidence;
      return b.end - b.start - (a.end - a.start) || i - j;
    };
    if (kept.length > 32) {
      // Many candidates (a large, dense message): sort, then mark accepted characters; each candidate checks
      // only its own span, so resolution stays linear in the total candidate length.
      const order = Array.from(kept, (_, i) => i).sort(before);
      const out: RawMatch[] = [];
      let taken = new Uint8Array(0);
      for (const i of order) {
        const m = kept[i] as RawMatch;
        if (taken.length < m.end) {
          const grown = new Uint8Array(Math.max(m.end, taken.length * 2, 1024));
          grown.set(taken);
          taken = grown;
        }
        let free = true;
        for (let c = m.start; c < m.end; c++) {
          if (taken[c] !== 0) {
            free = false;
            break;
          }
        }
        if (!free) continue;
        taken.fill(1, m.start, m.end);
        out.push(m);
      }
      out.sort((x, y) => x.start - y.start || x.end - y.end);
      return out;
    }
    // Few candidates (a chat message): rank by insertion (no sort callbacks), then accept spans that do not
    // overlap an accepted one; accepted spans are disjoint and kept sorted by start, which is the output order.
    const order: number[] = [];
    for (let i = 0; i < kept.length; i++) {
      let k = order.length;
      order.push(i);
      while (k > 0 && before(i, order[k - 1] as number) < 0) {
        order[k] = order[k - 1] as number;
        k--;
      }
      order[k] = i;
    }
    const accepted: RawMatch[] = [];
    for (const i of order) {
      const m = kept[i] as RawMatch;
      let lo = 0;
      let hi = accepted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((accepted[mid] as RawMatch).start < m.end) lo = mid + 1;
        else hi = mid;
      }
      // lo = first accepted span starting at or after m.end; the one before it is the only candidate overlap.
      if (lo > 0 && (accepted[lo - 1] as RawMatch).end > m.start) continue;
      accepted.splice(lo, 0, m);
    }
    return accepted;
  }

  function distinctByValue(matches: RawMatch[]): RawMatch[] {
    if (matches.length <= 1) return matches;
    const out: RawMatch[] = [];
    if (matches.length <= 16) {
      // Few matches per message: a short scan beats building string keys.
      outer: for (const m of matches) {
        for (const o of out) if (o.type === m.type && o.value === m.value) continue outer;
        out.push(m);
      }
      return out;
    }
    const seen = new Set<string>();
    for (const m of matches) {
      const key = `${m.type}\u0000${m.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(m);
    }
    return out;
  }

  function evaluateRules(findings: Finding[]): { matchedRules: MatchedRule[]; action: DlpAction | 'none' } {
    const matchedRules: MatchedRule[] = [];
    let action: DlpAction | 'none' = 'none';
    for (const rule of rules) {
      const any = rule.types.includes('*');
      let count = 0;
      const types = new Set<string>();
      for (const f of findings) {
        if ((any || rule.types.includes(f.type)) && f.confidenceScore >= rule.minConfidence) {
          count += f.count;
          types.add(f.type);
        }
      }
      if (count >= rule.minCount && (rule.maxCount === undefined || count <= rule.maxCount)) {
        const mr: MatchedRule = {
          ruleId: rule.id,
          action: rule.action,
          severity: rule.severity,
          types: [...types],
          count,
        };
        if (rule.description) mr.description = rule.description;
        matchedRules.push(mr);
        if (ACTION_STRENGTH[rule.action] > ACTION_STRENGTH[action]) action = rule.action;
      }
    }
    return { matchedRules, action };
  }

  function scanSegments(segments: Segment[]): ScanResult {
    const byKey = new Map<string, Finding>();
    for (const seg of segments) {
      for (const m of scanSegment(seg.text)) {
        const norm = normalisedValue(m.type, m.value);
        const key = `${m.type}\u0000${norm}`;
        const existing = byKey.get(key);
        const loc = { segment: seg.name, start: m.start, end: m.end };
        if (existing) {
          existing.count++;
          existing.offsets.push(loc);
          if (m.confidence > existing.confidenceScore) {
            existing.confidenceScore = m.confidence;
            existing.confidence = confidenceLevel(m.confidence);
          }
          continue;
        }
        const f: Finding = {
          type: m.type,
          detectorId: m.detectorId,
          confidence: confidenceLevel(m.confidence),
          confidenceScore: m.confidence,
          count: 1,
          segment: seg.name,
          start: m.start,
          end: m.end,
          offsets: [loc],
          masked: maskValue(m.type, m.value),
        };
        if (fingerprintKey !== undefined) {
          f.fingerprint = createHmac('sha256', fingerprintKey)
            .update(`${m.type}\u0000${norm}`)
            .digest()
            .subarray(0, 16)
            .toString('hex');
        }
        byKey.set(key, f);
      }
    }
    const findings = [...byKey.values()];
    return { findings, ...evaluateRules(findings) };
  }

  return {
    detectors,
    scanMessage(message) {
      return scanSegments(messageSegments(message ?? {}));
    },
    scanHtml(html, scanOptions) {
      const all = scanSegment(decodeTeamsHtml(html));
      return scanOptions?.occurrences === 'all' ? all : distinctByValue(all);
    },
    scanText(text, scanOptions) {
      const all = scanSegment(text);
      return scanOptions?.occurrences === 'all' ? all : distinctByValue(all);
    },
    decode: decodeTeamsHtml,
  };
}
