/**
 * The keyring: which certificate new subscriptions use (`current()`), and which private key decrypts a
 * notification (`lookup(encryptionCertificateId, thumbprint)`). Graph keeps using an old certificate for a
 * while after rotation, so previous certificates stay usable until none has been used for `retireAfterMs`.
 * Reloads from its source on a timer, on source change events (hot reload), and once (rate-limited) when an
 * unknown id shows up, so a certificate created by another replica is picked up without restart.
 */
import type { KeyObject } from 'node:crypto';
import { GraphDlpError } from '../errors.js';
import type { Logger } from '../log.js';
import type { KeyBits } from './certificate.js';
import { DECRYPT_ERROR, decryptError, KEY_ERROR } from './errors.js';
import type { KeyMaterial, KeySource } from './key-source.js';
import { normalizeThumbprint } from './notification-cipher.js';

export interface KeyringCertificate {
  /** `encryptionCertificateId` for subscriptions. */
  id: string;
  /** Upper-case hex SHA-1 thumbprint. */
  thumbprint: string;
  /** base64 DER: the subscription's `encryptionCertificate`. */
  certificate: string;
  notBefore: Date;
  notAfter: Date;
}

export interface KeyringEntry extends KeyringCertificate {
  current: boolean;
  /** Retired entries are kept in the list for display but no longer decrypt. */
  retired: boolean;
  lastUsedAt: Date | undefined;
  /** `in-memory` = private key in this process; `remote` = the vault unwraps. */
  mode: 'in-memory' | 'remote';
  location: string;
}

/** What decryption needs for one certificate. */
export interface ResolvedKey {
  id: string;
  thumbprint: string;
  privateKey?: KeyObject;
  unwrapKey?: (wrappedKey: Buffer) => Promise<Buffer>;
}

export interface Keyring {
  /** The certificate for new subscriptions. Throws GDLP_KEYS_NO_CURRENT_CERTIFICATE (fatal) when there is none. */
  current(): KeyringCertificate;
  list(): KeyringEntry[];
  /**
   * The key for a notification's `encryptionCertificateId`; checks the thumbprint when given. Records the use
   * (retirement clock). Throws poison GDLP_DECRYPT_UNKNOWN_CERTIFICATE / _RETIRED_CERTIFICATE / _THUMBPRINT_MISMATCH.
   * Certificate expiry is deliberately not checked: Graph may still send with an expired certificate.
   */
  lookup(id: string, thumbprint?: string | null): ResolvedKey;
  /** Like lookup, but an unknown id first triggers one (rate-limited) reload from the source. */
  resolve(id: string, thumbprint?: string | null): Promise<ResolvedKey>;
  /** Creates a new current certificate; the previous one stays for decryption until retired. */
  rotate(options?: { keyBits?: KeyBits; validityDays?: number }): Promise<KeyringCertificate>;
  /** Re-reads the source now. */
  reload(): Promise<void>;
  /** Called with the new current certificate whenever it changes (rotation here or elsewhere). Returns unsubscribe. */
  onCurrentChange(listener: (current: KeyringCertificate) => void): () => void;
  /** Stops watching and timers. Idempotent. */
  close(): Promise<void>;
}

export interface CreateKeyringOptions {
  source: KeySource;
  /** A non-current certificate unused for this long stops decrypting. Default 8 days (beyond Event Hubs' 7-day retention). */
  retireAfterMs?: number;
  /** Poll the source this often (0 = never). Default 5 minutes. Folder sources are also watched. */
  reloadIntervalMs?: number;
  /** Minimum time between reloads triggered by unknown certificate ids. Default 30 s. */
  unknownIdReloadMinIntervalMs?: number;
  /** Create a first certificate when the source is empty (local stack). Default false. */
  createIfMissing?: boolean | { keyBits?: KeyBits };
  /** Watch the source for changes (hot reload). Default true. */
  watch?: boolean;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => number;
}

export const DEFAULT_RETIRE_AFTER_MS = 8 * 24 * 3_600_000;

interface Tracked {
  material: KeyMaterial;
  /** When it stopped being current (or was first seen as non-current). */
  demotedAt: number | undefined;
  lastUsedAt: number | undefined;
}

export async function createKeyring(options: CreateKeyringOptions): Promise<Keyring> {
  const { source, logger } = options;
  const now = options.now ?? Date.now;
  const retireAfterMs = options.retireAfterMs ?? DEFAULT_RETIRE_AFTER_MS;
  const unknownMinInterval = options.unknownIdReloadMinIntervalMs ?? 30_000;
  const tracked = new Map<string, Tracked>();
  const listeners = new Set<(current: KeyringCertificate) => void>();
  let currentId: string | undefined;
  let lastUnknownReload = Number.NEGATIVE_INFINITY;
  let reloading: Promise<void> | undefined;
  let closed = false;

  function isRetired(t: Tracked): boolean {
    if (t.material.id === currentId) return false;
    const since = Math.max(t.demotedAt ?? now(), t.lastUsedAt ?? Number.NEGATIVE_INFINITY);
    return now() - since >= retireAfterMs;
  }

  function toCertificate(m: KeyMaterial): KeyringCertificate {
    return {
      id: m.id,
      thumbprint: m.thumbprint,
      certificate: m.certificateDer.toString('base64'),
      notBefore: m.notBefore,
      notAfter: m.notAfter,
    };
  }

  async function doReload(): Promise<void> {
    const loaded = await source.load();
    const previousCurrent = currentId;
    const seen = new Set<string>();
    for (const material of loaded.keys) {
      seen.add(material.id);
      const existing = tracked.get(material.id);
      if (existing) existing.material = material;
      else tracked.set(material.id, { material, demotedAt: undefined, lastUsedAt: undefined });
    }
    // A certificate removed from the source can no longer decrypt; forget it.
    for (const id of [...tracked.keys()]) if (!seen.has(id)) tracked.delete(id);
    currentId =
      loaded.currentId !== undefined && tracked.has(loaded.currentId) ? loaded.currentId : undefined;
    for (const t of tracked.values()) {
      if (t.material.id === currentId) t.demotedAt = undefined;
      else t.demotedAt ??= now();
    }
    if (currentId !== undefined && currentId !== previousCurrent) {
      const current = toCertificate(tracked.get(currentId)!.material);
      logger?.info(
        { certificateId: current.id, thumbprint: current.thumbprint, source: source.description },
        'keyring: current certificate',
      );
      if (previousCurrent !== undefined) for (const l of listeners) l(current);
    }
  }

  function reload(): Promise<void> {
    reloading ??= doReload().finally(() => {
      reloading = undefined;
    });
    return reloading;
  }

  /** A reload that starts after now: one already in flight may have read the source before a change we made. */
  async function freshReload(): Promise<void> {
    if (reloading) await reloading.catch(() => undefined);
    return reload();
  }

  await reload();
  if (currentId === undefined && options.createIfMissing) {
    const keyBits = typeof options.createIfMissing === 'object' ? options.createIfMissing.keyBits : undefined;
    await source.createCertificate(keyBits ? { keyBits } : {});
    await reload();
  }

  const stopWatching =
    options.watch !== false && source.watch
      ? source.watch(() => {
          reload().catch((err) =>
            logger?.warn(
              { err: { code: (err as { code?: string }).code, message: (err as Error).message } },
              'keyring: reload after change failed',
            ),
          );
        })
      : undefined;
  const interval = options.reloadIntervalMs ?? 300_000;
  const timer =
    interval > 0
      ? setInterval(() => {
          reload().catch((err) =>
            logger?.warn(
              { err: { code: (err as { code?: string }).code, message: (err as Error).message } },
              'keyring: periodic reload failed',
            ),
          );
        }, interval)
      : undefined;
  timer?.unref();

  function lookup(id: string, thumbprint?: string | null): ResolvedKey {
    const t = tracked.get(id);
    if (!t) {
      throw decryptError(
        DECRYPT_ERROR.UNKNOWN_CERTIFICATE,
        `no key for encryptionCertificateId '${truncate(id)}'`,
        {
          details: { encryptionCertificateId: truncate(id), known: [...tracked.keys()] },
        },
      );
    }
    if (isRetired(t)) {
      throw decryptError(
        DECRYPT_ERROR.RETIRED_CERTIFICATE,
        `certificate '${id}' was retired (unused for ${retireAfterMs} ms after rotation)`,
        {
          details: { encryptionCertificateId: id, retireAfterMs },
        },
      );
    }
    if (
      thumbprint !== undefined &&
      thumbprint !== null &&
      thumbprint !== '' &&
      normalizeThumbprint(thumbprint) !== t.material.thumbprint
    ) {
      throw decryptError(
        DECRYPT_ERROR.THUMBPRINT_MISMATCH,
        `encryptionCertificateThumbprint does not match certificate '${id}'`,
        {
          details: {
            encryptionCertificateId: id,
            thumbprint: truncate(thumbprint),
            expected: t.material.thumbprint,
          },
        },
      );
    }
    t.lastUsedAt = now();
    const m = t.material;
    return {
      id: m.id,
      thumbprint: m.thumbprint,
      ...(m.privateKey ? { privateKey: m.privateKey } : {}),
      ...(m.unwrapKey ? { unwrapKey: m.unwrapKey } : {}),
    };
  }

  return {
    current() {
      const t = currentId === undefined ? undefined : tracked.get(currentId);
      if (!t) {
        throw new GraphDlpError(
          KEY_ERROR.NO_CURRENT,
          'fatal',
          `no notification certificate in ${source.description}; create one with \`graph-dlp keys create\``,
        );
      }
      return toCertificate(t.material);
    },
    list() {
      return [...tracked.values()]
        .map((t) => ({
          ...toCertificate(t.material),
          current: t.material.id === currentId,
          retired: isRetired(t),
          lastUsedAt: t.lastUsedAt === undefined ? undefined : new Date(t.lastUsedAt),
          mode: t.material.privateKey ? ('in-memory' as const) : ('remote' as const),
          location: t.material.location,
        }))
        .sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime() || a.id.localeCompare(b.id));
    },
    lookup,
    async resolve(id, thumbprint) {
      if (!tracked.has(id) && !closed && now() - lastUnknownReload >= unknownMinInterval) {
        lastUnknownReload = now();
        try {
          await freshReload();
        } catch (err) {
          logger?.warn(
            { err: { code: (err as { code?: string }).code, message: (err as Error).message } },
            'keyring: reload for unknown certificate id failed',
          );
        }
      }
      return lookup(id, thumbprint);
    },
    async rotate(rotateOptions = {}) {
      const previous = currentId;
      const created = await source.createCertificate(rotateOptions);
      await freshReload();
      if (currentId !== created.id) {
        throw new GraphDlpError(
          KEY_ERROR.NO_CURRENT,
          'fatal',
          `rotation created '${created.id}' but the source reports '${currentId}' as current`,
        );
      }
      if (previous === undefined) for (const l of listeners) l(toCertificate(created));
      return toCertificate(tracked.get(created.id)!.material);
    },
    reload: freshReload,
    onCurrentChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      stopWatching?.();
      await reloading?.catch(() => undefined);
      await source.close?.();
    },
  };
}

function truncate(s: string): string {
  return s.length > 128 ? `${s.slice(0, 128)}…` : s;
}
