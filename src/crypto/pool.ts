/**
 * Worker-thread pool for notification decryption: the RSA private-key operation is the most expensive step
 * of the pipeline and must stay off the event loop. Callers hand over whole batches; the pool splits each
 * batch into small chunks on one shared queue that the workers drain (each keeps two chunks in hand, so it
 * never waits for a round trip), and answers one result per item in input order. Chunks are pulled, not
 * assigned up front: when one thread runs slower (a busy core), the other takes more of the batch instead
 * of idling until its share of the next batch arrives. A failing item never
 * fails its batch-mates. Private keys are sent to each worker once, as bytes each worker imports into a key
 * of its own (see pool-protocol.ts for why not a shared KeyObject).
 */
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GraphDlpError } from '../errors.js';
import { KEY_ERROR } from './errors.js';
import { type PrivateKeyInput, parseJsonText, toPrivateKey } from './notification-cipher.js';
import type { WorkerRequest, WorkerResponse, WorkerResult } from './pool-protocol.js';

export interface DecryptPoolItem {
  /** The notification's `encryptedContent` (validated in the worker). */
  encryptedContent: unknown;
  /** Private key of the certificate named by `encryptionCertificateId` (keyring's choice). */
  privateKey?: PrivateKeyInput;
  /** Already-unwrapped AES key (Key Vault remote-unwrap path); then no private key is needed. */
  symmetricKey?: Buffer;
  /** Checked against `encryptionCertificateThumbprint` when the notification carries one. */
  expectedThumbprint?: string;
}

export type DecryptResult = { ok: true; value: unknown } | { ok: false; error: GraphDlpError };

export interface DecryptPool {
  readonly size: number;
  /** Decrypts every item; resolves with one result per item, in order. Rejects only if the pool is closed. */
  decryptBatch(items: readonly DecryptPoolItem[]): Promise<DecryptResult[]>;
  /** Stops accepting work, waits for in-flight batches, then terminates the workers. Idempotent. */
  close(): Promise<void>;
}

export interface DecryptPoolOptions {
  /** Worker threads. Default: os.availableParallelism(). */
  size?: number;
  /** Largest chunk sent to one worker in one message. Default 64 items. */
  maxChunkItems?: number;
  /** How a worker thread is started. Default: the decrypt worker (spawnDecryptWorker); tests inject failures. */
  spawnWorker?: () => Worker;
}

/** Chunks a worker holds at once: one being decrypted, one waiting, so it never idles for a round trip. */
const CHUNKS_IN_HAND = 2;
/** Chunks per worker a batch is cut into (at most), so a faster thread can take more of it. */
const CHUNKS_PER_WORKER_PER_BATCH = 4;

interface PendingChunk {
  resolve: (results: WorkerResult[]) => void;
  items: number;
}

interface QueuedChunk {
  items: readonly DecryptPoolItem[];
  resolve: (results: WorkerResult[] | Promise<WorkerResult[]>) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, PendingChunk>;
  pendingItems: number;
  knownKeys: Set<number>;
  answered: boolean;
  /** 'error' is followed by 'exit': handle the failure once. */
  failed: boolean;
}

export const POOL_ERROR = {
  CLOSED: 'GDLP_DECRYPT_POOL_CLOSED',
  WORKER_FAILED: 'GDLP_DECRYPT_POOL_WORKER_FAILED',
} as const;

/**
 * Running from TypeScript sources (tsx, vitest) the worker is the .ts file and needs tsx's loader; from
 * dist/ it is plain .js. Node 20 does not apply `--import` hooks to a worker's entry module, so under
 * sources a tiny eval bootstrap registers tsx (resolved by absolute path, so the cwd does not matter) and
 * then imports the worker.
 */
export function spawnDecryptWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./decrypt-worker.js', self));
  const workerUrl = new URL('./decrypt-worker.ts', self).href;
  const tsxApi = tsxEsmApiUrl(self);
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}

/** tsx's ESM `register` API, located through tsx's own exports map (require.resolve would pick the CJS build). */
function tsxEsmApiUrl(from: string): string {
  const packageJsonPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(packageJsonPath), entry)).href;
}

export function createDecryptPool(options: DecryptPoolOptions = {}): DecryptPool {
  const size = Math.max(1, options.size ?? availableParallelism());
  const maxChunkItems = Math.max(1, options.maxChunkItems ?? 64);
  const spawnWorker = options.spawnWorker ?? spawnDecryptWorker;
  const keyNumbers = new WeakMap<KeyObject, number>();
  const keyCache = new Map<string, KeyObject>();
  let nextKeyNumber = 1;
  let nextChunkId = 1;
  let closing = false;
  let closed: Promise<void> | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const workers: PoolWorker[] = [];
  const queue: QueuedChunk[] = [];
  let lastStartFailure = 0;

  function spawn(): PoolWorker {
    const worker = spawnWorker();
    const entry: PoolWorker = {
      worker,
      pending: new Map(),
      pendingItems: 0,
      knownKeys: new Set(),
      answered: false,
      failed: false,
    };
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      entry.answered = true;
      const chunk = entry.pending.get(response.chunkId);
      if (!chunk) return;
      entry.pending.delete(response.chunkId);
      entry.pendingItems -= chunk.items;
      dispatch();
      if (entry.pending.size === 0) worker.unref();
      chunk.resolve(response.results);
    });
    const fail = (reason: string) => {
      if (entry.failed) return;
      entry.failed = true;
      const index = workers.indexOf(entry);
      if (index >= 0) workers.splice(index, 1);
      for (const chunk of entry.pending.values()) {
        chunk.resolve(
          Array.from({ length: chunk.items }, () => ({
            ok: false as const,
            error: {
              code: POOL_ERROR.WORKER_FAILED,
              kind: 'transient' as const,
              message: `decrypt worker failed: ${reason}`,
            },
          })),
        );
      }
      entry.pending.clear();
      entry.pendingItems = 0;
      // Replace a worker that had been working; one that died on start (broken install) is retried lazily,
      // at most once per second, so a broken worker file cannot turn into a respawn loop.
      if (!closing && entry.answered) workers.push(spawn());
      else lastStartFailure = Date.now();
      dispatch();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => {
      if (!closing || entry.pending.size > 0) fail(`exited with code ${code}`);
    });
    return entry;
  }

  for (let i = 0; i < size; i++) workers.push(spawn());

  function keyFor(input: PrivateKeyInput): KeyObject {
    if (typeof input === 'string' || Buffer.isBuffer(input)) {
      const cacheKey = input.toString();
      let key = keyCache.get(cacheKey);
      if (!key) {
        key = toPrivateKey(input);
        keyCache.set(cacheKey, key);
      }
      return key;
    }
    return input;
  }

  function numberOf(key: KeyObject): number {
    let n = keyNumbers.get(key);
    if (n === undefined) {
      n = nextKeyNumber++;
      keyNumbers.set(key, n);
    }
    return n;
  }

  /** A worker that can take another chunk now, spawning one when the pool is short (see fail above). */
  function availableWorker(): PoolWorker | undefined {
    if (workers.length === 0 || (workers.length < size && Date.now() - lastStartFailure > 1000))
      workers.push(spawn());
    let best: PoolWorker | undefined;
    for (const w of workers)
      if (w.pending.size < CHUNKS_IN_HAND && (best === undefined || w.pendingItems < best.pendingItems))
        best = w;
    return best;
  }

  /** Hands queued chunks to workers with room, oldest first. */
  function dispatch(): void {
    while (queue.length > 0) {
      const target = availableWorker();
      if (target === undefined) return;
      postChunk(target, queue.shift() as QueuedChunk); // a few dozen chunks at most: shift is cheap
    }
  }

  function enqueueChunk(items: readonly DecryptPoolItem[]): Promise<WorkerResult[]> {
    return new Promise<WorkerResult[]>((resolve: QueuedChunk['resolve']) => {
      queue.push({ items, resolve });
      dispatch();
    });
  }

  function postChunk(target: PoolWorker, { items, resolve }: QueuedChunk): void {
    const chunkId = nextChunkId++;
    const newKeys: NonNullable<WorkerRequest['keys']> = [];
    const wireItems: WorkerRequest['items'] = items.map((item) => {
      if (item.symmetricKey !== undefined) {
        return {
          encryptedContent: item.encryptedContent,
          symmetricKey: new Uint8Array(item.symmetricKey),
          expectedThumbprint: item.expectedThumbprint,
        };
      }
      if (item.privateKey === undefined)
        return { encryptedContent: item.encryptedContent, expectedThumbprint: item.expectedThumbprint };
      const key = keyFor(item.privateKey);
      const keyNumber = numberOf(key);
      if (!target.knownKeys.has(keyNumber)) {
        target.knownKeys.add(keyNumber);
        const der = key.export({ type: 'pkcs8', format: 'der' });
        newKeys.push({ keyNumber, pkcs8Der: new Uint8Array(der) }); // own ArrayBuffer, transferable
        der.fill(0);
      }
      return {
        encryptedContent: item.encryptedContent,
        keyNumber,
        expectedThumbprint: item.expectedThumbprint,
      };
    });
    target.pending.set(chunkId, { resolve, items: items.length });
    target.pendingItems += items.length;
    target.worker.ref();
    const request: WorkerRequest = {
      chunkId,
      items: wireItems,
      ...(newKeys.length > 0 ? { keys: newKeys } : {}),
    };
    try {
      target.worker.postMessage(
        request,
        newKeys.map((k) => k.pkcs8Der.buffer as ArrayBuffer),
      );
    } catch (err) {
      // Uncloneable input (e.g. a function inside encryptedContent) is a per-item problem, not a pool failure:
      // undo, then send the items one by one so only the offending one fails.
      target.pending.delete(chunkId);
      target.pendingItems -= items.length;
      if (target.pending.size === 0) target.worker.unref();
      if (newKeys.length > 0) for (const k of newKeys) target.knownKeys.delete(k.keyNumber);
      if (items.length > 1) {
        resolve(Promise.all(items.map((item) => enqueueChunk([item]))).then((parts) => parts.flat()));
        return;
      }
      resolve([
        {
          ok: false,
          error: {
            code: 'GDLP_DECRYPT_MALFORMED_CONTENT',
            kind: 'poison',
            message: `encryptedContent cannot be sent to a worker: ${(err as Error).message}`,
          },
        },
      ]);
    }
  }

  async function runBatch(items: readonly DecryptPoolItem[]): Promise<DecryptResult[]> {
    if (items.length === 0) return [];
    const results: DecryptResult[] = new Array(items.length);
    const forwarded: DecryptPoolItem[] = [];
    const indexes: number[] = [];
    for (const [i, item] of items.entries()) {
      if (item.symmetricKey === undefined && item.privateKey !== undefined) {
        try {
          keyFor(item.privateKey); // cached; an unreadable key fails its own items only
        } catch (err) {
          results[i] = {
            ok: false,
            error: new GraphDlpError(KEY_ERROR.BAD_KEY_FILE, 'fatal', 'private key is unreadable', {
              cause: err,
            }),
          };
          continue;
        }
      }
      forwarded.push(item);
      indexes.push(i);
    }
    const perChunk = Math.ceil(forwarded.length / (size * CHUNKS_PER_WORKER_PER_BATCH));
    const chunkItems = Math.max(1, Math.min(maxChunkItems, perChunk));
    const chunks: Array<Promise<WorkerResult[]>> = [];
    for (let start = 0; start < forwarded.length; start += chunkItems)
      chunks.push(enqueueChunk(forwarded.slice(start, start + chunkItems)));
    const workerResults = (await Promise.all(chunks)).flat();
    for (const [j, r] of workerResults.entries()) {
      const i = indexes[j]!;
      if (r.ok === true) {
        try {
          results[i] = { ok: true, value: parseJsonText(r.json) };
        } catch (err) {
          results[i] = { ok: false, error: err as GraphDlpError };
        }
        continue;
      }
      const e = r.error;
      results[i] = {
        ok: false,
        error: new GraphDlpError(e.code, e.kind, e.message, e.details ? { details: e.details } : {}),
      };
    }
    return results;
  }

  return {
    size,
    decryptBatch(items) {
      if (closing)
        return Promise.reject(new GraphDlpError(POOL_ERROR.CLOSED, 'fatal', 'decrypt pool is closed'));
      const batch = runBatch(items);
      inFlight.add(batch);
      const done = () => inFlight.delete(batch);
      batch.then(done, done);
      return batch;
    },
    close() {
      if (closed) return closed;
      closing = true;
      closed = (async () => {
        await Promise.allSettled([...inFlight]);
        await Promise.all(workers.splice(0).map((w) => w.worker.terminate()));
      })();
      return closed;
    },
  };
}
