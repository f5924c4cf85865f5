/**
 * Key source: a local folder (local stack, tests, simple deployments with a mounted secret volume).
 * Each certificate is one file named `<encryptionCertificateId>.pem` (certificate + private key PEM blocks)
 * or `<encryptionCertificateId>.pfx|.p12` (PKCS#12, password from `pfxPassword`). The current certificate is
 * the one named in the folder's `current` file, else the one with the latest notBefore.
 */
import { randomBytes } from 'node:crypto';
import { type FSWatcher, watch as fsWatch } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { GraphDlpError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { createSelfSignedCertificate, describeCertificate, type KeyBits } from '../certificate.js';
import { KEY_ERROR } from '../errors.js';
import { readKeyFile } from '../key-file.js';
import type { KeyMaterial, KeySource, LoadedKeys } from '../key-source.js';

export const DEFAULT_KEY_FOLDER = './.local-stack/keys';
export const CURRENT_FILE = 'current';

export interface FolderKeySourceOptions {
  /** Default ./.local-stack/keys (relative to the working directory). */
  folder?: string;
  /** Password for .pfx/.p12 files (PEM files are expected unencrypted, or encrypted with the same password). */
  pfxPassword?: string;
  /** Key size for certificates created here. Default 2048. */
  keyBits?: KeyBits;
  /** Common name of created certificates. */
  commonName?: string;
  logger?: Logger;
}

const KEY_FILE = /\.(pem|pfx|p12)$/i;

/** Ids become file names and Graph's encryptionCertificateId (max 128 chars in practice): keep them plain. */
export function isValidCertificateId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id);
}

export function newCertificateId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `gdlp-${stamp}-${randomBytes(3).toString('hex')}`;
}

export function createFolderKeySource(options: FolderKeySourceOptions = {}): KeySource {
  const folder = resolve(options.folder ?? DEFAULT_KEY_FOLDER);
  const logger = options.logger;

  async function load(): Promise<LoadedKeys> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [], currentId: undefined };
      throw new GraphDlpError(
        KEY_ERROR.BAD_KEY_FILE,
        'fatal',
        `cannot read key folder ${folder}: ${(err as NodeJS.ErrnoException).code}`,
        { cause: err },
      );
    }
    const keys: KeyMaterial[] = [];
    for (const name of names.filter((n) => KEY_FILE.test(n)).sort()) {
      const path = join(folder, name);
      const id = basename(name, extname(name));
      try {
        const contents = await readKeyFile(path, options.pfxPassword);
        if (!contents.certificateDer) {
          logger?.warn(
            { path },
            'key folder: file has a private key but no certificate matching it; skipped',
          );
          continue;
        }
        const info = describeCertificate(contents.certificateDer);
        keys.push({
          id,
          certificateDer: info.certificateDer,
          thumbprint: info.thumbprint,
          notBefore: info.notBefore,
          notAfter: info.notAfter,
          privateKey: contents.privateKey,
          location: path,
        });
      } catch (err) {
        // One unreadable file must not take the other keys down; it is reported and skipped.
        logger?.warn(
          { path, err: { code: (err as { code?: string }).code, message: (err as Error).message } },
          'key folder: unreadable key file skipped',
        );
      }
    }
    let currentId: string | undefined;
    try {
      const named = (await readFile(join(folder, CURRENT_FILE), 'utf8')).trim();
      if (keys.some((k) => k.id === named)) currentId = named;
    } catch {
      // no `current` file: fall back to the newest certificate
    }
    currentId ??= [...keys].sort(
      (a, b) => b.notBefore.getTime() - a.notBefore.getTime() || b.id.localeCompare(a.id),
    )[0]?.id;
    return { keys, currentId };
  }

  return {
    kind: 'folder',
    description: `key folder ${folder}`,
    load,
    async createCertificate(createOptions = {}) {
      const keyBits = createOptions.keyBits ?? options.keyBits ?? 2048;
      const cert = await createSelfSignedCertificate({
        keyBits,
        ...(options.commonName ? { commonName: options.commonName } : {}),
        ...(createOptions.validityDays ? { validityDays: createOptions.validityDays } : {}),
      });
      const id = newCertificateId();
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const path = join(folder, `${id}.pem`);
      // Write then rename so a watcher never reads half a key.
      const tmp = join(folder, `.${id}.pem.tmp`);
      await writeFile(tmp, `${cert.certificatePem}${cert.privateKeyPem}`, { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, path);
      await writeCurrent(folder, id);
      return {
        id,
        certificateDer: cert.certificateDer,
        thumbprint: cert.thumbprint,
        notBefore: cert.notBefore,
        notAfter: cert.notAfter,
        privateKey: cert.privateKey,
        location: path,
      };
    },
    watch(onChange) {
      let watcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      const trigger = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(onChange, 200);
        timer.unref();
      };
      const start = () => {
        try {
          watcher = fsWatch(folder, { persistent: false }, trigger);
          watcher.on('error', () => undefined);
        } catch {
          // Folder does not exist yet; the keyring's periodic reload still picks up new files.
          watcher = undefined;
        }
      };
      start();
      return () => {
        if (timer) clearTimeout(timer);
        watcher?.close();
      };
    },
  };
}

async function writeCurrent(folder: string, id: string): Promise<void> {
  const tmp = join(folder, `.${CURRENT_FILE}.tmp`);
  await writeFile(tmp, `${id}\n`, { mode: 0o600 });
  await rename(tmp, join(folder, CURRENT_FILE));
}

/** Makes an existing certificate in the folder current (for operators pinning a certificate). */
export async function setCurrentCertificate(folder: string, id: string): Promise<void> {
  if (!isValidCertificateId(id))
    throw new GraphDlpError(KEY_ERROR.BAD_KEY_FILE, 'fatal', `invalid certificate id '${id}'`);
  await writeCurrent(resolve(folder), id);
}
