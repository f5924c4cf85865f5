import type { ContainerClient } from '@azure/storage-blob';
import { GraphDlpError } from '../errors.js';
import type { DeadLetterRecord, DeadLetterWriter } from '../worker/ports.js';

/** One stored dead letter as listed (no raw bytes). */
export interface DeadLetterSummary {
  name: string;
  partitionId: string;
  sequenceNumber: number;
  itemIndex?: number;
  errorCode: string;
  errorKind: string;
  deadLetteredAt: string;
  sizeBytes: number;
}

interface StoredRecord extends Omit<DeadLetterRecord, 'rawBody'> {
  rawBodyBase64: string;
  version: 1;
}

/**
 * Dead-letter store in a blob container: one JSON blob per (hub, group, partition, sequence, item), holding
 * the raw event bytes (base64), position, error code/kind/message and attempt count. The name is
 * deterministic, so a replay of the same bad event overwrites its own record instead of adding another.
 * Metadata mirrors the key fields so `list` never downloads bodies.
 */
export class BlobDeadLetterStore implements DeadLetterWriter {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly container: ContainerClient) {}

  static blobName(
    r: Pick<
      DeadLetterRecord,
      'eventHubName' | 'consumerGroup' | 'partitionId' | 'sequenceNumber' | 'itemIndex'
    >,
  ): string {
    const seq = String(r.sequenceNumber).padStart(20, '0');
    const item = r.itemIndex === undefined ? 'event' : `item-${r.itemIndex}`;
    return `${r.eventHubName.toLowerCase()}/${r.consumerGroup.toLowerCase()}/${r.partitionId}/${seq}-${item}.json`;
  }

  private ensure(): Promise<unknown> {
    this.ready ??= this.container.createIfNotExists().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async write(record: DeadLetterRecord): Promise<void> {
    await this.ensure();
    const { rawBody, ...rest } = record;
    const stored: StoredRecord = {
      ...rest,
      rawBodyBase64: Buffer.from(rawBody).toString('base64'),
      version: 1,
    };
    const text = JSON.stringify(stored);
    try {
      await this.container
        .getBlockBlobClient(BlobDeadLetterStore.blobName(record))
        .upload(text, Buffer.byteLength(text), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
          metadata: {
            partitionid: record.partitionId,
            sequencenumber: String(record.sequenceNumber),
            itemindex: record.itemIndex === undefined ? '' : String(record.itemIndex),
            errorcode: record.errorCode,
            errorkind: record.errorKind,
            deadletteredat: record.deadLetteredAt,
          },
        });
    } catch (err) {
      throw new GraphDlpError(
        'GDLP_DEADLETTER_WRITE',
        'transient',
        `dead-letter store write failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  async list(options: { prefix?: string; limit?: number } = {}): Promise<DeadLetterSummary[]> {
    const out: DeadLetterSummary[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({
        includeMetadata: true,
        prefix: options.prefix,
      })) {
        const md = blob.metadata ?? {};
        out.push({
          name: blob.name,
          partitionId: md.partitionid ?? '',
          sequenceNumber: Number(md.sequencenumber ?? Number.NaN),
          itemIndex: md.itemindex ? Number(md.itemindex) : undefined,
          errorCode: md.errorcode ?? '',
          errorKind: md.errorkind ?? '',
          deadLetteredAt: md.deadletteredat ?? blob.properties.lastModified?.toISOString() ?? '',
          sizeBytes: blob.properties.contentLength ?? 0,
        });
        if (options.limit && out.length >= options.limit) break;
      }
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return [];
      throw err;
    }
    return out;
  }

  async get(name: string): Promise<DeadLetterRecord> {
    let text: string;
    try {
      const buf = await this.container.getBlockBlobClient(name).downloadToBuffer();
      text = buf.toString('utf8');
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404)
        throw new GraphDlpError('GDLP_DEADLETTER_NOT_FOUND', 'poison', `no dead letter named '${name}'`);
      throw err;
    }
    const stored = JSON.parse(text) as StoredRecord;
    const { rawBodyBase64, version: _v, ...rest } = stored;
    return { ...rest, rawBody: new Uint8Array(Buffer.from(rawBodyBase64, 'base64')) };
  }

  async delete(name: string): Promise<void> {
    await this.container.getBlockBlobClient(name).deleteIfExists();
  }
}
