/**
 * Minimal DER (ASN.1) encoder and decoder: enough to build a self-signed X.509 certificate and to walk a
 * PKCS#12 file. Node has neither an X.509 builder nor a PKCS#12 parser, and pulling a dependency for a few
 * hundred bytes of TLV is not worth it.
 */

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  BMP_STRING: 0x1e,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  let n = length;
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

export const der = {
  sequence: (...items: Buffer[]) => tlv(TAG.SEQUENCE, Buffer.concat(items)),
  set: (...items: Buffer[]) => tlv(TAG.SET, Buffer.concat(items)),
  null: () => tlv(TAG.NULL, Buffer.alloc(0)),
  octetString: (value: Buffer) => tlv(TAG.OCTET_STRING, value),
  utf8String: (value: string) => tlv(TAG.UTF8_STRING, Buffer.from(value, 'utf8')),
  /** BIT STRING with a leading "unused bits" byte. */
  bitString: (value: Buffer, unusedBits = 0) =>
    tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), value])),
  /** Context-specific constructed tag `[n] EXPLICIT`. */
  explicit: (n: number, inner: Buffer) => tlv(0xa0 | n, inner),
  boolean: (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),
  /** Unsigned big-endian integer bytes (a leading zero is added when the high bit is set). */
  unsignedInteger: (bytes: Buffer) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    let body = bytes.subarray(start);
    if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
    return tlv(TAG.INTEGER, body.length === 0 ? Buffer.from([0]) : body);
  },
  /** INTEGER 0..255 (versions, small counters). */
  smallInteger: (n: number) => der.unsignedInteger(Buffer.from([n & 0xff])),
  oid: (dotted: string) => tlv(TAG.OID, encodeOid(dotted)),
  /** UTCTime for 1950..2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
  time: (date: Date) => {
    const iso = date.toISOString();
    const year = date.getUTCFullYear();
    const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    return year >= 1950 && year < 2050
      ? tlv(TAG.UTC_TIME, Buffer.from(compact.slice(2), 'ascii'))
      : tlv(TAG.GENERALIZED_TIME, Buffer.from(compact, 'ascii'));
  },
};

export function encodeOid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const first = parts[0] ?? 0;
  const second = parts[1] ?? 0;
  const out: number[] = [first * 40 + second];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    let n = Math.floor(part / 128);
    while (n > 0) {
      chunk.unshift((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(...chunk);
  }
  return Buffer.from(out);
}

export function decodeOid(bytes: Buffer): string {
  const first = bytes[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let n = 0;
  for (const b of bytes.subarray(1)) {
    n = n * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** One decoded TLV. `raw` is the whole element (tag + length + value), handy for hashing or re-parsing. */
export interface Asn1Node {
  tag: number;
  value: Buffer;
  raw: Buffer;
}

export class Asn1Error extends Error {
  override name = 'Asn1Error';
}

/** Reads one element at `offset`. Throws Asn1Error on truncation or unsupported (indefinite / multi-byte) forms. */
export function readNode(buf: Buffer, offset = 0): Asn1Node & { end: number } {
  if (offset + 2 > buf.length) throw new Asn1Error('truncated ASN.1 element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('multi-byte ASN.1 tags are not supported');
  let length = buf[offset + 1]!;
  let header = 2;
  if (length === 0x80) throw new Asn1Error('indefinite-length ASN.1 (BER) is not supported');
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count > 4 || offset + 2 + count > buf.length) throw new Asn1Error('bad ASN.1 length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new Asn1Error('truncated ASN.1 element');
  return { tag, value: buf.subarray(offset + header, end), raw: buf.subarray(offset, end), end };
}

/** Children of a constructed element. */
export function children(node: Asn1Node): Asn1Node[] {
  const out: Asn1Node[] = [];
  let offset = 0;
  while (offset < node.value.length) {
    const child = readNode(node.value, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function parseDer(buf: Buffer): Asn1Node {
  return readNode(buf, 0);
}

/** Child `index` of `node`, or an Asn1Error naming what was expected. */
export function child(node: Asn1Node, index: number, expectedTag?: number, what = 'element'): Asn1Node {
  const c = children(node)[index];
  if (!c) throw new Asn1Error(`missing ${what}`);
  if (expectedTag !== undefined && c.tag !== expectedTag) throw new Asn1Error(`unexpected tag for ${what}`);
  return c;
}
