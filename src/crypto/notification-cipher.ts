/**
 * Graph's rich-notification scheme (graph-notifications.md §4), both directions, as pure functions:
 * a random 32-byte AES key wrapped with RSA-OAEP (MGF1 + SHA-1, empty label); AES-256-CBC with IV = the
 * key's first 16 bytes and PKCS#7 padding; HMAC-SHA256 with the same key over the ciphertext bytes.
 * Everything travels base64. No I/O here: the worker pool and the CLI call these.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
  X509Certificate,
} from 'node:crypto';
import { GraphDlpError } from '../errors.js';
import { DECRYPT_ERROR, decryptError } from './errors.js';

/** `changeNotificationEncryptedContent` as Graph sends it. */
export interface EncryptedContent {
  data: string;
  dataKey: string;
  dataSignature: string;
  encryptionCertificateId: string;
  encryptionCertificateThumbprint?: string;
}

export type PrivateKeyInput = KeyObject | string | Buffer;

const SYMMETRIC_KEY_BYTES = 32;

/** Validates the shape of `encryptedContent` and narrows it. */
export function assertEncryptedContent(value: unknown): EncryptedContent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw decryptError(DECRYPT_ERROR.MALFORMED, 'encryptedContent is not an object');
  }
  const v = value as Record<string, unknown>;
  for (const field of ['data', 'dataKey', 'dataSignature', 'encryptionCertificateId'] as const) {
    if (typeof v[field] !== 'string' || v[field] === '') {
      throw decryptError(DECRYPT_ERROR.MALFORMED, `encryptedContent.${field} is missing or not a string`, {
        details: { field },
      });
    }
  }
  if (
    v.encryptionCertificateThumbprint !== undefined &&
    v.encryptionCertificateThumbprint !== null &&
    typeof v.encryptionCertificateThumbprint !== 'string'
  ) {
    throw decryptError(
      DECRYPT_ERROR.MALFORMED,
      'encryptedContent.encryptionCertificateThumbprint is not a string',
      {
        details: { field: 'encryptionCertificateThumbprint' },
      },
    );
  }
  return v as unknown as EncryptedContent;
}

/** Strict base64 (standard alphabet, padded): Buffer.from would silently skip garbage characters. */
export function decodeBase64Field(value: string, field: string): Buffer {
  const compact = value.includes('\n') || value.includes('\r') ? value.replace(/[\r\n]/g, '') : value;
  // Node's decoder skips characters outside the alphabet and stops at '=', so a decoded length that differs
  // from what the text length promises means the text was not clean base64. Cheaper than a regex over
  // kilobytes, on the hot path. The URL-safe alphabet, which Node would also accept, is refused.
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  const decoded = Buffer.from(compact, 'base64');
  if (
    compact.length === 0 ||
    compact.length % 4 !== 0 ||
    decoded.length !== (compact.length / 4) * 3 - padding ||
    compact.includes('-') ||
    compact.includes('_')
  ) {
    throw decryptError(DECRYPT_ERROR.BAD_BASE64, `encryptedContent.${field} is not valid base64`, {
      details: { field, length: value.length },
    });
  }
  return decoded;
}

export function toPrivateKey(key: PrivateKeyInput): KeyObject {
  if (typeof key === 'object' && 'asymmetricKeyType' in key && !Buffer.isBuffer(key)) return key as KeyObject;
  return createPrivateKey(key as string | Buffer);
}

/** RSA-OAEP (SHA-1) unwrap of `dataKey` into the 32-byte AES key. */
export function unwrapDataKey(dataKeyBase64: string, privateKey: PrivateKeyInput): Buffer {
  const wrapped = decodeBase64Field(dataKeyBase64, 'dataKey');
  let key: Buffer;
  try {
    // A bare KeyObject: RSA-OAEP with SHA-1 (and MGF1-SHA-1) are privateDecrypt's documented defaults. The
    // `{ key, padding, oaepHash }` form is the same operation, but Node 24.21 first probes the options object
    // as a KeyObject and as a CryptoKey, throwing and catching an error each time: ~30 µs more per call
    // (about 10 % of RSA-2048), measured A/B; Node 20 makes no difference.
    key = privateDecrypt(toPrivateKey(privateKey), wrapped);
  } catch (err) {
    throw decryptError(
      DECRYPT_ERROR.KEY_UNWRAP_FAILED,
      'RSA-OAEP unwrap of dataKey failed (wrong private key or corrupted dataKey)',
      {
        cause: err,
        details: { wrappedKeyBytes: wrapped.length },
      },
    );
  }
  return key;
}

/**
 * Verifies the HMAC (constant time, before any decryption), decrypts and parses, given the already
 * unwrapped symmetric key. Used directly by the remote-unwrap path, where Key Vault did the RSA step.
 */
export function decryptWithSymmetricKey(content: EncryptedContent, symmetricKey: Buffer): unknown {
  return parsePlaintext(decryptPlaintextWithSymmetricKey(content, symmetricKey));
}

/** HMAC check and AES decryption only: the exact plaintext bytes Graph encrypted. */
export function decryptPlaintextWithSymmetricKey(content: EncryptedContent, symmetricKey: Buffer): Buffer {
  if (symmetricKey.length !== SYMMETRIC_KEY_BYTES) {
    throw decryptError(
      DECRYPT_ERROR.BAD_KEY_LENGTH,
      `unwrapped key is ${symmetricKey.length} bytes, expected ${SYMMETRIC_KEY_BYTES}`,
      {
        details: { keyBytes: symmetricKey.length },
      },
    );
  }
  const ciphertext = decodeBase64Field(content.data, 'data');
  const signature = decodeBase64Field(content.dataSignature, 'dataSignature');
  // One KeyObject for both HMAC and AES: Node 24 (the container's runtime) spends ~10 µs importing a raw Buffer
  // key on every createHmac / createDecipheriv call, 0.6 µs in createSecretKey. Measured A/B, HMAC + AES of
  // 1.5 KB: Node 24 34 -> 9.6 µs (9 % of an RSA-2048 notification); Node 20 8.5 -> 10 µs (0.5 %).
  const secretKey = createSecretKey(symmetricKey);
  const expected = createHmac('sha256', secretKey).update(ciphertext).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw decryptError(
      DECRYPT_ERROR.SIGNATURE_MISMATCH,
      'dataSignature does not match HMAC-SHA256 of data: content was altered or corrupted; not decrypted',
      {
        details: { ciphertextBytes: ciphertext.length },
      },
    );
  }
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw decryptError(
      DECRYPT_ERROR.BAD_PADDING,
      `ciphertext length ${ciphertext.length} is not a positive multiple of the AES block size`,
      {
        details: { ciphertextBytes: ciphertext.length },
      },
    );
  }
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', secretKey, symmetricKey.subarray(0, 16));
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (err) {
    throw decryptError(DECRYPT_ERROR.BAD_PADDING, 'AES-256-CBC decryption failed: bad PKCS#7 padding', {
      cause: err,
      details: { ciphertextBytes: ciphertext.length },
    });
  }
  return plaintext;
}

/** Strict UTF-8 then JSON; errors never quote the content. */
export function parsePlaintext(plaintext: Buffer): unknown {
  return parseJsonText(decodeUtf8Plaintext(plaintext), plaintext.length);
}

/** Strict UTF-8 decoding of the decrypted bytes (BAD_JSON when they are not UTF-8). */
export function decodeUtf8Plaintext(plaintext: Buffer): string {
  try {
    return utf8.decode(plaintext);
  } catch (err) {
    throw decryptError(DECRYPT_ERROR.BAD_JSON, 'decrypted content is not valid UTF-8', {
      cause: err,
      details: { plaintextBytes: plaintext.length },
    });
  }
}

/** JSON.parse with a BAD_JSON error that never quotes the content (the parser's own message would). */
export function parseJsonText(text: string, plaintextBytes = text.length): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw decryptError(DECRYPT_ERROR.BAD_JSON, 'decrypted content is not valid JSON', {
      details: { plaintextBytes },
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decrypts one `encryptedContent` with the private key of its certificate and returns the parsed resource.
 * Throws a poison GraphDlpError with a DECRYPT_ERROR code on any failure. Picking the key by certificate id
 * and checking the thumbprint is the keyring's job; pass `expectedThumbprint` to check it here too.
 */
export function decryptNotificationContent(
  encryptedContent: unknown,
  privateKey: PrivateKeyInput,
  options: { expectedThumbprint?: string } = {},
): unknown {
  const content = assertEncryptedContent(encryptedContent);
  if (options.expectedThumbprint !== undefined) checkThumbprint(content, options.expectedThumbprint);
  const symmetricKey = unwrapDataKey(content.dataKey, privateKey);
  return decryptWithSymmetricKey(content, symmetricKey);
}

/** Like decryptNotificationContent but returns the exact decrypted bytes (UTF-8 JSON), unparsed. */
export function decryptNotificationPlaintext(encryptedContent: unknown, privateKey: PrivateKeyInput): Buffer {
  const content = assertEncryptedContent(encryptedContent);
  return decryptPlaintextWithSymmetricKey(content, unwrapDataKey(content.dataKey, privateKey));
}

/** Throws THUMBPRINT_MISMATCH when the notification names a thumbprint different from our certificate's. */
export function checkThumbprint(content: EncryptedContent, expectedThumbprint: string): void {
  const given = content.encryptionCertificateThumbprint;
  if (given === undefined || given === null || given === '') return;
  if (normalizeThumbprint(given) !== normalizeThumbprint(expectedThumbprint)) {
    throw decryptError(
      DECRYPT_ERROR.THUMBPRINT_MISMATCH,
      `encryptionCertificateThumbprint does not match certificate '${content.encryptionCertificateId}'`,
      {
        details: {
          encryptionCertificateId: content.encryptionCertificateId,
          thumbprint: given.slice(0, 64),
          expected: expectedThumbprint,
        },
      },
    );
  }
}

export function normalizeThumbprint(thumbprint: string): string {
  return thumbprint.replace(/[:\s]/g, '').toUpperCase();
}

/** Upper-case hex SHA-1 of the DER certificate, as Graph puts it in `encryptionCertificateThumbprint`. */
export function certificateThumbprint(certificateDer: Buffer): string {
  return createHash('sha1').update(certificateDer).digest('hex').toUpperCase();
}

export interface EncryptionCertificate {
  /** Our `encryptionCertificateId`. */
  id: string;
  /** PEM certificate, or base64 DER (what goes into a subscription's `encryptionCertificate`). */
  certificatePem?: string;
  certificate?: string | Buffer;
  /** Public key, when no certificate is at hand. Then pass `thumbprint` too, or it is left empty. */
  publicKey?: KeyObject | string;
  thumbprint?: string;
}

/**
 * Encrypts a resource exactly as Graph does for rich notifications. Used by the Graph simulator and tests.
 * Every call uses a fresh random key, like Graph (one key per notification item).
 */
export function encryptNotificationContent(
  resource: object | string,
  certificate: EncryptionCertificate,
): Required<EncryptedContent> {
  let publicKey: KeyObject;
  let thumbprint = certificate.thumbprint ?? '';
  const certInput = certificate.certificatePem ?? certificate.certificate;
  if (certInput !== undefined) {
    const x509 = new X509Certificate(
      typeof certInput === 'string' && !certInput.includes('-----BEGIN')
        ? Buffer.from(certInput, 'base64')
        : certInput,
    );
    publicKey = x509.publicKey;
    thumbprint = certificate.thumbprint ?? certificateThumbprint(x509.raw);
  } else if (certificate.publicKey !== undefined) {
    publicKey =
      typeof certificate.publicKey === 'string'
        ? createPublicKey(certificate.publicKey)
        : certificate.publicKey;
  } else {
    throw new GraphDlpError(
      'GDLP_CRYPTO_NO_PUBLIC_KEY',
      'fatal',
      'encryptNotificationContent needs certificatePem, certificate or publicKey',
    );
  }
  const symmetricKey = randomBytes(SYMMETRIC_KEY_BYTES);
  const plaintext = Buffer.from(typeof resource === 'string' ? resource : JSON.stringify(resource), 'utf8');
  const cipher = createCipheriv('aes-256-cbc', symmetricKey, symmetricKey.subarray(0, 16));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const signature = createHmac('sha256', symmetricKey).update(ciphertext).digest();
  const wrapped = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    symmetricKey,
  );
  return {
    data: ciphertext.toString('base64'),
    dataSignature: signature.toString('base64'),
    dataKey: wrapped.toString('base64'),
    encryptionCertificateId: certificate.id,
    encryptionCertificateThumbprint: thumbprint,
  };
}
