import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { appendFile, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GraphDlpError } from '../errors.js';
import type { Finding, FindingSink, SinkMode, SinkWriteReport } from '../worker/ports.js';

export interface FileSinkOptions {
  path: string;
  mode?: SinkMode;
  /** Give up waiting for the cross-process lock after this long (a stale lock of a dead pid is broken at once). */
  lockTimeoutMs?: number;
}

/**
 * Local JSONL sink, one finding per line, deduplicated by finding id — also across processes writing the
 * same file (two replicas on one machine, a restarted worker replaying): under an exclusive lock file it
 * first reads whatever other writers appended since its last look, then appends only unseen ids.
 */
export class FileSink implements FindingSink {
  readonly name = 'file';
  readonly mode: SinkMode;
  private readonly seen = new Set<string>();
  private readPosition = 0;
  private partialLine = '';
  private ready: Promise<void> | undefined;
  private readonly queue: Array<{
    findings: readonly Finding[];
    resolve: (report: SinkWriteReport) => void;
    reject: (err: unknown) => void;
  }> = [];
  private flushing = false;
  /** File size seen by the last catch-up (-1: file missing). */
  private sizeAtCatchUp = -1;
  duplicatesSkipped = 0;

  constructor(private readonly options: FileSinkOptions) {
    this.mode = options.mode ?? 'required';
  }

  private async init(): Promise<void> {
    await mkdir(dirname(this.options.path), { recursive: true });
  }

  async write(findings: readonly Finding[]): Promise<SinkWriteReport> {
    this.ready ??= this.init();
    await this.ready;
    // Group commit: concurrent writers of this process (several partitions, several batches in flight)
    // queue up and share one lock acquisition and one append, instead of each polling the lock file.
    return new Promise<SinkWriteReport>((resolve, reject) => {
      this.queue.push({ findings, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0);
        try {
          const duplicates = await this.withLock(() => this.appendUnseen(group.map((g) => g.findings)));
          for (const [i, g] of group.entries()) g.resolve({ duplicates: duplicates[i] as number });
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Appends the unseen findings of every writer in the group; returns each writer's duplicate count. */
  private async appendUnseen(groups: ReadonlyArray<readonly Finding[]>): Promise<number[]> {
    this.catchUp();
    const lines: string[] = [];
    const added: string[] = [];
    const duplicates = groups.map((findings) => {
      let skipped = 0;
      for (const f of findings) {
        if (this.seen.has(f.id)) {
          skipped++;
          continue;
        }
        this.seen.add(f.id);
        added.push(f.id);
        lines.push(JSON.stringify(f));
      }
      return skipped;
    });
    if (lines.length === 0) {
      for (const d of duplicates) this.duplicatesSkipped += d;
      return duplicates;
    }
    const text = `${lines.join('\n')}\n`;
    const caughtUp = this.partialLine === '' && this.readPosition === this.sizeAtCatchUp;
    try {
      await appendFile(this.options.path, text);
    } catch (err) {
      for (const id of added) this.seen.delete(id);
      throw new GraphDlpError(
        'GDLP_SINK_FILE_WRITE',
        'transient',
        `cannot append to ${this.options.path}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    // Under the lock nobody else appends: our own lines need not be read back into the seen-set.
    if (caughtUp) this.readPosition += Buffer.byteLength(text);
    else this.catchUp();
    for (const d of duplicates) this.duplicatesSkipped += d;
    return duplicates;
  }

  /** Reads lines appended since the last look (by us or another process) into the seen-set. */
  private catchUp(): void {
    let size: number;
    try {
      size = statSync(this.options.path).size;
    } catch {
      this.sizeAtCatchUp = -1;
      return;
    }
    this.sizeAtCatchUp = size;
    if (size < this.readPosition) {
      this.readPosition = 0;
      this.partialLine = '';
    }
    if (size === this.readPosition) return;
    const fd = openSync(this.options.path, 'r');
    try {
      const buf = Buffer.alloc(size - this.readPosition);
      const n = readSync(fd, buf, 0, buf.length, this.readPosition);
      this.readPosition += n;
      const text = this.partialLine + buf.subarray(0, n).toString('utf8');
      const lines = text.split('\n');
      this.partialLine = lines.pop() ?? '';
      for (const line of lines) {
        const id = /"id":"([^"]+)"/.exec(line)?.[1];
        if (id) this.seen.add(id);
      }
    } finally {
      closeSync(fd);
    }
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const lockPath = `${this.options.path}.lock`;
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 10_000);
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (await this.breakStaleLock(lockPath)) continue;
        if (Date.now() > deadline)
          throw new GraphDlpError(
            'GDLP_SINK_FILE_LOCKED',
            'transient',
            `${lockPath} is held by another process`,
          );
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    try {
      return await fn();
    } finally {
      await unlink(lockPath).catch(() => {});
    }
  }

  private async breakStaleLock(lockPath: string): Promise<boolean> {
    let pid: number;
    try {
      pid = Number((await readFile(lockPath, 'utf8')).trim());
    } catch {
      return true;
    }
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') return false;
      await unlink(lockPath).catch(() => {});
      return true;
    }
  }

  async close(): Promise<void> {}
}
