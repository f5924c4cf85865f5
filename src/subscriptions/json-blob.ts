import type { ContainerClient } from '@azure/storage-blob';

/**
 * A JSON blob and the ETag of exactly that content (one GET: reading the properties separately could pair the
 * content with a newer ETag), or undefined when the blob does not exist.
 */
export async function readJsonBlob<T>(
  container: ContainerClient,
  name: string,
): Promise<{ value: T; etag: string | undefined } | undefined> {
  try {
    const res = await container.getBlockBlobClient(name).download();
    const chunks: Buffer[] = [];
    for await (const chunk of res.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T, etag: res.etag };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}
