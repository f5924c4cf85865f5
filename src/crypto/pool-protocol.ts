import type { KeyObject } from 'node:crypto';
import type { ErrorKind } from '../errors.js';

/** Messages between the decrypt pool and its workers (structured clone; KeyObjects clone natively). */
export interface WorkerRequest {
  chunkId: number;
  /** Keys this worker has not seen yet. */
  keys?: Array<{ keyNumber: number; key: KeyObject }>;
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
