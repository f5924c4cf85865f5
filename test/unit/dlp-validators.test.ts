import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base62Encode,
  base64ByteLength,
  cardBrand,
  crc32,
  ibanMod97,
  isPlaceholder,
  luhnValid,
  pemVerdict,
  shannonEntropy,
  validAba,
  validCard,
  validCrc32Base62Token,
  validIban,
  validJwt,
  validNino,
  validSsn,
} from '../../src/dlp/validators.js';

describe('DLP validators', () => {
  it('Luhn accepts valid numbers and rejects a single changed digit', () => {
    expect(luhnValid('4539148803436467')).toBe(true);
    expect(luhnValid('4539148803436468')).toBe(false);
  });

  it('brand IIN and length tables decide whether a Luhn-valid number is a card', () => {
    expect(cardBrand('4539148803436467')).toBe('visa');
    expect(cardBrand('2221000000000009')).toBe('mastercard');
    expect(cardBrand('371449635398431')).toBe('amex');
    expect(cardBrand('356938035643809')).toBeUndefined(); // 15-digit IMEI-like number in the JCB range
    expect(validCard('4111111111111111')).toBe(false); // processor test PAN
    expect(validCard('4000000000000002')).toBe(false); // run of zeros: test range
    expect(validCard('4539148803436467')).toBe(true);
  });

  it('SSN ranges: area 000/666/9xx, group 00 and serial 0000 are invalid; SSA examples are rejected', () => {
    expect(validSsn('536221234')).toBe(true);
    for (const bad of [
      '000123456',
      '666123456',
      '912345678',
      '536001234',
      '536220000',
      '078051120',
      '123456789',
    ])
      expect(validSsn(bad)).toBe(false);
  });

  it('ABA routing numbers need an allowed prefix and the 3-7-1 checksum', () => {
    expect(validAba('021000021')).toBe(true);
    expect(validAba('021000022')).toBe(false);
    expect(validAba('131000021')).toBe(false);
  });

  it('IBAN: country length plus mod-97', () => {
    expect(validIban('DE89370400440532013000')).toBe(true);
    expect(validIban('DE89370400440532013001')).toBe(false);
    expect(validIban('DE8937040044053201300')).toBe(false);
    expect(ibanMod97('GB82WEST12345698765432')).toBe(true);
  });

  it('NINO prefix rules and suffix; the HMRC example QQ 12 34 56 C is rejected', () => {
    expect(validNino('AB123456C')).toBe(true);
    for (const bad of ['DA123456A', 'AO123456A', 'GB123456A', 'AB123456E', 'QQ123456C', 'OO123456A'])
      expect(validNino(bad)).toBe(false);
  });

  it('accepts NINO prefixes that only HMRC administration treats specially (NC, PY): the contract excludes only its listed letters and pairs', () => {
    expect(validNino('NC805057B')).toBe(true);
    expect(validNino('PY123456D')).toBe(true);
  });

  it('GitHub/npm token checksum is the base62 CRC32 of the 30-character body', () => {
    const body = 'abcdefghijklmnopqrstuvwxyz0123';
    const token = `ghp_${body}${base62Encode(crc32(body), 6)}`;
    expect(validCrc32Base62Token(token)).toBe(true);
    expect(validCrc32Base62Token(`${token.slice(0, 39)}${token[39] === 'A' ? 'B' : 'A'}`)).toBe(false);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
  });

  it('JWT needs JSON header with alg other than none; the jwt.io sample is rejected', () => {
    const h = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const p = Buffer.from('{"sub":"u-42"}').toString('base64url');
    expect(validJwt(`${h}.${p}.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk`)).toBe(true);
    const none = Buffer.from('{"alg":"none"}').toString('base64url');
    expect(validJwt(`${none}.${p}.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk`)).toBe(false);
    expect(
      validJwt(
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      ),
    ).toBe(false);
  });

  it('PEM: real keys parse, redacted or truncated blocks do not', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(pemVerdict(pem)).toBe('parsed');
    expect(
      pemVerdict(
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...REDACTED\n-----END RSA PRIVATE KEY-----',
      ),
    ).toBe('invalid');
    const lines = pem.split('\n');
    expect(pemVerdict([lines[0], lines[1], lines.at(-2)].join('\n'))).not.toBe('parsed');
  });

  it('base64 byte length, entropy and placeholder filters', () => {
    expect(base64ByteLength(Buffer.alloc(32, 7).toString('base64'))).toBe(32);
    expect(base64ByteLength('not base64!')).toBe(-1);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    for (const p of [
      '<your-key>',
      '$' + '{SECRET}',
      'XXXXXXXXXXXX',
      'changeme',
      '********',
      '{{token}}',
      '%API_KEY%',
      'YOUR_API_KEY_HERE',
    ])
      expect(isPlaceholder(p)).toBe(true);
    expect(isPlaceholder('Tq9v2Lx8Kp4Rm7Wn3Zb6')).toBe(false);
  });
});
