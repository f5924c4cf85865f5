import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GraphDlpError } from '../errors.js';
import { ALL_OPTIONS, ALL_RULES } from './options/index.js';
import type { ConfigRule, OptionSpec } from './schema.js';

export type ConfigTree = { readonly [key: string]: unknown };

export interface LoadConfigInput {
  /** Environment to read. Only this module reads `process.env`; callers pass it through. */
  env?: NodeJS.ProcessEnv;
  /** Optional JSON or YAML file with the same dotted keys as nested objects. Env wins over the file. */
  file?: string;
  /** Values set by a CLI command (flags). They win over env and file. */
  overrides?: Record<string, unknown>;
  /** Options to validate. Default: every declared option. */
  options?: readonly OptionSpec[];
  /** Cross-option rules. Default: every declared rule whose options are all being validated. */
  rules?: readonly ConfigRule[];
  /** `worker` also applies the rules only the worker needs (one of two connection settings required...). */
  purpose?: 'worker' | 'tool';
}

export const CONFIG_FILE_ENV = 'GDLP_CONFIG_FILE';

/**
 * Validates every option once and returns a deep-frozen tree. All problems are collected and thrown
 * together as one `GDLP_CONFIG_INVALID` fatal error whose message lists each, so an operator fixes them
 * in one pass instead of one restart per typo.
 */
export function loadConfig(input: LoadConfigInput = {}): ConfigTree {
  const env = input.env ?? process.env;
  const options = input.options ?? ALL_OPTIONS;
  const problems: string[] = [];
  const filePath = input.file ?? env[CONFIG_FILE_ENV];
  let fileTree: Record<string, unknown> = {};
  if (filePath) {
    try {
      const text = readFileSync(filePath, 'utf8');
      const parsed = filePath.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      if (parsed && typeof parsed === 'object') fileTree = parsed as Record<string, unknown>;
      else problems.push(`config file ${filePath}: expected an object at the top level`);
    } catch (err) {
      problems.push(`config file ${filePath}: ${(err as Error).message}`);
    }
  }
  const values = new Map<string, unknown>();
  const knownFileKeys = new Set<string>();
  const invalidKeys = new Set<string>();
  for (const spec of options) {
    const override = input.overrides?.[spec.key];
    const fromEnv = env[spec.env];
    const fromFile = getPath(fileTree, spec.key);
    if (fromFile !== undefined) knownFileKeys.add(spec.key);
    const source =
      override !== undefined
        ? 'flag'
        : fromEnv !== undefined && fromEnv !== ''
          ? spec.env
          : fromFile !== undefined
            ? `file key ${spec.key}`
            : undefined;
    const raw =
      override !== undefined ? override : fromEnv !== undefined && fromEnv !== '' ? fromEnv : fromFile;
    if (raw === undefined) {
      if (spec.default !== undefined) values.set(spec.key, spec.default);
      continue;
    }
    const result = coerce(spec, raw);
    if ('error' in result) {
      problems.push(`${source ?? spec.env}: ${result.error}${spec.hint ? ` (${spec.hint})` : ''}`);
      invalidKeys.add(spec.key);
    } else values.set(spec.key, result.value);
  }
  const lookup = (key: string) => values.get(key);
  for (const spec of options) {
    if (!values.has(spec.key) && spec.requiredWhen?.(lookup)) {
      problems.push(`${spec.env} is required: ${spec.description}${spec.hint ? ` (${spec.hint})` : ''}`);
    }
  }
  const validatedKeys = new Set(options.map((o) => o.key));
  for (const rule of input.rules ?? ALL_RULES) {
    if (rule.purpose === 'worker' && input.purpose !== 'worker') continue;
    if (rule.keys.every((k) => validatedKeys.has(k) && !invalidKeys.has(k)))
      problems.push(...rule.check(lookup));
  }
  // A command that validates only its own options still accepts a file written for the whole worker:
  // a key is unknown only if no option of any area declares it.
  const declaredKeys = new Set(ALL_OPTIONS.map((o) => o.key));
  for (const key of flattenKeys(fileTree)) {
    if (
      !knownFileKeys.has(key) &&
      !declaredKeys.has(key) &&
      !ALL_OPTIONS.some((o) => o.key.startsWith(`${key}.`))
    ) {
      problems.push(`config file key '${key}' is not a known option (see \`graph-dlp config options\`)`);
    }
  }
  if (problems.length > 0) {
    throw new GraphDlpError(
      'GDLP_CONFIG_INVALID',
      'fatal',
      `Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { details: { problems } },
    );
  }
  const tree: Record<string, unknown> = {};
  for (const [key, value] of values) setPath(tree, key, value);
  return deepFreeze(tree);
}

/** A section of the tree, typed by the caller's own interface (each capability owns its section's type). */
export function configSection<T>(config: ConfigTree, key: string): T {
  return (getPath(config as Record<string, unknown>, key) ?? {}) as T;
}

/** The effective settings for display, with secrets replaced by `[set]`. */
export function describeConfig(
  config: ConfigTree,
  options: readonly OptionSpec[] = ALL_OPTIONS,
): Array<{ key: string; env: string; value: string }> {
  return options.map((spec) => {
    const value = getPath(config as Record<string, unknown>, spec.key);
    const shown =
      value === undefined
        ? '(unset)'
        : spec.secret
          ? '[set]'
          : Array.isArray(value)
            ? value.join(',')
            : String(value);
    return { key: spec.key, env: spec.env, value: shown };
  });
}

function coerce(spec: OptionSpec, raw: unknown): { value: unknown } | { error: string } {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.type) {
    case 'string':
      return typeof text === 'string' ? { value: text } : { error: `expected text, got ${typeof raw}` };
    case 'url': {
      if (typeof text !== 'string') return { error: 'expected a URL' };
      try {
        new URL(text);
        return { value: text };
      } catch {
        return { error: `'${spec.secret ? '[hidden]' : text}' is not a valid URL` };
      }
    }
    case 'int':
    case 'number': {
      const n =
        typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : Number.NaN;
      if (!Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n))) {
        return {
          error: `expected ${spec.type === 'int' ? 'a whole number' : 'a number'}${spec.unit ? ` of ${spec.unit}` : ''}, got '${String(raw)}'`,
        };
      }
      if (spec.min !== undefined && n < spec.min)
        return { error: `must be at least ${spec.min}${spec.unit ? ` ${spec.unit}` : ''}, got ${n}` };
      if (spec.max !== undefined && n > spec.max)
        return { error: `must be at most ${spec.max}${spec.unit ? ` ${spec.unit}` : ''}, got ${n}` };
      return { value: n };
    }
    case 'boolean': {
      if (typeof text === 'boolean') return { value: text };
      const t = String(text).toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(t)) return { value: true };
      if (['false', '0', 'no', 'off'].includes(t)) return { value: false };
      return { error: `expected true or false, got '${String(raw)}'` };
    }
    case 'enum': {
      const t = String(text);
      return spec.values?.includes(t)
        ? { value: t }
        : { error: `must be one of ${spec.values?.join(', ')}, got '${t}'` };
    }
    case 'list': {
      if (Array.isArray(text)) return { value: text.map(String) };
      return {
        value: String(text)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    }
    case 'json': {
      if (typeof text !== 'string') return { value: text };
      try {
        return { value: JSON.parse(text) };
      } catch (err) {
        return { error: `expected JSON: ${(err as Error).message}` };
      }
    }
  }
}

function getPath(tree: Record<string, unknown>, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function setPath(tree: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function flattenKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      keys.push(...flattenKeys(v as Record<string, unknown>, path));
    else keys.push(path);
  }
  return keys;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
