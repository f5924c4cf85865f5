import type { ErrorKind } from '../errors.js';

/** Messages between the decrypt pool and its workers (structured clone; KeyObjects clone natively). */
export interface WorkerRequest {
  chunkId: number;
  /**
   * Keys this worker has not seen yet, as PKCS#8 DER (transferred, zeroed once imported). Not KeyObjects: a
   * cloned KeyObject shares its OpenSSL key with the sender, and threads sharing one RSA key contend on its
   * shared blinding state (about 13 % of two-thread RSA-2048 throughput measured here).
   */
  keys?: Array<{ keyNumber: number; pkcs8Der: Uint8Array }>;
  /** Key numbers the pool no longer uses. */
  forget?: number[];
  items: Array<{
    encryptedContent: unknown;
    keyNumber?: number;
    symmetricKey?: Uint8Array;
    expectedThumbprint?: string;
  }>;
}

export interface SerializedError {
  code: string;
  kind: ErrorKind;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A success carries the decrypted JSON text (valid UTF-8), parsed on the receiving side: cloning a string is
 * much cheaper than cloning the parsed object, and the parse has to happen once anyway.
 */
export type WorkerResult = { ok: true; json: string } | { ok: false; error: SerializedError };

export interface WorkerResponse {
  chunkId: number;
  results: WorkerResult[];
}
