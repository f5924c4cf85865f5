/**
 * Reading a private key (and its certificate, when present) from a PEM or PKCS#12 file.
 * PEM files may hold a PKCS#8, PKCS#1 or encrypted PKCS#8 key and any number of certificates.
 * PKCS#12 may be binary or base64 text (as `certificate.pfx.b64`).
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GraphDlpError } from '../errors.js';
import { KEY_ERROR } from './errors.js';
import { Pkcs12Error, parsePkcs12 } from './pkcs12.js';

export interface KeyFileContents {
  privateKey: KeyObject;
  /** DER certificate whose public key matches the private key; undefined when the file has none (other certificates are ignored). */
  certificateDer: Buffer | undefined;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_KEY =
  /-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |ENCRYPTED )?PRIVATE KEY-----/;

export function isPkcs12Path(path: string): boolean {
  return /\.(pfx|p12)(\.b64)?$/i.test(path);
}

export async function readKeyFile(path: string, password?: string): Promise<KeyFileContents> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new GraphDlpError(
      KEY_ERROR.BAD_KEY_FILE,
      'fatal',
      `cannot read key file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  return parseKeyFile(bytes, { path, ...(password !== undefined ? { password } : {}) });
}

/** Parses PEM or PKCS#12 bytes. `path` only names the file in errors and picks the format by extension. */
export function parseKeyFile(
  bytes: Buffer,
  options: { path?: string; password?: string } = {},
): KeyFileContents {
  const label = options.path ?? 'key';
  const text = bytes.toString('latin1');
  const looksPem = text.includes('-----BEGIN');
  if (!looksPem) {
    // Binary PKCS#12 starts with a DER SEQUENCE (0x30); otherwise try base64 text.
    const der = bytes[0] === 0x30 ? bytes : Buffer.from(text.replace(/\s+/g, ''), 'base64');
    try {
      const p12 = parsePkcs12(der, options.password ?? '');
      const key = p12.privateKey;
      return {
        privateKey: key,
        certificateDer: p12.certificates.find((c) => matches(c, key)),
      };
    } catch (err) {
      if (err instanceof Pkcs12Error && err.reason === 'password') {
        throw new GraphDlpError(
          KEY_ERROR.BAD_PASSWORD,
          'fatal',
          `${label}: ${err.message}${options.password === undefined ? ' (pass --password)' : ''}`,
        );
      }
      throw new GraphDlpError(
        KEY_ERROR.BAD_KEY_FILE,
        'fatal',
        `${label}: neither PEM nor a readable PKCS#12 file (${(err as Error).message})`,
        { cause: err },
      );
    }
  }
  const keyPem = text.match(PEM_KEY)?.[0];
  if (!keyPem)
    throw new GraphDlpError(KEY_ERROR.BAD_KEY_FILE, 'fatal', `${label}: no private key block in PEM file`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({
      key: keyPem,
      format: 'pem',
      ...(options.password !== undefined ? { passphrase: options.password } : {}),
    });
  } catch (err) {
    const encrypted = keyPem.includes('ENCRYPTED');
    throw new GraphDlpError(
      encrypted ? KEY_ERROR.BAD_PASSWORD : KEY_ERROR.BAD_KEY_FILE,
      'fatal',
      encrypted
        ? `${label}: cannot decrypt the private key (wrong or missing password)`
        : `${label}: unreadable private key`,
      { cause: err },
    );
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new GraphDlpError(
      KEY_ERROR.BAD_KEY_FILE,
      'fatal',
      `${label}: Graph encrypts with RSA; this key is ${privateKey.asymmetricKeyType}`,
    );
  }
  const certs = [...text.matchAll(PEM_CERT)].map((m) => new X509Certificate(m[0]).raw);
  return { privateKey, certificateDer: certs.find((c) => matches(c, privateKey)) };
}

function matches(certificateDer: Buffer, privateKey: KeyObject): boolean {
  try {
    return new X509Certificate(certificateDer).checkPrivateKey(privateKey);
  } catch {
    return false;
  }
}
