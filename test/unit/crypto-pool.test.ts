import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDecryptPool,
  createSelfSignedCertificate,
  DECRYPT_ERROR,
  type DecryptPool,
  encryptNotificationContent,
  POOL_ERROR,
  type SelfSignedCertificate,
} from '../../src/crypto/index.js';
import { spawnDecryptWorker } from '../../src/crypto/pool.js';

describe('worker-thread decrypt pool (running from TypeScript sources)', () => {
  let pool: DecryptPool;
  let cert: SelfSignedCertificate;
  let other: SelfSignedCertificate;

  beforeAll(async () => {
    [cert, other] = await Promise.all([createSelfSignedCertificate(), createSelfSignedCertificate()]);
    pool = createDecryptPool({ size: 2, maxChunkItems: 7 });
  });
  afterAll(() => pool.close());

  it('returns results in input order across workers and chunks; failing items do not fail batch-mates', async () => {
    const items = Array.from({ length: 50 }, (_, i) => {
      const encryptedContent = encryptNotificationContent(
        { seq: i },
        { id: 'a', certificatePem: cert.certificatePem },
      );
      if (i % 10 === 3)
        return {
          encryptedContent: {
            ...encryptedContent,
            dataSignature: encryptedContent.dataSignature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
          },
          privateKey: cert.privateKey,
        };
      if (i % 10 === 5) return { encryptedContent, privateKey: other.privateKey };
      if (i % 10 === 7) return { encryptedContent: 'not an object', privateKey: cert.privateKey };
      return { encryptedContent, privateKey: cert.privateKey, expectedThumbprint: cert.thumbprint };
    });
    const results = await pool.decryptBatch(items);
    expect(results).toHaveLength(50);
    results.forEach((r, i) => {
      if (i % 10 === 3)
        expect(r).toMatchObject({
          ok: false,
          error: { code: DECRYPT_ERROR.SIGNATURE_MISMATCH, kind: 'poison' },
        });
      else if (i % 10 === 5)
        expect(r).toMatchObject({
          ok: false,
          error: { code: DECRYPT_ERROR.KEY_UNWRAP_FAILED, kind: 'poison' },
        });
      else if (i % 10 === 7)
        expect(r).toMatchObject({ ok: false, error: { code: DECRYPT_ERROR.MALFORMED, kind: 'poison' } });
      else expect(r).toEqual({ ok: true, value: { seq: i } });
    });
  });

  it('decrypts with two live certificates side by side in every worker (keys given as KeyObject and PEM)', async () => {
    const otherPem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const items = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? {
            encryptedContent: encryptNotificationContent(
              { seq: i },
              { id: 'a', certificatePem: cert.certificatePem },
            ),
            privateKey: cert.privateKey,
          }
        : {
            encryptedContent: encryptNotificationContent(
              { seq: i },
              { id: 'b', certificatePem: other.certificatePem },
            ),
            privateKey: otherPem,
          },
    );
    const results = await pool.decryptBatch(items);
    expect(results).toEqual(items.map((_, i) => ({ ok: true, value: { seq: i } })));
  });

  it('decrypts items whose symmetric key was unwrapped elsewhere (remote unwrap path)', async () => {
    const { createDecipheriv: _unused, privateDecrypt, constants } = await import('node:crypto');
    void _unused;
    const encryptedContent = encryptNotificationContent(
      { remote: true },
      { id: 'a', certificatePem: cert.certificatePem },
    );
    const symmetricKey = privateDecrypt(
      { key: cert.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(encryptedContent.dataKey, 'base64'),
    );
    const [ok, short] = await pool.decryptBatch([
      { encryptedContent, symmetricKey },
      { encryptedContent, symmetricKey: symmetricKey.subarray(0, 16) },
    ]);
    expect(ok).toEqual({ ok: true, value: { remote: true } });
    expect(short).toMatchObject({ ok: false, error: { code: DECRYPT_ERROR.BAD_KEY_LENGTH } });
  });

  it('close() drains in-flight batches, then refuses new work', async () => {
    const local = createDecryptPool({ size: 1 });
    const items = Array.from({ length: 20 }, (_, i) => ({
      encryptedContent: encryptNotificationContent({ i }, { id: 'a', certificatePem: cert.certificatePem }),
      privateKey: cert.privateKey,
    }));
    const inFlight = local.decryptBatch(items);
    const closing = local.close();
    const results = await inFlight;
    await closing;
    expect(results.every((r) => r.ok)).toBe(true);
    await expect(local.decryptBatch(items)).rejects.toMatchObject({ code: POOL_ERROR.CLOSED });
    await local.close(); // idempotent
  });

  it('an unreadable key or an uncloneable item fails only its own item', async () => {
    const good = encryptNotificationContent({ ok: 1 }, { id: 'a', certificatePem: cert.certificatePem });
    const results = await pool.decryptBatch([
      { encryptedContent: good, privateKey: cert.privateKey },
      {
        encryptedContent: good,
        privateKey: '-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n',
      },
      { encryptedContent: { ...good, extra: () => 1 }, privateKey: cert.privateKey },
      { encryptedContent: good, privateKey: cert.privateKey },
    ]);
    expect(results[0]).toEqual({ ok: true, value: { ok: 1 } });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'GDLP_KEYS_BAD_KEY_FILE' } });
    expect(results[2]).toMatchObject({ ok: false, error: { code: DECRYPT_ERROR.MALFORMED, kind: 'poison' } });
    expect(results[3]).toEqual({ ok: true, value: { ok: 1 } });
  });

  /** `n` items decrypting to `{ seq: i }`. */
  const numberedItems = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      encryptedContent: encryptNotificationContent(
        { seq: i },
        { id: 'a', certificatePem: cert.certificatePem },
      ),
      privateKey: cert.privateKey,
    }));
  /** With chunks of 4 and two in hand, a dead thread fails at most 8 items, each WORKER_FAILED (transient). */
  const expectOnlyHeldChunksFailed = (failed: unknown[]) => {
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThanOrEqual(8);
    for (const r of failed)
      expect(r).toMatchObject({ error: { code: POOL_ERROR.WORKER_FAILED, kind: 'transient' } });
  };

  it('a worker that dies fails only the chunks it held; the rest of the batch and later batches still decrypt', async () => {
    let spawned = 0;
    const crashing = createDecryptPool({
      size: 2,
      maxChunkItems: 4,
      // The first thread exits on its first chunk; every later one is a real decrypt worker.
      spawnWorker: () =>
        spawned++ === 0
          ? new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(3));", {
              eval: true,
            })
          : spawnDecryptWorker(),
    });
    try {
      const items = numberedItems(40);
      const results = await crashing.decryptBatch(items);
      expect(results).toHaveLength(40);
      const failed = results.filter((r) => !r.ok);
      expectOnlyHeldChunksFailed(failed);
      results.forEach((r, i) => {
        if (r.ok) expect(r.value).toEqual({ seq: i });
      });
      const again = await crashing.decryptBatch(items.slice(0, 12));
      expect(again).toEqual(items.slice(0, 12).map((_, i) => ({ ok: true, value: { seq: i } })));
    } finally {
      await crashing.close();
    }
  });

  it('a worker that dies after it has answered is replaced at once, not on the next batch', async () => {
    let spawned = 0;
    // The first thread answers its first chunk (placeholder results), then exits on the next one it reads.
    const answersOnceThenExits = `
      const { parentPort } = require('node:worker_threads');
      let chunks = 0;
      parentPort.on('message', (request) => {
        if (++chunks > 1) process.exit(4);
        parentPort.postMessage({
          chunkId: request.chunkId,
          results: request.items.map(() => ({ ok: true, json: '{"answeredBy":"first thread"}' })),
        });
      });`;
    const crashing = createDecryptPool({
      size: 2,
      maxChunkItems: 4,
      spawnWorker: () =>
        spawned++ === 0 ? new Worker(answersOnceThenExits, { eval: true }) : spawnDecryptWorker(),
    });
    try {
      const items = numberedItems(40);
      const results = await crashing.decryptBatch(items);
      // Two threads at start, and the replacement started when the answering thread died (a thread that dies
      // before answering is only replaced lazily, see the test above).
      expect(spawned).toBe(3);
      expect(results).toHaveLength(40);
      const byFirstThread = results.filter((r) => r.ok && 'answeredBy' in (r.value as object));
      const failed = results.filter((r) => !r.ok);
      expect(byFirstThread).toHaveLength(4); // its one answered chunk
      expectOnlyHeldChunksFailed(failed);
      results.forEach((r, i) => {
        if (r.ok && !('answeredBy' in (r.value as object))) expect(r.value).toEqual({ seq: i });
      });
      const again = await crashing.decryptBatch(items.slice(0, 12));
      expect(again).toEqual(items.slice(0, 12).map((_, i) => ({ ok: true, value: { seq: i } })));
      expect(spawned).toBe(3);
    } finally {
      await crashing.close();
    }
  });

  it('an empty batch resolves to an empty array', async () => {
    await expect(pool.decryptBatch([])).resolves.toEqual([]);
  });
});
