import { createHmac } from 'node:crypto';
import { messageSegments } from './content.js';
import { ScanContext } from './context.js';
import { createCustomDetector } from './custom.js';
import { BUILTIN_DETECTORS } from './detectors/index.js';
import { decodeTeamsHtml } from './html.js';
import { maskValue } from './mask.js';
import { confidenceLevel, SENSITIVE_TYPES, } from './types.js';
/** Default reporting threshold per type (Purview: 75 for most; cards and IBANs report from 65). */
export const DEFAULT_MIN_CONFIDENCE = Object.freeze({
    ...Object.fromEntries(SENSITIVE_TYPES.map((t) => [t, 75])),
    credit_card: 65,
    iban: 65,
});
/**
 * Overlap priority: the more specific type wins (connection string ⊃ account key ⊃ generic key; JWT ⊃
 * generic; IBAN ⊃ digit runs; card ⊃ SSN/phone). Ambiguous numeric types share a priority and are settled
 * by the distance to their corroborating keyword.
 */
const PRIORITY = {
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
const ACTION_STRENGTH = {
    none: 0,
    report: 1,
    notifySender: 2,
    blockAccessExternal: 3,
    blockAccess: 4,
};
function normalisedValue(type, value) {
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
export function createDlpEngine(options = {}) {
    const specs = [...(options.policy?.customDetectors ?? []), ...(options.customDetectors ?? [])];
    const custom = specs.map((s) => createCustomDetector(s));
    const detectors = [...BUILTIN_DETECTORS, ...custom];
    const thresholds = { ...DEFAULT_MIN_CONFIDENCE };
    for (const s of specs)
        thresholds[s.type] = s.minConfidence ?? thresholds[s.type] ?? 75;
    Object.assign(thresholds, options.policy?.minConfidence ?? {}, options.minConfidence ?? {});
    const thresholdByType = new Map(Object.entries(thresholds));
    const rules = options.policy?.rules ?? [];
    const fingerprintKey = options.fingerprintKey;
    function scanSegment(text) {
        if (text.length === 0)
            return [];
        const ctx = new ScanContext(text);
        const raw = [];
        for (const d of detectors)
            d.scan(ctx, raw);
        if (raw.length === 0)
            return raw;
        return resolve(raw);
    }
    function resolve(raw) {
        const kept = [];
        for (const m of raw)
            if (m.confidence >= (thresholdByType.get(m.type) ?? 75))
                kept.push(m);
        if (kept.length <= 1)
            return kept;
        // Priorities looked up once per match, not twice per comparison (string-keyed lookups dominated the sort).
        const priority = [];
        const order = [];
        for (let i = 0; i < kept.length; i++) {
            priority.push(PRIORITY_BY_TYPE.get(kept[i].type) ?? CUSTOM_PRIORITY);
            order.push(i);
        }
        order.sort((i, j) => {
            const pa = priority[i];
            const pb = priority[j];
            if (pa !== pb)
                return pb - pa;
            const a = kept[i];
            const b = kept[j];
            const da = a.evidenceDistance ?? 0;
            const db = b.evidenceDistance ?? 0;
            if (da !== db)
                return da - db;
            if (a.confidence !== b.confidence)
                return b.confidence - a.confidence;
            return b.end - b.start - (a.end - a.start) || i - j;
        });
        const ranked = order.map((i) => kept[i]);
        const out = [];
        if (ranked.length > 32) {
            // Many candidates (a large, dense message): mark accepted characters; each candidate checks only its
            // own span, so resolution stays linear in the total candidate length.
            let taken = new Uint8Array(0);
            for (const m of ranked) {
                if (taken.length < m.end) {
                    const grown = new Uint8Array(Math.max(m.end, taken.length * 2, 1024));
                    grown.set(taken);
                    taken = grown;
                }
                let free = true;
                for (let i = m.start; i < m.end; i++) {
                    if (taken[i] !== 0) {
                        free = false;
                        break;
                    }
                }
                if (!free)
                    continue;
                taken.fill(1, m.start, m.end);
                out.push(m);
            }
        }
        else {
            // Few candidates: accepted spans are disjoint; keep them sorted by start for a binary-search test.
            const starts = [];
            const ends = [];
            for (const m of ranked) {
                let lo = 0;
                let hi = starts.length;
                while (lo < hi) {
                    const mid = (lo + hi) >> 1;
                    if (starts[mid] < m.end)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                // lo = first accepted span starting at or after m.end; the one before it is the only candidate overlap.
                if (lo > 0 && ends[lo - 1] > m.start)
                    continue;
                starts.splice(lo, 0, m.start);
                ends.splice(lo, 0, m.end);
                out.push(m);
            }
        }
        out.sort((a, b) => a.start - b.start || a.end - b.end);
        return out;
    }
    function distinctByValue(matches) {
        if (matches.length <= 1)
            return matches;
        const out = [];
        if (matches.length <= 16) {
            // Few matches per message: a short scan beats building string keys.
            outer: for (const m of matches) {
                for (const o of out)
                    if (o.type === m.type && o.value === m.value)
                        continue outer;
                out.push(m);
            }
            return out;
        }
        const seen = new Set();
        for (const m of matches) {
            const key = `${m.type}\u0000${m.value}`;
            if (seen.has(key))
                continue;
            seen.add(key);
            out.push(m);
        }
        return out;
    }
    function evaluateRules(findings) {
        const matchedRules = [];
        let action = 'none';
        for (const rule of rules) {
            const any = rule.types.includes('*');
            let count = 0;
            const types = new Set();
            for (const f of findings) {
                if ((any || rule.types.includes(f.type)) && f.confidenceScore >= rule.minConfidence) {
                    count += f.count;
                    types.add(f.type);
                }
            }
            if (count >= rule.minCount && (rule.maxCount === undefined || count <= rule.maxCount)) {
                const mr = {
                    ruleId: rule.id,
                    action: rule.action,
                    severity: rule.severity,
                    types: [...types],
                    count,
                };
                if (rule.description)
                    mr.description = rule.description;
                matchedRules.push(mr);
                if (ACTION_STRENGTH[rule.action] > ACTION_STRENGTH[action])
                    action = rule.action;
            }
        }
        return { matchedRules, action };
    }
    function scanSegments(segments) {
        const byKey = new Map();
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
                const f = {
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
