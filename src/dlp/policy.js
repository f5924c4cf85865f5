/**
 * DLP policy files (JSON or YAML): rules that turn findings into actions, optional per-type reporting
 * thresholds, and custom detectors. Validation is pure and reports every problem at once.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GraphDlpError } from '../errors.js';
import { validateCustomDetectorSpec } from './custom.js';
import { SENSITIVE_TYPES } from './types.js';
export const DLP_ACTIONS = ['report', 'notifySender', 'blockAccess', 'blockAccessExternal'];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const CONFIDENCE_WORDS = { low: 65, medium: 75, high: 85 };
function parseConfidence(v) {
    if (typeof v === 'string' && v in CONFIDENCE_WORDS)
        return CONFIDENCE_WORDS[v];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100)
        return v;
    return undefined;
}
/** Validate a parsed policy document; returns the normalised policy or every error found. */
export function validatePolicy(doc) {
    const errors = [];
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
        return { errors: ['policy: the file must contain an object with a `rules` list'] };
    const d = doc;
    const known = new Set(['name', 'description', 'rules', 'minConfidence', 'customDetectors', 'version']);
    for (const k of Object.keys(d))
        if (!known.has(k))
            errors.push(`policy.${k}: unknown field (allowed: ${[...known].join(', ')})`);
    const customDetectors = [];
    const customTypes = new Set();
    if (d.customDetectors !== undefined) {
        if (!Array.isArray(d.customDetectors))
            errors.push('policy.customDetectors: must be a list');
        else {
            const ids = new Set();
            d.customDetectors.forEach((c, i) => {
                const errs = validateCustomDetectorSpec(c, `policy.customDetectors[${i}]`);
                errors.push(...errs);
                const spec = c;
                if (spec && typeof spec.id === 'string') {
                    if (ids.has(spec.id))
                        errors.push(`policy.customDetectors[${i}].id: duplicate id '${spec.id}'`);
                    ids.add(spec.id);
                }
                if (errs.length === 0) {
                    customDetectors.push(spec);
                    customTypes.add(spec.type);
                }
            });
        }
    }
    const isKnownType = (t) => t === '*' || SENSITIVE_TYPES.includes(t) || customTypes.has(t);
    const rules = [];
    if (!Array.isArray(d.rules)) {
        errors.push('policy.rules: required, a list of rules');
    }
    else {
        const ids = new Set();
        d.rules.forEach((r, i) => {
            const at = `policy.rules[${i}]`;
            if (typeof r !== 'object' || r === null || Array.isArray(r)) {
                errors.push(`${at}: must be an object`);
                return;
            }
            const o = r;
            const before = errors.length;
            const allowed = new Set([
                'id',
                'description',
                'types',
                'minConfidence',
                'minCount',
                'maxCount',
                'severity',
                'action',
            ]);
            for (const k of Object.keys(o))
                if (!allowed.has(k))
                    errors.push(`${at}.${k}: unknown field`);
            if (typeof o.id !== 'string' || o.id.length === 0)
                errors.push(`${at}.id: required string`);
            else if (ids.has(o.id))
                errors.push(`${at}.id: duplicate id '${o.id}'`);
            else
                ids.add(o.id);
            const types = typeof o.types === 'string' ? [o.types] : o.types;
            if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string')) {
                errors.push(`${at}.types: required, a list of type names (or "*")`);
            }
            else {
                for (const t of types)
                    if (!isKnownType(t))
                        errors.push(`${at}.types: unknown type '${t}' (known: ${SENSITIVE_TYPES.join(', ')}, custom types, *)`);
            }
            const minConfidence = o.minConfidence === undefined ? 75 : parseConfidence(o.minConfidence);
            if (minConfidence === undefined)
                errors.push(`${at}.minConfidence: low|medium|high or an integer 1-100`);
            const minCount = o.minCount === undefined ? 1 : o.minCount;
            if (!Number.isInteger(minCount) || minCount < 1)
                errors.push(`${at}.minCount: an integer ≥ 1`);
            if (o.maxCount !== undefined &&
                (!Number.isInteger(o.maxCount) || o.maxCount < (Number(minCount) || 1))) {
                errors.push(`${at}.maxCount: an integer ≥ minCount`);
            }
            const severity = o.severity === undefined ? 'medium' : o.severity;
            if (!SEVERITIES.includes(severity))
                errors.push(`${at}.severity: one of ${SEVERITIES.join(', ')}`);
            if (!DLP_ACTIONS.includes(o.action))
                errors.push(`${at}.action: required, one of ${DLP_ACTIONS.join(', ')}`);
            if (errors.length === before) {
                const rule = {
                    id: o.id,
                    types: types,
                    minConfidence: minConfidence,
                    minCount: minCount,
                    severity: severity,
                    action: o.action,
                };
                if (typeof o.description === 'string')
                    rule.description = o.description;
                if (o.maxCount !== undefined)
                    rule.maxCount = o.maxCount;
                rules.push(rule);
            }
        });
    }
    let minConfidence;
    if (d.minConfidence !== undefined) {
        if (typeof d.minConfidence !== 'object' || d.minConfidence === null || Array.isArray(d.minConfidence)) {
            errors.push('policy.minConfidence: a map of type → low|medium|high|1-100');
        }
        else {
            minConfidence = {};
            for (const [t, v] of Object.entries(d.minConfidence)) {
                if (!isKnownType(t))
                    errors.push(`policy.minConfidence.${t}: unknown type`);
                const c = parseConfidence(v);
                if (c === undefined)
                    errors.push(`policy.minConfidence.${t}: low|medium|high or an integer 1-100`);
                else
                    minConfidence[t] = c;
            }
        }
    }
    if (errors.length > 0)
        return { errors };
    const policy = { rules, customDetectors };
    if (typeof d.name === 'string')
        policy.name = d.name;
    if (minConfidence)
        policy.minConfidence = minConfidence;
    return { policy, errors };
}
/** Parse policy text (JSON or YAML; JSON is valid YAML) and validate it; throws one error listing every problem. */
export function parsePolicy(text, source = 'policy') {
    let doc;
    try {
        doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
    }
    catch (err) {
        throw new GraphDlpError('GDLP_DLP_POLICY_INVALID', 'fatal', `${source}: not valid JSON or YAML: ${err.message}`, { cause: err });
    }
    const { policy, errors } = validatePolicy(doc);
    if (!policy) {
        throw new GraphDlpError('GDLP_DLP_POLICY_INVALID', 'fatal', `${source}: ${errors.length} problem(s):\n  - ${errors.join('\n  - ')}`, {
            details: { source, errors },
        });
    }
    return policy;
}
export function loadPolicyFile(path) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (err) {
        throw new GraphDlpError('GDLP_DLP_POLICY_UNREADABLE', 'fatal', `cannot read policy file ${path}: ${err.message}`, { cause: err });
    }
    return parsePolicy(text, path);
}
