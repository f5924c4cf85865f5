/**
 * RC2-CBC decryption (RFC 2268). Only here because legacy PKCS#12 files (Windows, .NET, older OpenSSL,
 * including the Microsoft Graph SDK's test certificate) encrypt their certificate bags with
 * pbeWithSHAAnd40BitRC2-CBC, which OpenSSL 3 (and so Node) no longer ships in its default provider.
 * It decrypts public certificates only; private keys use 3DES/AES through Node's own crypto.
 */
const PITABLE = Buffer.from(
  [
    'd9 78 f9 c4 19 dd b5 ed 28 e9 fd 79 4a a0 d8 9d',
    'c6 7e 37 83 2b 76 53 8e 62 4c 64 88 44 8b fb a2',
    '17 9a 59 f5 87 b3 4f 13 61 45 6d 8d 09 81 7d 32',
    'bd 8f 40 eb 86 b7 7b 0b f0 95 21 22 5c 6b 4e 82',
    '54 d6 65 93 ce 60 b2 1c 73 56 c0 14 a7 8c f1 dc',
    '12 75 ca 1f 3b be e4 d1 42 3d d4 30 a3 3c b6 26',
    '6f bf 0e da 46 69 07 57 27 f2 1d 9b bc 94 43 03',
    'f8 11 c7 f6 90 ef 3e e7 06 c3 d5 2f c8 66 1e d7',
    '08 e8 ea de 80 52 ee f7 84 aa 72 ac 35 4d 6a 2a',
    '96 1a d2 71 5a 15 49 74 4b 9f d0 5e 04 18 a4 ec',
    'c2 e0 41 6e 0f 51 cb cc 24 91 af 50 a1 f4 70 39',
    '99 7c 3a 85 23 b8 b4 7a fc 02 36 5b 25 55 97 31',
    '2d 5d fa 98 e3 8a 92 ae 05 df 29 10 67 6c ba c9',
    'd3 00 e6 cf e1 9e a8 2c 63 16 01 3f 58 e2 89 a9',
    '0d 38 34 1b ab 33 ff b0 bb 48 0c 5f b9 b1 cd 2e',
    'c5 f3 db 47 e5 a5 9c 77 0a a6 20 68 fe 7f c1 ad',
  ]
    .join(' ')
    .split(' ')
    .map((h) => Number.parseInt(h, 16)),
);

function expandKey(key: Buffer, effectiveBits: number): Uint16Array {
  const L = new Uint8Array(128);
  L.set(key);
  const T = key.length;
  for (let i = T; i < 128; i++) L[i] = PITABLE[(L[i - 1]! + L[i - T]!) & 0xff]!;
  const T8 = (effectiveBits + 7) >> 3;
  const TM = 0xff >> (8 * T8 - effectiveBits);
  L[128 - T8] = PITABLE[L[128 - T8]! & TM]!;
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1]! ^ L[i + T8]!]!;
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i]! | (L[2 * i + 1]! << 8);
  return K;
}

function decryptBlock(K: Uint16Array, block: Buffer, out: Buffer, offset: number): void {
  const R = [block.readUInt16LE(0), block.readUInt16LE(2), block.readUInt16LE(4), block.readUInt16LE(6)];
  const shifts = [1, 2, 3, 5];
  let j = 63;
  const rmix = () => {
    for (let i = 3; i >= 0; i--) {
      const s = shifts[i]!;
      let r = R[i]!;
      r = ((r >>> s) | (r << (16 - s))) & 0xffff;
      r = (r - K[j]! - (R[(i + 3) & 3]! & R[(i + 2) & 3]!) - (~R[(i + 3) & 3]! & R[(i + 1) & 3]!)) & 0xffff;
      R[i] = r;
      j--;
    }
  };
  const rmash = () => {
    for (let i = 3; i >= 0; i--) R[i] = (R[i]! - K[R[(i + 3) & 3]! & 63]!) & 0xffff;
  };
  for (let n = 0; n < 5; n++) rmix();
  rmash();
  for (let n = 0; n < 6; n++) rmix();
  rmash();
  for (let n = 0; n < 5; n++) rmix();
  for (let i = 0; i < 4; i++) out.writeUInt16LE(R[i]!, offset + 2 * i);
}

/** RC2-CBC decrypt with PKCS#7 unpadding. Throws on bad length or padding. */
export function rc2CbcDecrypt(key: Buffer, effectiveBits: number, iv: Buffer, ciphertext: Buffer): Buffer {
  if (ciphertext.length === 0 || ciphertext.length % 8 !== 0)
    throw new Error('RC2 ciphertext length is not a multiple of 8');
  const K = expandKey(key, effectiveBits);
  const out = Buffer.alloc(ciphertext.length);
  let previous = iv;
  for (let offset = 0; offset < ciphertext.length; offset += 8) {
    const block = ciphertext.subarray(offset, offset + 8);
    decryptBlock(K, block, out, offset);
    for (let i = 0; i < 8; i++) out[offset + i]! ^= previous[i]!;
    previous = block;
  }
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > 8) throw new Error('bad RC2 padding');
  for (let i = out.length - pad; i < out.length; i++) if (out[i] !== pad) throw new Error('bad RC2 padding');
  return out.subarray(0, out.length - pad);
}
