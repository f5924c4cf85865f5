/**
 * Self-signed X.509 v3 certificates for Graph's `encryptionCertificate`. Node can parse certificates
 * (X509Certificate) but not build them, so the tbsCertificate is assembled with the small DER encoder and
 * signed with sha256WithRSAEncryption via crypto.sign. Graph only uses the public key (it does not check the
 * issuer), so a self-signed certificate is what the docs recommend.
 */
import { createHash, generateKeyPair, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { children, der, parseDer } from './asn1.js';
import { certificateThumbprint } from './notification-cipher.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export const SUPPORTED_KEY_BITS = [2048, 3072, 4096] as const;
export type KeyBits = (typeof SUPPORTED_KEY_BITS)[number];

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

export interface SelfSignedCertificate {
  certificateDer: Buffer;
  certificatePem: string;
  privateKey: KeyObject;
  privateKeyPem: string;
  /** Upper-case hex SHA-1 of the DER, as Graph reports it. */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  subject: string;
}

export interface CreateCertificateOptions {
  keyBits?: KeyBits;
  /** Common name. Default `graph-dlp-notifications`. */
  commonName?: string;
  /** Validity in days from `now`. Default 365. */
  validityDays?: number;
  now?: Date;
}

export async function createSelfSignedCertificate(
  options: CreateCertificateOptions = {},
): Promise<SelfSignedCertificate> {
  const keyBits = options.keyBits ?? 2048;
  if (!SUPPORTED_KEY_BITS.includes(keyBits))
    throw new RangeError(`key size must be one of ${SUPPORTED_KEY_BITS.join(', ')} bits, got ${keyBits}`);
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: keyBits,
    publicExponent: 0x10001,
  });
  return buildSelfSignedCertificate(publicKey, privateKey, options);
}

/** Builds and signs the certificate for an existing key pair. */
export function buildSelfSignedCertificate(
  publicKey: KeyObject,
  privateKey: KeyObject,
  options: CreateCertificateOptions = {},
): SelfSignedCertificate {
  const commonName = options.commonName ?? 'graph-dlp-notifications';
  const now = options.now ?? new Date();
  // Back-date a little: clocks of other machines that read the certificate may lag ours.
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 5 * 60_000);
  const notAfter = new Date(notBefore.getTime() + (options.validityDays ?? 365) * 86_400_000);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = der.sequence(der.set(der.sequence(der.oid(OID.commonName), der.utf8String(commonName))));
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // positive
  const algorithm = der.sequence(der.oid(OID.sha256WithRSAEncryption), der.null());
  const subjectKeyId = createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
  const extensions = der.sequence(
    der.sequence(der.oid(OID.basicConstraints), der.boolean(true), der.octetString(der.sequence())),
    // digitalSignature | keyEncipherment | dataEncipherment: Graph encrypts a data key with it.
    der.sequence(
      der.oid(OID.keyUsage),
      der.boolean(true),
      der.octetString(der.bitString(Buffer.from([0xb0]), 4)),
    ),
    der.sequence(der.oid(OID.subjectKeyIdentifier), der.octetString(der.octetString(subjectKeyId))),
  );
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serial),
    algorithm,
    name,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    name,
    spki,
    der.explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificateDer = der.sequence(tbs, algorithm, der.bitString(signature));
  const x509 = new X509Certificate(certificateDer); // throws if our encoding were wrong
  return {
    certificateDer,
    certificatePem: toPem(certificateDer, 'CERTIFICATE'),
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprint: certificateThumbprint(certificateDer),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    subject: x509.subject,
  };
}

/** The BIT STRING payload of a SubjectPublicKeyInfo (what RFC 5280's key identifier method 1 hashes). */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  return children(parseDer(spki))[1]!.value.subarray(1);
}

export function toPem(derBytes: Buffer, label: string): string {
  const b64 = derBytes.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

export interface CertificateInfo {
  /** base64 DER: the subscription's `encryptionCertificate`. */
  certificate: string;
  certificateDer: Buffer;
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  subject: string;
  publicKey: KeyObject;
  keyBits: number | undefined;
}

/** Reads a certificate (PEM text, DER bytes or base64 DER). */
export function describeCertificate(input: string | Buffer): CertificateInfo {
  const x509 = new X509Certificate(
    typeof input === 'string' && !input.includes('-----BEGIN') ? Buffer.from(input, 'base64') : input,
  );
  return {
    certificate: x509.raw.toString('base64'),
    certificateDer: x509.raw,
    thumbprint: certificateThumbprint(x509.raw),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    subject: x509.subject,
    publicKey: x509.publicKey,
    keyBits: x509.publicKey.asymmetricKeyDetails?.modulusLength,
  };
}
