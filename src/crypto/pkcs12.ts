/**
 * PKCS#12 (PFX) reading, and writing of the password-less form Key Vault returns as a certificate's secret.
 * Node reads PKCS#8 (also encrypted) but not PKCS#12, so the container is walked here (RFC 7292):
 * MAC check (wrong password is reported as such), certificate bags (RC2-40, 3DES or PBES2/AES), and the
 * key bag (plain, or shrouded and handed to Node's PKCS#8 decryption).
 */
import {
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  type KeyObject,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { type Asn1Node, children, decodeOid, der, parseDer, TAG } from './asn1.js';
import { rc2CbcDecrypt } from './rc2.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  pbeSha1Rc2_40: '1.2.840.113549.1.12.1.6',
  pbeSha1Rc2_128: '1.2.840.113549.1.12.1.5',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

const HASH_BY_OID: Record<string, { name: string; u: number; v: number }> = {
  [OID.sha1]: { name: 'sha1', u: 20, v: 64 },
  [OID.sha256]: { name: 'sha256', u: 32, v: 64 },
  [OID.sha384]: { name: 'sha384', u: 48, v: 128 },
  [OID.sha512]: { name: 'sha512', u: 64, v: 128 },
};

const PRF_BY_OID: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const CIPHER_BY_OID: Record<string, { name: string; keyBytes: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyBytes: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyBytes: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyBytes: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyBytes: 24 },
};

export class Pkcs12Error extends Error {
  override name = 'Pkcs12Error';
  constructor(
    message: string,
    readonly reason: 'format' | 'password' | 'unsupported',
  ) {
    super(message);
  }
}

export interface Pkcs12Contents {
  privateKey: KeyObject;
  /** DER certificates, the one matching the private key first. */
  certificates: Buffer[];
}

/** PKCS#12 key derivation (RFC 7292 appendix B.2). */
function pkcs12Kdf(
  hash: { name: string; u: number; v: number },
  password: Buffer,
  salt: Buffer,
  id: number,
  iterations: number,
  n: number,
): Buffer {
  const { v, u } = hash;
  const repeatTo = (src: Buffer, len: number) => {
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const S = salt.length ? repeatTo(salt, v * Math.ceil(salt.length / v)) : Buffer.alloc(0);
  const P = password.length ? repeatTo(password, v * Math.ceil(password.length / v)) : Buffer.alloc(0);
  const I = Buffer.concat([S, P]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < n; produced += u) {
    let A = createHash(hash.name).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash.name).update(A).digest();
    blocks.push(A);
    const B = repeatTo(A, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, n);
}

/** BMPString password with its two-byte terminator, as PKCS#12 PBE and MAC expect. */
function bmpPassword(password: string): Buffer {
  if (password === '') return Buffer.alloc(2);
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function integer(node: Asn1Node): number {
  let n = 0;
  for (const b of node.value) n = n * 256 + b;
  return n;
}

/** Real files use 1..a few hundred thousand iterations; a huge count from a corrupt file would hang the KDF. */
const MAX_ITERATIONS = 2_000_000;

function iterationCount(node: Asn1Node): number {
  const n = integer(node);
  if (node.value.length > 4 || n < 1 || n > MAX_ITERATIONS)
    throw new Pkcs12Error(`implausible PKCS#12 iteration count`, 'format');
  return n;
}

function decryptContent(algorithm: Asn1Node, ciphertext: Buffer, password: string): Buffer {
  const [oidNode, params] = children(algorithm);
  const oid = decodeOid(oidNode!.value);
  if (oid === OID.pbeSha1Rc2_40 || oid === OID.pbeSha1Rc2_128 || oid === OID.pbeSha1TripleDes) {
    const [salt, iterations] = children(params!);
    const hash = HASH_BY_OID[OID.sha1]!;
    const pw = bmpPassword(password);
    const iter = iterationCount(iterations!);
    if (oid === OID.pbeSha1TripleDes) {
      const key = pkcs12Kdf(hash, pw, salt!.value, 1, iter, 24);
      const iv = pkcs12Kdf(hash, pw, salt!.value, 2, iter, 8);
      const decipher = createDecipheriv('des-ede3-cbc', key, iv);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    }
    const keyBytes = oid === OID.pbeSha1Rc2_40 ? 5 : 16;
    const key = pkcs12Kdf(hash, pw, salt!.value, 1, iter, keyBytes);
    const iv = pkcs12Kdf(hash, pw, salt!.value, 2, iter, 8);
    return rc2CbcDecrypt(key, keyBytes * 8, iv, ciphertext);
  }
  if (oid === OID.pbes2) {
    const [kdf, scheme] = children(params!);
    const [kdfOid, kdfParams] = children(kdf!);
    if (decodeOid(kdfOid!.value) !== OID.pbkdf2)
      throw new Pkcs12Error('unsupported PBES2 key derivation', 'unsupported');
    const kdfFields = children(kdfParams!);
    const salt = kdfFields[0]!.value;
    const iter = iterationCount(kdfFields[1]!);
    let prf = 'sha1';
    for (const f of kdfFields.slice(2))
      if (f.tag === TAG.SEQUENCE) prf = PRF_BY_OID[decodeOid(children(f)[0]!.value)] ?? 'unsupported';
    const [cipherOid, iv] = children(scheme!);
    const cipher = CIPHER_BY_OID[decodeOid(cipherOid!.value)];
    if (!cipher || prf === 'unsupported')
      throw new Pkcs12Error('unsupported PBES2 cipher or PRF', 'unsupported');
    const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iter, cipher.keyBytes, prf);
    const decipher = createDecipheriv(cipher.name, key, iv!.value);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  }
  throw new Pkcs12Error(`unsupported PKCS#12 encryption algorithm ${oid}`, 'unsupported');
}

/** Content of an [0] EXPLICIT / IMPLICIT OCTET STRING that may be primitive or constructed (chunked). */
function octets(node: Asn1Node): Buffer {
  if ((node.tag & 0x20) === 0) return node.value;
  return Buffer.concat(children(node).map((c) => octets(c)));
}

export function parsePkcs12(pfx: Buffer, password = ''): Pkcs12Contents {
  let root: Asn1Node;
  try {
    root = parseDer(pfx);
  } catch (err) {
    throw new Pkcs12Error(`not a PKCS#12 file: ${(err as Error).message}`, 'format');
  }
  try {
    const [, authSafe, macData] = children(root);
    const [contentType, explicitContent] = children(authSafe!);
    if (decodeOid(contentType!.value) !== OID.data)
      throw new Pkcs12Error('PKCS#12 with public-key integrity mode is not supported', 'unsupported');
    const authSafeBytes = octets(children(explicitContent!)[0]!);
    if (macData) verifyMac(macData, authSafeBytes, password);
    const keys: Array<{ key: KeyObject; localKeyId: string | undefined }> = [];
    const certs: Array<{ der: Buffer; localKeyId: string | undefined }> = [];
    for (const contentInfo of children(parseDer(authSafeBytes))) {
      const [ctOid, ctContent] = children(contentInfo);
      const ct = decodeOid(ctOid!.value);
      let safeContents: Buffer;
      if (ct === OID.data) safeContents = octets(children(ctContent!)[0]!);
      else if (ct === OID.encryptedData) {
        const encryptedData = children(ctContent!)[0]!;
        const encryptedContentInfo = children(encryptedData)[1]!;
        const [, algorithm, encrypted] = children(encryptedContentInfo);
        try {
          safeContents = decryptContent(algorithm!, octets(encrypted!), password);
        } catch (err) {
          if (err instanceof Pkcs12Error) throw err;
          throw new Pkcs12Error('cannot decrypt PKCS#12 content: wrong password?', 'password');
        }
      } else continue;
      for (const bag of children(parseDer(safeContents))) {
        const [bagIdNode, bagValue, attributes] = children(bag);
        const bagId = decodeOid(bagIdNode!.value);
        const localKeyId = attributes ? readLocalKeyId(attributes) : undefined;
        const value = children(bagValue!)[0]!;
        if (bagId === OID.certBag) {
          const [certType, certValue] = children(value);
          if (decodeOid(certType!.value) === OID.x509Certificate)
            certs.push({ der: Buffer.from(octets(children(certValue!)[0]!)), localKeyId });
        } else if (bagId === OID.keyBag) {
          keys.push({
            key: createPrivateKey({ key: Buffer.from(value.raw), format: 'der', type: 'pkcs8' }),
            localKeyId,
          });
        } else if (bagId === OID.shroudedKeyBag) {
          try {
            keys.push({
              key: createPrivateKey({
                key: Buffer.from(value.raw),
                format: 'der',
                type: 'pkcs8',
                passphrase: password,
              }),
              localKeyId,
            });
          } catch (err) {
            throw new Pkcs12Error(
              `cannot decrypt the PKCS#12 private key (wrong password or unsupported cipher): ${(err as Error).message}`,
              'password',
            );
          }
        }
      }
    }
    const first = keys[0];
    if (!first) throw new Pkcs12Error('PKCS#12 file holds no private key', 'format');
    const matching = certs.findIndex((c) => c.localKeyId !== undefined && c.localKeyId === first.localKeyId);
    const ordered = matching > 0 ? [certs[matching]!, ...certs.filter((_, i) => i !== matching)] : certs;
    return { privateKey: first.key, certificates: ordered.map((c) => c.der) };
  } catch (err) {
    if (err instanceof Pkcs12Error) throw err;
    throw new Pkcs12Error(`malformed PKCS#12 file: ${(err as Error).message}`, 'format');
  }
}

function readLocalKeyId(attributes: Asn1Node): string | undefined {
  for (const attr of children(attributes)) {
    const [oid, values] = children(attr);
    if (decodeOid(oid!.value) === OID.localKeyId) return children(values!)[0]?.value.toString('hex');
  }
  return undefined;
}

function verifyMac(macData: Asn1Node, content: Buffer, password: string): void {
  const [digestInfo, salt, iterationsNode] = children(macData);
  const [algorithm, digest] = children(digestInfo!);
  const hash = HASH_BY_OID[decodeOid(children(algorithm!)[0]!.value)];
  if (!hash) throw new Pkcs12Error('unsupported PKCS#12 MAC algorithm', 'unsupported');
  const iterations = iterationsNode ? iterationCount(iterationsNode) : 1;
  const macKey = pkcs12Kdf(hash, bmpPassword(password), salt!.value, 3, iterations, hash.u);
  const mac = createHmac(hash.name, macKey).update(content).digest();
  if (mac.length !== digest!.value.length || !timingSafeEqual(mac, digest!.value)) {
    throw new Pkcs12Error('PKCS#12 integrity check failed: wrong password', 'password');
  }
}

/**
 * Writes a password-less PKCS#12 (plain key bag + certificate bag, SHA-256 MAC with the empty password),
 * the shape Key Vault returns for a certificate's secret with content type application/x-pkcs12.
 */
export function writePkcs12(privateKey: KeyObject | undefined, certificateDer: Buffer): Buffer {
  const localKeyId = createHash('sha1').update(certificateDer).digest();
  const attributes = der.set(der.sequence(der.oid(OID.localKeyId), der.set(der.octetString(localKeyId))));
  const certBag = der.sequence(
    der.oid(OID.certBag),
    der.explicit(
      0,
      der.sequence(der.oid(OID.x509Certificate), der.explicit(0, der.octetString(certificateDer))),
    ),
    attributes,
  );
  const dataInfo = (inner: Buffer) =>
    der.sequence(der.oid(OID.data), der.explicit(0, der.octetString(inner)));
  const contents = [dataInfo(der.sequence(certBag))];
  // Without a key this is what the service returns for a non-exportable certificate: the certificate only.
  if (privateKey) {
    const keyBag = der.sequence(
      der.oid(OID.keyBag),
      der.explicit(0, privateKey.export({ type: 'pkcs8', format: 'der' })),
      attributes,
    );
    contents.push(dataInfo(der.sequence(keyBag)));
  }
  const authSafe = der.sequence(...contents);
  const salt = randomBytes(16);
  const iterations = 2048;
  const hash = HASH_BY_OID[OID.sha256]!;
  const macKey = pkcs12Kdf(hash, bmpPassword(''), salt, 3, iterations, hash.u);
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  const macData = der.sequence(
    der.sequence(der.sequence(der.oid(OID.sha256), der.null()), der.octetString(mac)),
    der.octetString(salt),
    der.unsignedInteger(Buffer.from([iterations >> 8, iterations & 0xff])),
  );
  return der.sequence(der.smallInteger(3), dataInfo(authSafe), macData);
}
