/**
 * Byte-level AMQP helpers for the hot path. The emulator never decodes and re-encodes a stored event:
 * at ingest it finds where the inner message's header ends and where its message-annotations section
 * lies, and builds the delivered wire form once: header bytes + a new message-annotations section
 * (the producer's annotations followed by x-opt-sequence-number/offset/enqueued-time) + the original
 * properties/application-properties/body bytes. Delivery then sends that Buffer as is (or splices a
 * delivery-annotations section for runtime metrics).
 */
import rhea from 'rhea';

const SECTION_HEADER = 0x70;
const SECTION_DELIVERY_ANNOTATIONS = 0x71;
const SECTION_MESSAGE_ANNOTATIONS = 0x72;
const SECTION_DATA = 0x75;

export const BATCH_MESSAGE_FORMAT = 0x80013700;

const OUR_KEYS = new Set(['x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time']);

function symbolBytes(name: string): Buffer {
  const b = Buffer.from(name, 'ascii');
  return Buffer.concat([Buffer.from([0xa3, b.length]), b]);
}
const KEY_SEQUENCE = symbolBytes('x-opt-sequence-number');
const KEY_OFFSET = symbolBytes('x-opt-offset');
const KEY_ENQUEUED = symbolBytes('x-opt-enqueued-time');
const KEY_LAST_SEQ = symbolBytes('last_enqueued_sequence_number');
const KEY_LAST_OFFSET = symbolBytes('last_enqueued_offset');
const KEY_LAST_TIME = symbolBytes('last_enqueued_time_utc');
const KEY_RETRIEVAL = symbolBytes('runtime_info_retrieval_time_utc');

/** Signed 64-bit big-endian write of a safe integer without a BigInt allocation. */
function writeInt64(buf: Buffer, value: number, at: number): void {
  const high = Math.floor(value / 0x100000000);
  buf.writeInt32BE(high, at);
  buf.writeUInt32BE(value - high * 0x100000000, at + 4);
}

export class AmqpFormatError extends Error {
  override name = 'AmqpFormatError';
}

/** Size in bytes of the encoded value starting at `pos` for the constructors a section header uses. */
function valueEnd(buf: Buffer, pos: number): number {
  const code = buf[pos];
  switch (code) {
    case 0x40: // null
    case 0x45: // list0
      return pos + 1;
    case 0xc0: // list8
    case 0xc1: // map8
      return pos + 2 + (buf[pos + 1] as number);
    case 0xd0: // list32
    case 0xd1: // map32
      return pos + 5 + buf.readUInt32BE(pos + 1);
    case 0xa0: // vbin8
    case 0xa1:
    case 0xa3:
      return pos + 2 + (buf[pos + 1] as number);
    case 0xb0: // vbin32
    case 0xb1:
    case 0xb3:
      return pos + 5 + buf.readUInt32BE(pos + 1);
    default:
      throw new AmqpFormatError(`unsupported AMQP constructor 0x${(code ?? 0).toString(16)} at ${pos}`);
  }
}

/** Code of the described section at `pos` (`00 53 <code>`), or -1 when the bytes are not a small-ulong descriptor. */
function sectionCode(buf: Buffer, pos: number): number {
  if (buf[pos] === 0x00 && buf[pos + 1] === 0x53) return buf[pos + 2] as number;
  if (buf[pos] === 0x00 && buf[pos + 1] === 0x80 && buf.readUInt32BE(pos + 2) === 0)
    return buf[pos + 9] as number;
  return -1;
}
function sectionBodyStart(buf: Buffer, pos: number): number {
  return buf[pos + 1] === 0x53 ? pos + 3 : pos + 10;
}

/** The data sections of a 0x80013700 batch envelope (zero-copy views) and its message-annotations bytes. */
export function splitBatchEnvelope(envelope: Buffer): { events: Buffer[]; annotations: Buffer | undefined } {
  const events: Buffer[] = [];
  let annotations: Buffer | undefined;
  let pos = 0;
  while (pos < envelope.length) {
    const code = sectionCode(envelope, pos);
    if (code < 0) throw new AmqpFormatError(`malformed batch envelope at byte ${pos}`);
    const bodyStart = sectionBodyStart(envelope, pos);
    const end = valueEnd(envelope, bodyStart);
    if (end > envelope.length) throw new AmqpFormatError('truncated batch envelope');
    if (code === SECTION_DATA) {
      const lenSize = envelope[bodyStart] === 0xa0 ? 1 : 4;
      events.push(envelope.subarray(bodyStart + 1 + lenSize, end));
    } else if (code === SECTION_MESSAGE_ANNOTATIONS) {
      annotations = envelope.subarray(pos, end);
    }
    pos = end;
  }
  return { events, annotations };
}

/** The partition key in a message-annotations section, if any (decoded with rhea; small and rare). */
export function partitionKeyOf(annotationsSection: Buffer | undefined): string | undefined {
  if (!annotationsSection || annotationsSection.length <= 5) return undefined;
  const decoded = rhea.message.decode(annotationsSection) as {
    message_annotations?: Record<string, unknown>;
  };
  const key = decoded.message_annotations?.['x-opt-partition-key'];
  return typeof key === 'string' ? key : undefined;
}

export interface StoredWire {
  /** The message as delivered, annotations included. */
  wire: Buffer;
  /** Where a delivery-annotations section must be inserted (after the header). */
  headerEnd: number;
}

/**
 * Build the delivered form of an inner event message once, at ingest: keep header and
 * properties/app-properties/body bytes verbatim, replace message-annotations with the producer's
 * entries plus the three service annotations.
 */
export function buildStoredWire(
  inner: Buffer,
  sequenceNumber: number,
  offset: number,
  enqueuedMs: number,
): StoredWire {
  let pos = 0;
  let headerEnd = 0;
  let producerEntries: Buffer = Buffer.alloc(0);
  let producerCount = 0;
  while (pos < inner.length) {
    const code = sectionCode(inner, pos);
    if (
      code !== SECTION_HEADER &&
      code !== SECTION_DELIVERY_ANNOTATIONS &&
      code !== SECTION_MESSAGE_ANNOTATIONS
    )
      break;
    const bodyStart = sectionBodyStart(inner, pos);
    const end = valueEnd(inner, bodyStart);
    if (code === SECTION_HEADER) headerEnd = end;
    if (code === SECTION_MESSAGE_ANNOTATIONS) {
      ({ entries: producerEntries, count: producerCount } = mapEntries(inner, pos, bodyStart, end));
    }
    pos = end;
  }
  const tail = inner.subarray(pos);
  const offsetText = Buffer.from(String(offset), 'ascii');
  const ours = Buffer.allocUnsafe(
    KEY_SEQUENCE.length + 9 + KEY_OFFSET.length + 2 + offsetText.length + KEY_ENQUEUED.length + 9,
  );
  let w = 0;
  w += KEY_SEQUENCE.copy(ours, w);
  ours[w++] = 0x81;
  writeInt64(ours, sequenceNumber, w);
  w += 8;
  w += KEY_OFFSET.copy(ours, w);
  ours[w++] = 0xa1;
  ours[w++] = offsetText.length;
  w += offsetText.copy(ours, w);
  w += KEY_ENQUEUED.copy(ours, w);
  ours[w++] = 0x83;
  writeInt64(ours, enqueuedMs, w);
  const count = producerCount + 6;
  const entriesLength = producerEntries.length + ours.length;
  const sectionHead = Buffer.allocUnsafe(3 + 9);
  sectionHead[0] = 0x00;
  sectionHead[1] = 0x53;
  sectionHead[2] = SECTION_MESSAGE_ANNOTATIONS;
  sectionHead[3] = 0xd1;
  sectionHead.writeUInt32BE(entriesLength + 4, 4);
  sectionHead.writeUInt32BE(count, 8);
  const wire = Buffer.concat([inner.subarray(0, headerEnd), sectionHead, producerEntries, ours, tail]);
  return { wire, headerEnd };
}

/** Entries of a map-valued section without the map header, dropping keys the service sets itself. */
function mapEntries(
  buf: Buffer,
  sectionStart: number,
  bodyStart: number,
  end: number,
): { entries: Buffer; count: number } {
  const code = buf[bodyStart];
  let count: number;
  let entriesStart: number;
  if (code === 0xc1) {
    count = buf[bodyStart + 2] as number;
    entriesStart = bodyStart + 3;
  } else if (code === 0xd1) {
    count = buf.readUInt32BE(bodyStart + 5);
    entriesStart = bodyStart + 9;
  } else {
    return { entries: Buffer.alloc(0), count: 0 };
  }
  if (count === 0) return { entries: Buffer.alloc(0), count: 0 };
  // Producers (the SDK) never set the service's keys; only if one did do we pay for a decode/encode.
  const decoded = rhea.message.decode(buf.subarray(sectionStart, end)) as {
    message_annotations?: Record<string, unknown>;
  };
  const annotations = decoded.message_annotations ?? {};
  if (!Object.keys(annotations).some((k) => OUR_KEYS.has(k)))
    return { entries: buf.subarray(entriesStart, end), count };
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(annotations)) if (!OUR_KEYS.has(k)) kept[k] = v;
  const reencoded = rhea.message.encode({ message_annotations: kept }) as Buffer;
  // reencoded = [header section?] + 00 53 72 <map>; find the map.
  const at = reencoded.indexOf(Buffer.from([0x00, 0x53, SECTION_MESSAGE_ANNOTATIONS]));
  return mapEntries(reencoded, at, at + 3, valueEnd(reencoded, at + 3));
}

export interface RuntimeInfo {
  lastSequenceNumber: number;
  lastOffset: number;
  lastEnqueuedMs: number;
  retrievedMs: number;
}

/** A delivery-annotations section carrying the four runtime-metric keys the client parses together. */
export function encodeRuntimeInfo(info: RuntimeInfo): Buffer {
  const offsetText = Buffer.from(String(info.lastOffset), 'ascii');
  const entriesLength =
    KEY_LAST_SEQ.length +
    9 +
    KEY_LAST_OFFSET.length +
    2 +
    offsetText.length +
    KEY_LAST_TIME.length +
    9 +
    KEY_RETRIEVAL.length +
    9;
  const out = Buffer.allocUnsafe(3 + 9 + entriesLength);
  let w = 0;
  out[w++] = 0x00;
  out[w++] = 0x53;
  out[w++] = SECTION_DELIVERY_ANNOTATIONS;
  out[w++] = 0xd1;
  out.writeUInt32BE(entriesLength + 4, w);
  w += 4;
  out.writeUInt32BE(8, w);
  w += 4;
  w += KEY_LAST_SEQ.copy(out, w);
  out[w++] = 0x81;
  writeInt64(out, info.lastSequenceNumber, w);
  w += 8;
  w += KEY_LAST_OFFSET.copy(out, w);
  out[w++] = 0xa1;
  out[w++] = offsetText.length;
  w += offsetText.copy(out, w);
  w += KEY_LAST_TIME.copy(out, w);
  out[w++] = 0x83;
  writeInt64(out, info.lastEnqueuedMs, w);
  w += 8;
  w += KEY_RETRIEVAL.copy(out, w);
  out[w++] = 0x83;
  writeInt64(out, info.retrievedMs, w);
  return out;
}
