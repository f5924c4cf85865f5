/**
 * Partition-key → partition mapping, bit-for-bit the function the service and `@azure/event-hubs`
 * use (`impl/partitionKeyToIdMapper`): Jenkins lookup3 `hashlittle2` over the UTF-8 bytes with both
 * seeds 0, then `c ^ b` as a signed 16-bit integer, `abs(h % partitionCount)`.
 * The buffered producer maps keys client-side, so any other function would split a key over two partitions.
 */

/** The signed 16-bit hash of a partition key. */
export function hashPartitionKey(partitionKey: string): number {
  const { b, c } = lookup3(Buffer.from(partitionKey, 'utf8'));
  return (((c ^ b) << 16) >> 16) as number;
}

/** Index into the hub's partition-id list for a key. */
export function partitionIndexForKey(partitionKey: string, partitionCount: number): number {
  return Math.abs(hashPartitionKey(partitionKey) % partitionCount);
}

function lookup3(data: Buffer): { b: number; c: number } {
  let a: number;
  let b: number;
  let c: number;
  a = b = c = (0xdeadbeef + data.length) | 0;
  let index = 0;
  let size = data.length;
  while (size > 12) {
    a = (a + data.readUInt32LE(index)) | 0;
    b = (b + data.readUInt32LE(index + 4)) | 0;
    c = (c + data.readUInt32LE(index + 8)) | 0;
    a = (a - c) | 0;
    a ^= (c << 4) | (c >>> 28);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= (a << 6) | (a >>> 26);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= (b << 8) | (b >>> 24);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= (c << 16) | (c >>> 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= (a << 19) | (a >>> 13);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= (b << 4) | (b >>> 28);
    b = (b + a) | 0;
    index += 12;
    size -= 12;
  }
  const at = (i: number) => data[index + i] as number;
  switch (size) {
    case 12:
      a = (a + data.readUInt32LE(index)) | 0;
      b = (b + data.readUInt32LE(index + 4)) | 0;
      c = (c + data.readUInt32LE(index + 8)) | 0;
      break;
    case 11:
    case 10:
    case 9:
      if (size >= 11) c = (c + (at(10) << 16)) | 0;
      if (size >= 10) c = (c + (at(9) << 8)) | 0;
      c = (c + at(8)) | 0;
      b = (b + data.readUInt32LE(index + 4)) | 0;
      a = (a + data.readUInt32LE(index)) | 0;
      break;
    case 8:
      b = (b + data.readUInt32LE(index + 4)) | 0;
      a = (a + data.readUInt32LE(index)) | 0;
      break;
    case 7:
    case 6:
    case 5:
      if (size >= 7) b = (b + (at(6) << 16)) | 0;
      if (size >= 6) b = (b + (at(5) << 8)) | 0;
      b = (b + at(4)) | 0;
      a = (a + data.readUInt32LE(index)) | 0;
      break;
    case 4:
      a = (a + data.readUInt32LE(index)) | 0;
      break;
    case 3:
    case 2:
    case 1:
      if (size >= 3) a = (a + (at(2) << 16)) | 0;
      if (size >= 2) a = (a + (at(1) << 8)) | 0;
      a = (a + at(0)) | 0;
      break;
    default:
      return { b: b >>> 0, c: c >>> 0 };
  }
  c ^= b;
  c = (c - ((b << 14) | (b >>> 18))) | 0;
  a ^= c;
  a = (a - ((c << 11) | (c >>> 21))) | 0;
  b ^= a;
  b = (b - ((a << 25) | (a >>> 7))) | 0;
  c ^= b;
  c = (c - ((b << 16) | (b >>> 16))) | 0;
  a ^= c;
  a = (a - ((c << 4) | (c >>> 28))) | 0;
  b ^= a;
  b = (b - ((a << 14) | (a >>> 18))) | 0;
  c ^= b;
  c = (c - ((b << 24) | (b >>> 8))) | 0;
  return { b: b >>> 0, c: c >>> 0 };
}
