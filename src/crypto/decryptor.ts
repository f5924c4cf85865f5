/**
 * Keyring + pool: decrypts a batch of `encryptedContent` objects, choosing each item's key by certificate id.
 * In-memory keys go to the worker pool with the item; remote keys (Key Vault unwrap) are unwrapped here with
 * bounded concurrency, then the symmetric part runs in the pool. One result per item, in order.
 */
import { GraphDlpError, isGraphDlpError } from '../errors.js';
import { KEY_ERROR } from './errors.js';
import type { Keyring } from './keyring.js';
import { assertEncryptedContent, decodeBase64Field } from './notification-cipher.js';
import type { DecryptPool, DecryptPoolItem, DecryptResult } from './pool.js';

export interface NotificationDecryptor {
  decryptBatch(encryptedContents: readonly unknown[]): Promise<DecryptResult[]>;
}

export interface NotificationDecryptorOptions {
  keyring: Keyring;
  pool: DecryptPool;
  /** Concurrent Key Vault unwrap calls (remote mode). Default 16. Key Vault throttles per vault; see README. */
  remoteUnwrapConcurrency?: number;
}

export function createNotificationDecryptor(options: NotificationDecryptorOptions): NotificationDecryptor {
  const { keyring, pool } = options;
  const limit = createLimiter(Math.max(1, options.remoteUnwrapConcurrency ?? 16));

  return {
    async decryptBatch(encryptedContents) {
      const results: Array<DecryptResult | undefined> = new Array(encryptedContents.length);
      const poolItems: DecryptPoolItem[] = [];
      const poolIndexes: number[] = [];
      const remote: Array<Promise<void>> = [];
      for (let i = 0; i < encryptedContents.length; i++) {
        const raw = encryptedContents[i];
        try {
          const content = assertEncryptedContent(raw);
          const key = await keyring.resolve(
            content.encryptionCertificateId,
            content.encryptionCertificateThumbprint,
          );
          if (key.privateKey) {
            poolItems.push({ encryptedContent: raw, privateKey: key.privateKey });
            poolIndexes.push(i);
          } else if (key.unwrapKey) {
            const unwrap = key.unwrapKey;
            const wrapped = decodeBase64Field(content.dataKey, 'dataKey');
            remote.push(
              limit(() => unwrap(wrapped)).then(
                (symmetricKey) => {
                  poolItems.push({ encryptedContent: raw, symmetricKey });
                  poolIndexes.push(i);
                },
                (err) => {
                  results[i] = { ok: false, error: asCodedError(err) };
                },
              ),
            );
          } else {
            results[i] = {
              ok: false,
              error: new GraphDlpError(
                KEY_ERROR.UNSUPPORTED,
                'fatal',
                `certificate '${key.id}' has neither a private key nor a remote unwrap`,
              ),
            };
          }
        } catch (err) {
          results[i] = { ok: false, error: asCodedError(err) };
        }
      }
      await Promise.all(remote);
      const decrypted = await pool.decryptBatch(poolItems);
      for (let j = 0; j < decrypted.length; j++) results[poolIndexes[j]!] = decrypted[j]!;
      return results as DecryptResult[];
    },
  };
}

function asCodedError(err: unknown): GraphDlpError {
  if (isGraphDlpError(err)) return err as GraphDlpError;
  return new GraphDlpError(
    KEY_ERROR.REMOTE_UNWRAP_FAILED,
    'transient',
    `key unwrap failed: ${(err as Error)?.message ?? String(err)}`,
    { cause: err },
  );
}

/** A minimal promise concurrency limiter. */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (active >= concurrency) return;
    const run = queue.shift();
    if (run) {
      active++;
      run();
    }
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}
