/**
 * Worker-thread side of the decrypt pool. Receives chunks of items, keeps the private keys it was sent
 * (by pool-assigned number), and answers one result per item, in order. Never throws out of the handler:
 * every failure becomes a coded result.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { errorCodeOf, errorKindOf } from '../errors.js';
import {
  assertEncryptedContent,
  checkThumbprint,
  decodeUtf8Plaintext,
  decryptPlaintextWithSymmetricKey,
  unwrapDataKey,
} from './notification-cipher.js';
import type { WorkerRequest, WorkerResponse, WorkerResult } from './pool-protocol.js';

const keys = new Map<number, KeyObject>();

function decryptOne(item: WorkerRequest['items'][number]): WorkerResult {
  try {
    const content = assertEncryptedContent(item.encryptedContent);
    if (item.expectedThumbprint !== undefined) checkThumbprint(content, item.expectedThumbprint);
    let symmetricKey: Buffer;
    if (item.symmetricKey !== undefined) symmetricKey = Buffer.from(item.symmetricKey);
    else {
      const key = item.keyNumber === undefined ? undefined : keys.get(item.keyNumber);
      if (!key)
        return {
          ok: false,
          error: {
            code: 'GDLP_DECRYPT_POOL_NO_KEY',
            kind: 'fatal',
            message: 'decrypt pool worker has no key for this item',
          },
        };
      symmetricKey = unwrapDataKey(content.dataKey, key);
    }
    return { ok: true, json: decodeUtf8Plaintext(decryptPlaintextWithSymmetricKey(content, symmetricKey)) };
  } catch (err) {
    const details = (err as { details?: Record<string, unknown> }).details;
    return {
      ok: false,
      error: {
        code: errorCodeOf(err),
        kind: errorKindOf(err),
        message: err instanceof Error ? err.message : String(err),
        ...(details ? { details } : {}),
      },
    };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  for (const k of request.keys ?? []) {
    try {
      keys.set(
        k.keyNumber,
        createPrivateKey({
          key: Buffer.from(k.pkcs8Der.buffer, k.pkcs8Der.byteOffset, k.pkcs8Der.byteLength),
          format: 'der',
          type: 'pkcs8',
        }),
      );
    } catch {
      // Items naming this key answer GDLP_DECRYPT_POOL_NO_KEY; the pool parsed the key before sending it.
    } finally {
      k.pkcs8Der.fill(0);
    }
  }
  for (const n of request.forget ?? []) keys.delete(n);
  const response: WorkerResponse = { chunkId: request.chunkId, results: request.items.map(decryptOne) };
  parentPort?.postMessage(response);
});
