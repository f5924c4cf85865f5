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

export type WorkerResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

export interface WorkerResponse {
  chunkId: number;
  results: WorkerResult[];
}
