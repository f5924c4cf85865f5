/**
 * DLP policy files (JSON or YAML): rules that turn findings into actions, optional per-type reporting
 * thresholds, and custom detectors. Validation is pure and reports every problem at once.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GraphDlpError } from '../errors.js';
import { type CustomDetectorSpec, validateCustomDetectorSpec } from './custom.js';
import { SENSITIVE_TYPES } from './types.js';

export const DLP_ACTIONS = ['report', 'notifySender', 'blockAccess', 'blockAccessExternal'] as const;
export type DlpAction = (typeof DLP_ACTIONS)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface PolicyRule {
  id: string;
  description?: string;
  /** Canonical or custom type names; `*` = any type. */
  types: string[];
  /** 1-100 (65 low, 75 medium, 85 high); default 75. */
  minConfidence: number;
  /** Minimum instances (sum of counts over the rule's types); default 1. */
  minCount: number;
  /** Optional upper bound (Purview's low-volume rules use 1-9). */
  maxCount?: number;
  severity: Severity;
  action: DlpAction;
}

export interface DlpPolicy {
  name?: string;
  rules: PolicyRule[];
  /** Per-type reporting threshold override (which findings are reported at all). */
  minConfidence?: Record<string, number>;
  customDetectors: CustomDetectorSpec[];
}

const CONFIDENCE_WORDS: Record<string, number> = { low: 65, medium: 75, high: 85 };

function parseConfidence(v: unknown): number | undefined {
  if (typeof v === 'string' && v in CONFIDENCE_WORDS) return CONFIDENCE_WORDS[v];
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100) return v;
  return undefined;
}

/** Validate a parsed policy document; returns the normalised policy or every error found. */
export function validatePolicy(doc: unknown): { policy?: DlpPolicy; errors: string[] } {
  const errors: string[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { errors: ['policy: the file must contain an object with a `rules` list'] };
  const d = doc as Record<string, unknown>;
  const known = new Set(['name', 'description', 'rules', 'minConfidence', 'customDetectors', 'version']);
  for (const k of Object.keys(d))
    if (!known.has(k)) errors.push(`policy.${k}: unknown field (allowed: ${[...known].join(', ')})`);
  const customDetectors: CustomDetectorSpec[] = [];
  const customTypes = new Set<string>();
  if (d.customDetectors !== undefined) {
    if (!Array.isArray(d.customDetectors)) errors.push('policy.customDetectors: must be a list');
    else {
      const ids = new Set<string>();
      d.customDetectors.forEach((c, i) => {
        const errs = validateCustomDetectorSpec(c, `policy.customDetectors[${i}]`);
        errors.push(...errs);
        const spec = c as CustomDetectorSpec;
        if (spec && typeof spec.id === 'string') {
          if (ids.has(spec.id)) errors.push(`policy.customDetectors[${i}].id: duplicate id '${spec.id}'`);
          ids.add(spec.id);
        }
        if (errs.length === 0) {
          customDetectors.push(spec);
          customTypes.add(spec.type);
        }
      });
    }
  }
  const isKnownType = (t: string) =>
    t === '*' || (SENSITIVE_TYPES as readonly string[]).includes(t) || customTypes.has(t);
  const rules: PolicyRule[] = [];
  if (!Array.isArray(d.rules)) {
    errors.push('policy.rules: required, a list of rules');
  } else {
    const ids = new Set<string>();
    d.rules.forEach((r, i) => {
      const at = `policy.rules[${i}]`;
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        errors.push(`${at}: must be an object`);
        return;
      }
      const o = r as Record<string, unknown>;
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
      for (const k of Object.keys(o)) if (!allowed.has(k)) errors.push(`${at}.${k}: unknown field`);
      if (typeof o.id !== 'string' || o.id.length === 0) errors.push(`${at}.id: required string`);
      else if (ids.has(o.id)) errors.push(`${at}.id: duplicate id '${o.id}'`);
      else ids.add(o.id);
      const types = typeof o.types === 'string' ? [o.types] : o.types;
      if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string')) {
        errors.push(`${at}.types: required, a list of type names (or "*")`);
      } else {
        for (const t of types as string[])
          if (!isKnownType(t))
            errors.push(
              `${at}.types: unknown type '${t}' (known: ${SENSITIVE_TYPES.join(', ')}, custom types, *)`,
            );
      }
      const minConfidence = o.minConfidence === undefined ? 75 : parseConfidence(o.minConfidence);
      if (minConfidence === undefined)
        errors.push(`${at}.minConfidence: low|medium|high or an integer 1-100`);
      const minCount = o.minCount === undefined ? 1 : o.minCount;
      if (!Number.isInteger(minCount) || (minCount as number) < 1)
        errors.push(`${at}.minCount: an integer ≥ 1`);
      if (
        o.maxCount !== undefined &&
        (!Number.isInteger(o.maxCount) || (o.maxCount as number) < (Number(minCount) || 1))
      ) {
        errors.push(`${at}.maxCount: an integer ≥ minCount`);
      }
      const severity = o.severity === undefined ? 'medium' : o.severity;
      if (!SEVERITIES.includes(severity as Severity))
        errors.push(`${at}.severity: one of ${SEVERITIES.join(', ')}`);
      if (!DLP_ACTIONS.includes(o.action as DlpAction))
        errors.push(`${at}.action: required, one of ${DLP_ACTIONS.join(', ')}`);
      if (errors.length === before) {
        const rule: PolicyRule = {
          id: o.id as string,
          types: types as string[],
          minConfidence: minConfidence as number,
          minCount: minCount as number,
          severity: severity as Severity,
          action: o.action as DlpAction,
        };
        if (typeof o.description === 'string') rule.description = o.description;
        if (o.maxCount !== undefined) rule.maxCount = o.maxCount as number;
        rules.push(rule);
      }
    });
  }
  let minConfidence: Record<string, number> | undefined;
  if (d.minConfidence !== undefined) {
    if (typeof d.minConfidence !== 'object' || d.minConfidence === null || Array.isArray(d.minConfidence)) {
      errors.push('policy.minConfidence: a map of type → low|medium|high|1-100');
    } else {
      minConfidence = {};
      for (const [t, v] of Object.entries(d.minConfidence)) {
        if (!isKnownType(t)) errors.push(`policy.minConfidence.${t}: unknown type`);
        const c = parseConfidence(v);
        if (c === undefined) errors.push(`policy.minConfidence.${t}: low|medium|high or an integer 1-100`);
        else minConfidence[t] = c;
      }
    }
  }
  if (errors.length > 0) return { errors };
  const policy: DlpPolicy = { rules, customDetectors };
  if (typeof d.name === 'string') policy.name = d.name;
  if (minConfidence) policy.minConfidence = minConfidence;
  return { policy, errors };
}

/** Parse policy text (JSON or YAML; JSON is valid YAML) and validate it; throws one error listing every problem. */
export function parsePolicy(text: string, source = 'policy'): DlpPolicy {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new GraphDlpError(
      'GDLP_DLP_POLICY_INVALID',
      'fatal',
      `${source}: not valid JSON or YAML: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const { policy, errors } = validatePolicy(doc);
  if (!policy) {
    throw new GraphDlpError(
      'GDLP_DLP_POLICY_INVALID',
      'fatal',
      `${source}: ${errors.length} problem(s):\n  - ${errors.join('\n  - ')}`,
      {
        details: { source, errors },
      },
    );
  }
  return policy;
}

export function loadPolicyFile(path: string): DlpPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GraphDlpError(
      'GDLP_DLP_POLICY_UNREADABLE',
      'fatal',
      `cannot read policy file ${path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return parsePolicy(text, path);
}
