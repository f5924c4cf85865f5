/**
 * One partition's append-only event log: sequence numbers from 0, offsets = byte position of the
 * event in the partition's stream of inner messages (decimal strings on the wire), enqueued times that
 * never go backwards. Shared by every connection, so every process sees the same log.
 * Optional file backend: one append-only file per partition whose records carry sequence number,
 * offset and time, so numbering (and therefore checkpoints) survives restarts and retention.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  write,
  writeSync,
} from 'node:fs';
import { buildStoredWire } from './amqpBytes.js';
import type { StartPosition } from './filter.js';

export interface StoredEvent {
  sequenceNumber: number;
  offset: number;
  enqueuedMs: number;
  /** Delivered form (see amqpBytes.buildStoredWire). */
  wire: Buffer;
  headerEnd: number;
}

const RECORD_MAGIC = 0x45485231; // "EHR1"
const RECORD_HEADER = 32;

export class PartitionLog {
  private events: StoredEvent[] = [];
  private head = 0;
  nextSequenceNumber = 0;
  nextOffset = 0;
  private lastEnqueuedMs = 0;
  private readonly appendListeners = new Set<() => void>();
  private readonly file: PartitionFile | undefined;

  constructor(
    readonly hub: string,
    readonly partitionId: string,
    options: { filePath?: string; retentionMs?: number; nowMs?: number } = {},
  ) {
    if (options.filePath) {
      this.file = new PartitionFile(options.filePath);
      const cutoff =
        options.retentionMs === undefined
          ? Number.NEGATIVE_INFINITY
          : (options.nowMs ?? Date.now()) - options.retentionMs;
      const { records, nextSequenceNumber, nextOffset, lastOffset, lastEnqueuedMs } = this.file.load(cutoff);
      this.lastOffset = lastOffset;
      for (const r of records) {
        const { wire, headerEnd } = buildStoredWire(r.raw, r.sequenceNumber, r.offset, r.enqueuedMs);
        this.events.push({
          sequenceNumber: r.sequenceNumber,
          offset: r.offset,
          enqueuedMs: r.enqueuedMs,
          wire,
          headerEnd,
        });
      }
      this.nextSequenceNumber = nextSequenceNumber;
      this.nextOffset = nextOffset;
      this.lastEnqueuedMs = lastEnqueuedMs;
    }
  }

  get size(): number {
    return this.events.length - this.head;
  }
  get isEmpty(): boolean {
    return this.size === 0;
  }
  /** First retained sequence number (= next when empty: retention keeps numbering going). */
  get beginSequenceNumber(): number {
    return this.isEmpty ? this.nextSequenceNumber : (this.events[this.head] as StoredEvent).sequenceNumber;
  }
  last(): StoredEvent | undefined {
    return this.isEmpty ? undefined : this.events[this.events.length - 1];
  }
  /** Last enqueued event's properties even when retention removed it (or -1/"-1"/0 when never written). */
  lastEnqueued(): { sequenceNumber: number; offset: number; enqueuedMs: number } {
    const last = this.last();
    if (last)
      return { sequenceNumber: last.sequenceNumber, offset: last.offset, enqueuedMs: last.enqueuedMs };
    return {
      sequenceNumber: this.nextSequenceNumber - 1,
      offset: this.nextSequenceNumber === 0 ? -1 : this.lastOffset,
      enqueuedMs: this.lastEnqueuedMs,
    };
  }
  private lastOffset = -1;

  /**
   * Append inner messages (raw encoded AMQP messages, stored verbatim). Returns when the events are
   * durable in the file backend (immediately in memory). Readers are woken at once.
   */
  append(inners: Buffer[], nowMs = Date.now()): Promise<void> {
    const enqueuedMs = Math.max(nowMs, this.lastEnqueuedMs);
    // Build every stored form first: a malformed inner message throws here and leaves the log untouched.
    const built: StoredEvent[] = [];
    let offset = this.nextOffset;
    for (let i = 0; i < inners.length; i++) {
      const raw = inners[i] as Buffer;
      const sequenceNumber = this.nextSequenceNumber + i;
      const { wire, headerEnd } = buildStoredWire(raw, sequenceNumber, offset, enqueuedMs);
      built.push({ sequenceNumber, offset, enqueuedMs, wire, headerEnd });
      offset += raw.length;
    }
    const records: Buffer[] = [];
    for (let i = 0; i < built.length; i++) {
      const event = built[i] as StoredEvent;
      this.events.push(event);
      this.lastOffset = event.offset;
      if (this.file)
        records.push(
          encodeRecordHeader((inners[i] as Buffer).length, event.sequenceNumber, event.offset, enqueuedMs),
          inners[i] as Buffer,
        );
    }
    this.nextSequenceNumber += built.length;
    this.nextOffset = offset;
    this.lastEnqueuedMs = enqueuedMs;
    for (const listener of this.appendListeners) listener();
    return this.file ? this.file.write(records) : Promise.resolve();
  }

  /** Event with this sequence number, if retained. */
  at(sequenceNumber: number): StoredEvent | undefined {
    if (this.isEmpty) return undefined;
    const index = this.head + (sequenceNumber - this.beginSequenceNumber);
    return index >= this.head && index < this.events.length ? this.events[index] : undefined;
  }

  /** Sequence number of the first event a reader attached with this position should get. */
  resolveStart(position: StartPosition): number {
    const begin = this.beginSequenceNumber;
    switch (position.kind) {
      case 'earliest':
        return begin;
      case 'latest':
        return this.nextSequenceNumber;
      case 'sequence':
        return Math.max(begin, position.inclusive ? position.sequenceNumber : position.sequenceNumber + 1);
      case 'offset':
        return this.firstWhere((e) =>
          position.inclusive ? e.offset >= position.offset : e.offset > position.offset,
        );
      case 'enqueuedTime':
        return this.firstWhere((e) =>
          position.inclusive ? e.enqueuedMs >= position.timeMs : e.enqueuedMs > position.timeMs,
        );
    }
  }

  /** Binary search over retained events for the first matching a monotone predicate. */
  private firstWhere(predicate: (e: StoredEvent) => boolean): number {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (predicate(this.events[mid] as StoredEvent)) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.events.length
      ? (this.events[lo] as StoredEvent).sequenceNumber
      : this.nextSequenceNumber;
  }

  /** Drop events enqueued before `cutoffMs`; numbering continues. Returns how many were dropped. */
  trimBefore(cutoffMs: number): number {
    let dropped = 0;
    while (this.head < this.events.length && (this.events[this.head] as StoredEvent).enqueuedMs < cutoffMs) {
      this.events[this.head] = undefined as unknown as StoredEvent;
      this.head++;
      dropped++;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }

  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.appendListeners.clear();
    await this.file?.close();
  }
}

function encodeRecordHeader(
  rawLength: number,
  sequenceNumber: number,
  offset: number,
  enqueuedMs: number,
): Buffer {
  const h = Buffer.allocUnsafe(RECORD_HEADER);
  h.writeUInt32BE(RECORD_MAGIC, 0);
  h.writeUInt32BE(rawLength, 4);
  h.writeDoubleBE(sequenceNumber, 8);
  h.writeDoubleBE(offset, 16);
  h.writeDoubleBE(enqueuedMs, 24);
  return h;
}

interface FileRecord {
  raw: Buffer;
  sequenceNumber: number;
  offset: number;
  enqueuedMs: number;
}

/** Append-only record file. Writes are coalesced: while one writev is in flight, later appends queue. */
class PartitionFile {
  private fd: number | undefined;
  private queue: { buffers: Buffer[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  private writing = false;

  constructor(private readonly path: string) {}

  /** Read every intact record; a torn tail (crash mid-write) is cut off; expired records are compacted away. */
  load(cutoffMs: number): {
    records: FileRecord[];
    nextSequenceNumber: number;
    nextOffset: number;
    lastOffset: number;
    lastEnqueuedMs: number;
  } {
    const records: FileRecord[] = [];
    let nextSequenceNumber = 0;
    let nextOffset = 0;
    let lastOffset = -1;
    let lastEnqueuedMs = 0;
    let expired = 0;
    let goodEnd = 0;
    let all: Buffer = Buffer.alloc(0);
    if (existsSync(this.path)) {
      all = readFileSync(this.path);
      let pos = 0;
      while (pos + RECORD_HEADER <= all.length && all.readUInt32BE(pos) === RECORD_MAGIC) {
        const len = all.readUInt32BE(pos + 4);
        if (pos + RECORD_HEADER + len > all.length) break;
        const sequenceNumber = all.readDoubleBE(pos + 8);
        const offset = all.readDoubleBE(pos + 16);
        const enqueuedMs = all.readDoubleBE(pos + 24);
        nextSequenceNumber = sequenceNumber + 1;
        nextOffset = offset + len;
        lastOffset = offset;
        lastEnqueuedMs = enqueuedMs;
        if (enqueuedMs >= cutoffMs)
          records.push({
            raw: all.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + len),
            sequenceNumber,
            offset,
            enqueuedMs,
          });
        else expired++;
        pos += RECORD_HEADER + len;
      }
      goodEnd = pos;
    }
    const rewrite = expired > 0 || goodEnd !== all.length;
    if (rewrite) {
      // Keep the last record even if expired so numbering survives a restart with nothing retained.
      const keepLastExpired = records.length === 0 && goodEnd > 0;
      const tmp = `${this.path}.tmp`;
      const fd = openSync(tmp, 'w');
      for (const r of records) {
        writeSync(fd, encodeRecordHeader(r.raw.length, r.sequenceNumber, r.offset, r.enqueuedMs));
        writeSync(fd, r.raw);
      }
      if (keepLastExpired) writeSync(fd, tailRecord(all, goodEnd));
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, this.path);
    }
    this.fd = openSync(this.path, 'a');
    return { records, nextSequenceNumber, nextOffset, lastOffset, lastEnqueuedMs };
  }

  write(buffers: Buffer[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ buffers, resolve, reject });
      if (!this.writing) this.flush();
    });
  }

  private flush(): void {
    const fd = this.fd;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0 || fd === undefined) {
      this.writing = false;
      for (const b of batch) b.reject(new Error('partition file is closed'));
      return;
    }
    this.writing = true;
    const data = Buffer.concat(batch.flatMap((b) => b.buffers));
    const done = (err: Error | null) => {
      for (const b of batch) {
        if (err) b.reject(err);
        else b.resolve();
      }
      this.flush();
    };
    const writeFrom = (pos: number) => {
      write(fd, data, pos, data.length - pos, null, (err, written) => {
        if (err) done(err);
        else if (pos + written < data.length) writeFrom(pos + written);
        else done(null);
      });
    };
    writeFrom(0);
  }

  async close(): Promise<void> {
    while (this.writing) await new Promise((r) => setImmediate(r));
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The bytes of the last intact record of a file (used to keep numbering when retention emptied it). */
function tailRecord(all: Buffer, end: number): Buffer {
  let pos = 0;
  let lastStart = 0;
  while (pos < end) {
    lastStart = pos;
    pos += RECORD_HEADER + all.readUInt32BE(pos + 4);
  }
  return all.subarray(lastStart, end);
}
