import type { ContainerClient } from '@azure/storage-blob';
import { GraphDlpError } from '../errors.js';
import type { Finding, FindingSink, SinkMode, SinkWriteReport } from '../worker/ports.js';

/**
 * Azure Blob sink: JSONL partitioned by date and hour, one blob per finding named by its id
 * (`findings/dt=YYYY-MM-DD/hh=HH/<id>.jsonl`). The hour comes from the message's lastModifiedDateTime
 * (not the processing time), so a replay lands on exactly the same name and `If-None-Match: *` makes the
 * write a no-op: idempotent by construction, across replicas.
 */
export class BlobSink implements FindingSink {
  readonly name = 'blob';
  readonly mode: SinkMode;
  private containerReady: Promise<unknown> | undefined;
  duplicatesSkipped = 0;

  constructor(
    private readonly container: ContainerClient,
    options: { mode?: SinkMode; concurrency?: number } = {},
  ) {
    this.mode = options.mode ?? 'required';
    this.concurrency = options.concurrency ?? 16;
  }
  private readonly concurrency: number;

  static blobNameFor(f: Finding): string {
    const t = new Date(f.lastModifiedDateTime ?? f.enqueuedTime ?? f.detectedAt);
    const iso = Number.isNaN(t.getTime()) ? new Date(0).toISOString() : t.toISOString();
    return `findings/dt=${iso.slice(0, 10)}/hh=${iso.slice(11, 13)}/${f.id}.jsonl`;
  }

  async write(findings: readonly Finding[]): Promise<SinkWriteReport> {
    this.containerReady ??= this.container.createIfNotExists().catch((err) => {
      this.containerReady = undefined;
      throw err;
    });
    await this.containerReady;
    const queue = [...findings];
    const errors: unknown[] = [];
    let duplicates = 0;
    const workers = Array.from({ length: Math.min(this.concurrency, queue.length) }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        const body = `${JSON.stringify(f)}\n`;
        try {
          await this.container
            .getBlockBlobClient(BlobSink.blobNameFor(f))
            .upload(body, Buffer.byteLength(body), {
              conditions: { ifNoneMatch: '*' },
              blobHTTPHeaders: { blobContentType: 'application/x-ndjson' },
            });
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 409 || status === 412) duplicates++;
          else errors.push(err);
        }
      }
    });
    await Promise.all(workers);
    this.duplicatesSkipped += duplicates;
    if (errors.length > 0) {
      throw new GraphDlpError(
        'GDLP_SINK_BLOB_WRITE',
        'transient',
        `blob sink: ${errors.length} of ${findings.length} writes failed: ${(errors[0] as Error).message}`,
        {
          cause: errors[0],
        },
      );
    }
    return { duplicates };
  }

  async close(): Promise<void> {}
}
