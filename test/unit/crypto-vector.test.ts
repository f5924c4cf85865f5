import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  certificateThumbprint,
  DECRYPT_ERROR,
  decryptNotificationContent,
  decryptNotificationPlaintext,
  describeCertificate,
  parseKeyFile,
  parsePkcs12,
  writePkcs12,
} from '../../src/crypto/index.js';
import { isGraphDlpError } from '../../src/errors.js';

const dir = join(import.meta.dirname, '../fixtures/graph-sdk-rich-notification-vector');
const read = (name: string) => readFileSync(join(dir, name));
const json = (name: string) => JSON.parse(read(name).toString('utf8')) as Record<string, unknown>;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(isGraphDlpError(err)).toBe(true);
    expect((err as { kind: string }).kind).toBe('poison');
    return (err as { code: string }).code;
  }
  return undefined;
}

describe('real Microsoft Graph rich-notification vector', () => {
  const privateKeyPem = read('private_key.pem').toString('utf8');
  const expected = read('expected_plaintext.json');

  it('decrypts to exactly expected_plaintext.json', () => {
    const value = decryptNotificationContent(json('encryptedContent.json'), privateKeyPem);
    expect(value).toEqual(JSON.parse(expected.toString('utf8')));
    const bytes = decryptNotificationPlaintext(json('encryptedContent.json'), privateKeyPem);
    expect(bytes.equals(expected)).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'e1a9e5a8030d2df677b075feebf1e02dca4080b36990cc4d1b0391c98d0b0930',
    );
    expect((value as { body: { content: string } }).body.content).toBe('Hello World');
  });

  it('accepts the PKCS#1 form of the key and the PKCS#12 file (password "rich"), whose certificate has the notification thumbprint', () => {
    const content = json('encryptedContent.json');
    expect(decryptNotificationContent(content, read('private_key.pkcs1.pem').toString('utf8'))).toEqual(
      JSON.parse(expected.toString('utf8')),
    );
    const p12 = parsePkcs12(Buffer.from(read('certificate.pfx.b64').toString('utf8'), 'base64'), 'rich');
    expect(certificateThumbprint(p12.certificates[0]!)).toBe(content.encryptionCertificateThumbprint);
    expect(
      decryptNotificationContent(content, p12.privateKey, {
        expectedThumbprint: certificateThumbprint(p12.certificates[0]!),
      }),
    ).toEqual(JSON.parse(expected.toString('utf8')));
    const fromFile = parseKeyFile(read('certificate.pfx.b64'), {
      path: 'certificate.pfx.b64',
      password: 'rich',
    });
    expect(fromFile.certificateDer?.toString('base64')).toBe(
      read('encryptionCertificate.b64').toString('utf8').trim(),
    );
  });

  it('decrypts although the certificate expired in 2023 (expiry never blocks decryption)', () => {
    const info = describeCertificate(read('certificate.pem').toString('utf8'));
    expect(info.notAfter.getTime()).toBeLessThan(Date.now());
    expect(info.keyBits).toBe(4096);
    expect(
      decryptNotificationContent(json('encryptedContent.json'), privateKeyPem, {
        expectedThumbprint: info.thumbprint,
      }),
    ).toBeTruthy();
  });

  it('rejects both tampered copies with the signature-mismatch code', () => {
    for (const name of [
      'negative_tampered_signature.encryptedContent.json',
      'negative_tampered_data.encryptedContent.json',
    ]) {
      expect(codeOf(() => decryptNotificationContent(json(name), privateKeyPem))).toBe(
        DECRYPT_ERROR.SIGNATURE_MISMATCH,
      );
    }
  });

  it('reports a thumbprint mismatch before touching the key', () => {
    const content = { ...json('encryptedContent.json'), encryptionCertificateThumbprint: '00'.repeat(20) };
    expect(
      codeOf(() =>
        decryptNotificationContent(content, privateKeyPem, {
          expectedThumbprint: '4B95353E086AD37196606ACF834A14532F03E6DB',
        }),
      ),
    ).toBe(DECRYPT_ERROR.THUMBPRINT_MISMATCH);
  });

  it('reports a wrong PKCS#12 password as such', () => {
    expect(() =>
      parseKeyFile(read('certificate.pfx.b64'), { path: 'certificate.pfx.b64', password: 'wrong' }),
    ).toThrow(/wrong password/);
  });

  it('reads an encrypted PKCS#8 PEM with its password and reports a wrong one', () => {
    const key = createPrivateKey(read('private_key.pem'));
    const encrypted = key
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    const withCert = Buffer.from(encrypted + read('certificate.pem').toString('utf8'));
    const parsed = parseKeyFile(withCert, { path: 'enc.pem', password: 'pw' });
    expect(decryptNotificationContent(json('encryptedContent.json'), parsed.privateKey)).toBeTruthy();
    expect(certificateThumbprint(parsed.certificateDer!)).toBe('4B95353E086AD37196606ACF834A14532F03E6DB');
    expect(() => parseKeyFile(withCert, { path: 'enc.pem', password: 'nope' })).toThrow(
      expect.objectContaining({ code: 'GDLP_KEYS_BAD_PASSWORD' }),
    );
  });

  it('reads PKCS#12 in the modern (PBES2 + AES-256, SHA-256 MAC) and legacy 3DES formats; the password-less writer round-trips', () => {
    for (const [name, password] of [
      ['derived_pbes2_aes256.pfx', 'modern'],
      ['derived_legacy_3des.pfx', 'legacy'],
    ] as const) {
      const parsed = parseKeyFile(read(name), { path: name, password });
      expect(certificateThumbprint(parsed.certificateDer!)).toBe('4B95353E086AD37196606ACF834A14532F03E6DB');
      expect(decryptNotificationContent(json('encryptedContent.json'), parsed.privateKey)).toBeTruthy();
      expect(() => parseKeyFile(read(name), { path: name, password: 'wrong' })).toThrow(
        expect.objectContaining({ code: 'GDLP_KEYS_BAD_PASSWORD' }),
      );
    }
    const original = parseKeyFile(read('derived_pbes2_aes256.pfx'), { password: 'modern' });
    const rewritten = parsePkcs12(writePkcs12(original.privateKey, original.certificateDer!));
    expect(certificateThumbprint(rewritten.certificates[0]!)).toBe(
      '4B95353E086AD37196606ACF834A14532F03E6DB',
    );
    expect(decryptNotificationContent(json('encryptedContent.json'), rewritten.privateKey)).toBeTruthy();
  });
});
