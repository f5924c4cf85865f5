import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createSelfSignedCertificate,
  DECRYPT_ERROR,
  decryptNotificationContent,
  type EncryptedContent,
  encryptNotificationContent,
  parseKeyFile,
  type SelfSignedCertificate,
} from '../../src/crypto/index.js';
import { isGraphDlpError } from '../../src/errors.js';

const DECRYPT_CODES = new Set<string>(Object.values(DECRYPT_ERROR));

/** Decrypting must either succeed or throw a coded poison error; anything else (crash, foreign error) fails. */
function outcome(content: unknown, key: SelfSignedCertificate['privateKey']): 'ok' | string {
  try {
    decryptNotificationContent(content, key);
    return 'ok';
  } catch (err) {
    if (!isGraphDlpError(err) || err.kind !== 'poison' || !DECRYPT_CODES.has(err.code)) {
      throw new Error(`uncoded failure: ${String(err)}`);
    }
    return err.code;
  }
}

const FIELDS = ['data', 'dataKey', 'dataSignature'] as const;

/** One mutation of a base64 field: truncate, flip a byte, insert garbage, drop padding, empty, swap. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), field: fc.constantFrom(...FIELDS), at: fc.nat() }),
  fc.record({
    op: fc.constant('flipByte' as const),
    field: fc.constantFrom(...FIELDS),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    op: fc.constant('insertChars' as const),
    field: fc.constantFrom(...FIELDS),
    at: fc.nat(),
    text: fc.string({ minLength: 1, maxLength: 4 }),
  }),
  fc.record({ op: fc.constant('dropPadding' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({ op: fc.constant('empty' as const), field: fc.constantFrom(...FIELDS) }),
  fc.record({
    op: fc.constant('swap' as const),
    a: fc.constantFrom(...FIELDS),
    b: fc.constantFrom(...FIELDS),
  }),
  fc.record({
    op: fc.constant('bytes' as const),
    field: fc.constantFrom(...FIELDS),
    bytes: fc.uint8Array({ maxLength: 600 }),
  }),
  fc.record({
    op: fc.constant('remove' as const),
    field: fc.constantFrom(...FIELDS, 'encryptionCertificateId' as const),
  }),
  fc.record({
    op: fc.constant('wrongType' as const),
    field: fc.constantFrom(...FIELDS),
    value: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string())),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(content: EncryptedContent, m: Mutation): Record<string, unknown> {
  const c: Record<string, unknown> = { ...content };
  switch (m.op) {
    case 'truncate': {
      const v = String(c[m.field]);
      c[m.field] = v.slice(0, m.at % (v.length + 1));
      break;
    }
    case 'flipByte': {
      const bytes = Buffer.from(String(c[m.field]), 'base64');
      if (bytes.length > 0) bytes[m.at % bytes.length]! ^= 1 << m.bit;
      c[m.field] = bytes.toString('base64');
      break;
    }
    case 'insertChars': {
      const v = String(c[m.field]);
      const at = m.at % (v.length + 1);
      c[m.field] = v.slice(0, at) + m.text + v.slice(at);
      break;
    }
    case 'dropPadding':
      c[m.field] = String(c[m.field]).replace(/=+$/, '');
      break;
    case 'empty':
      c[m.field] = '';
      break;
    case 'swap': {
      const t = c[m.a];
      c[m.a] = c[m.b];
      c[m.b] = t;
      break;
    }
    case 'bytes':
      c[m.field] = Buffer.from(m.bytes).toString('base64');
      break;
    case 'remove':
      delete c[m.field];
      break;
    case 'wrongType':
      c[m.field] = m.value;
      break;
  }
  return c;
}

describe('garbage and truncated input never crashes decryption (property-based)', () => {
  let cert: SelfSignedCertificate;
  let valid: EncryptedContent;

  beforeAll(async () => {
    cert = await createSelfSignedCertificate({ keyBits: 2048 });
    valid = encryptNotificationContent(
      { id: '1', body: { content: 'fuzz target' } },
      { id: 'fuzz', certificatePem: cert.certificatePem },
    );
  });

  it('1-3 stacked mutations of a valid encryptedContent: always ok-or-coded, and tampering that survives base64 is caught by the HMAC', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const mutated = mutations.reduce<Record<string, unknown>>(
          (c, m) => apply(c as unknown as EncryptedContent, m),
          { ...valid },
        );
        const result = outcome(mutated, cert.privateKey);
        const unchanged =
          FIELDS.every((f) => mutated[f] === valid[f]) && mutated.encryptionCertificateId !== undefined;
        if (unchanged) expect(result).toBe('ok');
        else if (result === 'ok') {
          // Only base64-equivalent rewrites (e.g. "dropPadding" on an unpadded value) may still decrypt.
          for (const f of FIELDS)
            expect(Buffer.from(String(mutated[f]), 'base64').equals(Buffer.from(valid[f], 'base64'))).toBe(
              true,
            );
        }
      }),
      { numRuns: 2500 },
    );
  });

  it('arbitrary JSON values as encryptedContent are rejected with a coded error', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(outcome(value, cert.privateKey)).not.toBe('ok');
      }),
      { numRuns: 1500 },
    );
  });

  it('random well-formed base64 fields (right key length included) never decrypt and never crash', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.uint8Array({ minLength: 256, maxLength: 256 }),
        fc.uint8Array({ maxLength: 64 }),
        (data, dataKey, sig) => {
          const code = outcome(
            {
              ...valid,
              data: Buffer.from(data).toString('base64') || 'AA==',
              dataKey: Buffer.from(dataKey).toString('base64'),
              dataSignature: Buffer.from(sig).toString('base64') || 'AA==',
            },
            cert.privateKey,
          );
          expect(code).not.toBe('ok');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('mutated PKCS#12 and PEM key files fail with a coded key-file error, never a crash or a hang', () => {
    const pfx = Buffer.from(
      readFileSync(
        join(import.meta.dirname, '../fixtures/graph-sdk-rich-notification-vector/certificate.pfx.b64'),
        'utf8',
      ),
      'base64',
    );
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, xor, truncate) => {
        const bytes = Buffer.from(pfx);
        const mutated = truncate
          ? bytes.subarray(0, at % bytes.length)
          : (() => {
              bytes[at % bytes.length]! ^= xor;
              return bytes;
            })();
        try {
          parseKeyFile(mutated, { path: 'fuzz.pfx', password: 'rich' });
        } catch (err) {
          expect(isGraphDlpError(err)).toBe(true);
          expect((err as { code: string }).code).toMatch(/^GDLP_KEYS_/);
        }
      }),
      { numRuns: 400 },
    );
  });
});
