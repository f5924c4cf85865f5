import { GraphDlpError, type GraphDlpErrorOptions } from '../errors.js';

/**
 * Stable decryption error codes. Every one is kind `poison`: the same bytes will never decrypt, so the
 * consumer dead-letters the event and moves on. Details carry ids and sizes only, never key material or content.
 */
export const DECRYPT_ERROR = {
  /** `encryptedContent` missing, not an object, or a required field is not a string. */
  MALFORMED: 'GDLP_DECRYPT_MALFORMED_CONTENT',
  UNKNOWN_CERTIFICATE: 'GDLP_DECRYPT_UNKNOWN_CERTIFICATE',
  /** The certificate id is known but the keyring retired it (no use for longer than the retire window). */
  RETIRED_CERTIFICATE: 'GDLP_DECRYPT_RETIRED_CERTIFICATE',
  THUMBPRINT_MISMATCH: 'GDLP_DECRYPT_THUMBPRINT_MISMATCH',
  BAD_BASE64: 'GDLP_DECRYPT_BAD_BASE64',
  /** RSA-OAEP (SHA-1) unwrap of `dataKey` failed: wrong private key or corrupted `dataKey`. */
  KEY_UNWRAP_FAILED: 'GDLP_DECRYPT_KEY_UNWRAP_FAILED',
  BAD_KEY_LENGTH: 'GDLP_DECRYPT_BAD_KEY_LENGTH',
  SIGNATURE_MISMATCH: 'GDLP_DECRYPT_SIGNATURE_MISMATCH',
  BAD_PADDING: 'GDLP_DECRYPT_BAD_PADDING',
  BAD_JSON: 'GDLP_DECRYPT_BAD_JSON',
} as const;

export type DecryptErrorCode = (typeof DECRYPT_ERROR)[keyof typeof DECRYPT_ERROR];

export function decryptError(
  code: DecryptErrorCode,
  message: string,
  options: GraphDlpErrorOptions = {},
): GraphDlpError {
  return new GraphDlpError(code, 'poison', message, options);
}

/** Key management failures (sources, Key Vault, files). */
export const KEY_ERROR = {
  NO_CURRENT: 'GDLP_KEYS_NO_CURRENT_CERTIFICATE',
  BAD_KEY_FILE: 'GDLP_KEYS_BAD_KEY_FILE',
  BAD_PASSWORD: 'GDLP_KEYS_BAD_PASSWORD',
  UNSUPPORTED: 'GDLP_KEYS_UNSUPPORTED',
  KEYVAULT: 'GDLP_KEYS_KEYVAULT_ERROR',
  KEYVAULT_NOT_EXPORTABLE: 'GDLP_KEYS_KEYVAULT_NOT_EXPORTABLE',
  REMOTE_UNWRAP_FAILED: 'GDLP_KEYS_REMOTE_UNWRAP_FAILED',
} as const;
