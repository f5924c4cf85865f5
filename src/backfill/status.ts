/**
 * Which recorded gaps have been backfilled: a small JSON blob next to the subscription registry
 * (`subscriptions/backfill-status.json`), written with If-Match so two runners never lose each other's work.
 * The registry itself stays leader-only.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { GraphDlpError } from '../errors.js';
import { readJsonBlob } from '../subscriptions/json-blob.js';

export const BACKFILL_STATUS_BLOB = 'subscriptions/backfill-status.json';

export interface BackfilledGap {
  at: string;
  messages: number;
  findings: number;
}

export interface BackfillStatus {
  version: 1;
  done: Record<string, BackfilledGap>;
}

export interface BackfillStatusStore {
  read(): Promise<{ status: BackfillStatus; etag: string | undefined }>;
  /** Records one gap as done; re-reads and retries when another runner wrote in between. */
  markDone(key: string, result: BackfilledGap): Promise<void>;
}

export function createBackfillStatusStore(container: ContainerClient): BackfillStatusStore {
  const blob = container.getBlockBlobClient(BACKFILL_STATUS_BLOB);
  async function read(): Promise<{ status: BackfillStatus; etag: string | undefined }> {
    const found = await readJsonBlob<BackfillStatus>(container, BACKFILL_STATUS_BLOB);
    return found
      ? { status: found.value, etag: found.etag }
      : { status: { version: 1, done: {} }, etag: undefined };
  }

  return {
    read,
    async markDone(key, result) {
      for (let attempt = 1; ; attempt++) {
        const { status, etag } = await read();
        const next: BackfillStatus = { version: 1, done: { ...status.done, [key]: result } };
        const text = JSON.stringify(next, null, 1);
        try {
          await blob.upload(text, Buffer.byteLength(text), {
            blobHTTPHeaders: { blobContentType: 'application/json' },
            conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
          });
          return;
        } catch (err) {
          const code = (err as { statusCode?: number }).statusCode;
          if ((code === 412 || code === 409) && attempt < 5) continue;
          throw new GraphDlpError(
            'GDLP_BACKFILL_STATUS_WRITE',
            'transient',
            `cannot record backfill status: ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
    },
  };
}
