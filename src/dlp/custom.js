/**
 * Tenant-defined detectors. Admin-supplied regexes are untrusted: they are compiled with re2js (a
 * linear-time RE2 port, no backtracking, no lookaround/backreferences), must name at least one literal
 * trigger (≥ 3 characters) used as a prefilter, and matches are capped at `maxLength`.
 */
import { RE2JS } from 're2js';
import { pushMatch } from './detector.js';
import { keywordList } from './keywords.js';
import { base64ByteLength, digitsOf, ibanMod97, pemVerdict, shannonEntropy, validAba, validCard, validCrc32Base62Token, validJwt, validNino, validSsn, } from './validators.js';
export const VALIDATOR_KINDS = [
    'none',
    'luhn',
    'mod97',
    'aba',
    'ssn',
    'nino',
    'crc32_base62',
    'base64_bytes',
    'entropy',
    'jwt',
    'pem',
    'allowlist',
    'denylist',
];
export const DEFAULT_CUSTOM_MAX_LENGTH = 256;
/** Validation errors for one spec (empty = valid). Field paths are prefixed with `where`. */
export function validateCustomDetectorSpec(spec, where) {
    const errors = [];
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
        return [`${where}: must be an object`];
    const s = spec;
    if (typeof s.id !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(s.id))
        errors.push(`${where}.id: required, 1-64 of letters, digits, _ . -`);
    if (typeof s.type !== 'string' || !/^[a-z0-9_]{1,64}$/.test(s.type))
        errors.push(`${where}.type: required, lower-case letters, digits and _`);
    if (!Array.isArray(s.triggers) ||
        s.triggers.length === 0 ||
        !s.triggers.every((x) => typeof x === 'string')) {
        errors.push(`${where}.triggers: required, a non-empty list of literal strings (the prefilter)`);
    }
    else if (!s.triggers.some((x) => x.length >= 3)) {
        errors.push(`${where}.triggers: at least one trigger must have 3 or more characters`);
    }
    if (typeof s.pattern !== 'string' || s.pattern.length === 0) {
        errors.push(`${where}.pattern: required, an RE2 regular expression`);
    }
    else {
        try {
            RE2JS.compile(s.pattern, s.flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
        }
        catch (err) {
            errors.push(`${where}.pattern: not a valid linear-time (RE2) regular expression: ${err.message}`);
        }
    }
    if (s.flags !== undefined && s.flags !== '' && s.flags !== 'i')
        errors.push(`${where}.flags: only "i" is supported`);
    if (s.group !== undefined && (!Number.isInteger(s.group) || s.group < 0))
        errors.push(`${where}.group: a non-negative integer`);
    if (s.maxLength !== undefined &&
        (!Number.isInteger(s.maxLength) || s.maxLength < 1 || s.maxLength > 4096)) {
        errors.push(`${where}.maxLength: an integer 1-4096`);
    }
    if (s.validator !== undefined) {
        const v = s.validator;
        if (typeof v !== 'object' || v === null || !VALIDATOR_KINDS.includes(v.kind)) {
            errors.push(`${where}.validator.kind: one of ${VALIDATOR_KINDS.join(', ')}`);
        }
        else {
            if (v.kind === 'base64_bytes' && !Number.isInteger(v.bytes))
                errors.push(`${where}.validator.bytes: required integer for base64_bytes`);
            if (v.kind === 'entropy' && typeof v.min !== 'number')
                errors.push(`${where}.validator.min: required number for entropy`);
            if ((v.kind === 'allowlist' || v.kind === 'denylist') && !Array.isArray(v.values))
                errors.push(`${where}.validator.values: required list`);
        }
    }
    if (s.context !== undefined) {
        const c = s.context;
        if (typeof c !== 'object' ||
            c === null ||
            !Array.isArray(c.keywords) ||
            !c.keywords.every((x) => typeof x === 'string')) {
            errors.push(`${where}.context.keywords: a list of strings`);
        }
        if (c &&
            c.window !== undefined &&
            (!Number.isInteger(c.window) || c.window < 1 || c.window > 1000)) {
            errors.push(`${where}.context.window: an integer 1-1000 (characters)`);
        }
    }
    if (s.confidence !== undefined) {
        const c = s.confidence;
        for (const k of ['base', 'withContext']) {
            const n = c?.[k];
            if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 100))
                errors.push(`${where}.confidence.${k}: an integer 1-100`);
        }
    }
    if (s.minConfidence !== undefined &&
        (!Number.isInteger(s.minConfidence) ||
            s.minConfidence < 1 ||
            s.minConfidence > 100)) {
        errors.push(`${where}.minConfidence: an integer 1-100`);
    }
    return errors;
}
function runValidator(v, value) {
    if (!v)
        return true;
    switch (v.kind) {
        case 'none':
            return true;
        case 'luhn':
            return validCard(digitsOf(value));
        case 'mod97':
            return ibanMod97(value.replace(/[\s-]/g, '').toUpperCase());
        case 'aba':
            return validAba(digitsOf(value));
        case 'ssn':
            return validSsn(digitsOf(value));
        case 'nino':
            return validNino(value.replace(/[\s-]/g, '').toUpperCase());
        case 'crc32_base62':
            return validCrc32Base62Token(value);
        case 'base64_bytes':
            return base64ByteLength(value) === v.bytes;
        case 'entropy':
            return shannonEntropy(value) >= (v.min ?? 0);
        case 'jwt':
            return validJwt(value);
        case 'pem':
            return pemVerdict(value) === 'parsed';
        case 'allowlist':
            return (v.values ?? []).includes(value);
        case 'denylist':
            return !(v.values ?? []).includes(value);
    }
}
/** Compile a validated spec into a detector. Throws on an invalid spec (call validateCustomDetectorSpec first). */
export function createCustomDetector(spec) {
    const errors = validateCustomDetectorSpec(spec, spec.id ?? 'customDetector');
    if (errors.length > 0)
        throw new Error(errors.join('; '));
    const re = RE2JS.compile(spec.pattern, spec.flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
    const triggers = spec.triggers.map((x) => x.toLowerCase());
    const maxLength = spec.maxLength ?? DEFAULT_CUSTOM_MAX_LENGTH;
    const window = spec.context?.window ?? 300;
    const contextList = spec.context?.keywords.length
        ? keywordList(`custom:${spec.id}:ctx`, spec.context.keywords)
        : undefined;
    const excludeList = spec.exclude?.keywords?.length
        ? keywordList(`custom:${spec.id}:ex`, spec.exclude.keywords)
        : undefined;
    const excludedValues = new Set(spec.exclude?.values ?? []);
    const base = spec.confidence?.base ?? 65;
    const withContext = spec.confidence?.withContext ?? 85;
    const group = spec.group ?? 0;
    return {
        id: spec.id,
        types: [spec.type],
        scan(ctx, out) {
            const lower = ctx.lower;
            if (!triggers.some((tr) => lower.includes(tr)))
                return;
            const m = re.matcher(ctx.text);
            while (m.find()) {
                const start = m.start(group);
                const end = m.end(group);
                if (start < 0 || end <= start || end - start > maxLength)
                    continue;
                const value = ctx.text.slice(start, end);
                if (excludedValues.has(value) || !runValidator(spec.validator, value))
                    continue;
                if (excludeList && ctx.hasKeyword(excludeList, start, end, window))
                    continue;
                const hasContext = contextList ? ctx.hasKeyword(contextList, start, end, window) : false;
                if (spec.context?.required && !hasContext)
                    continue;
                pushMatch(out, ctx, spec.type, spec.id, start, end, hasContext ? withContext : base);
            }
        },
    };
}
