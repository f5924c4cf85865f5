import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { GraphDlpError } from '../errors.js';
import {
  type ClientStateSecrets,
  createBlobClientStateSecrets,
  SECRETS_BLOB,
  type SecretsDocument,
} from './client-state-secrets.js';
import { readJsonBlob } from './json-blob.js';
import { emptyRegistry, type LifecycleRequest, type Registry } from './types.js';

export { SECRETS_BLOB, type SecretsDocument } from './client-state-secrets.js';

/**
 * Blob layout in the control container (checkpoint storage account):
 *   subscriptions/registry.json        the registry; its blob lease is the leader lease, so only the leader can write it
 *   subscriptions/client-states.json   clientState secrets by secret id (written by the leader with If-Match), unless
 *                                      they are kept in Key Vault (client-state-secrets.ts)
 *   subscriptions/lifecycle-inbox/*    lifecycle notifications any replica received, for the leader
 *   subscriptions/last-seen/<replica>  per-replica last notification time per subscription (silence watch)
 * clientState secrets live in their own blob, not in the registry, so the registry can be shown (`subscriptions list`)
 * and logged without leaking them; access to both is the worker identity's Storage Blob Data Contributor role.
 */
export const REGISTRY_BLOB = 'subscriptions/registry.json';
const INBOX_PREFIX = 'subscriptions/lifecycle-inbox/';
const LAST_SEEN_PREFIX = 'subscriptions/last-seen/';

export interface ControlStore {
  readonly container: ContainerClient;
  /** Where the clientState secrets are kept. */
  readonly secrets: ClientStateSecrets;
  ensure(): Promise<void>;
  readRegistry(): Promise<Registry>;
  /** Writes under the leader lease: a replica that lost the lease gets GDLP_SUBSCRIPTIONS_NOT_LEADER. */
  writeRegistry(registry: Registry, leaseId: string): Promise<void>;
  readSecrets(): Promise<{ doc: SecretsDocument; etag: string | undefined }>;
  writeSecrets(doc: SecretsDocument, etag: string | undefined): Promise<string | undefined>;
  postLifecycle(request: Omit<LifecycleRequest, 'id'>): Promise<void>;
  readInbox(): Promise<Array<LifecycleRequest & { blobName: string }>>;
  deleteInbox(blobNames: string[]): Promise<void>;
  writeLastSeen(replicaId: string, lastSeen: Record<string, string>): Promise<void>;
  readLastSeen(): Promise<Record<string, string>>;
}

export function createControlStore(
  container: ContainerClient,
  secrets: ClientStateSecrets = createBlobClientStateSecrets(container),
): ControlStore {
  const json = (v: unknown) => {
    const text = JSON.stringify(v, null, 1);
    return { text, length: Buffer.byteLength(text) };
  };
  const upload = async (name: string, value: unknown, conditions: Record<string, unknown> = {}) => {
    const { text, length } = json(value);
    const res = await container
      .getBlockBlobClient(name)
      .upload(text, length, { blobHTTPHeaders: { blobContentType: 'application/json' }, conditions });
    return res.etag;
  };
  return {
    container,
    secrets,
    async ensure() {
      await container.createIfNotExists();
      const initial: Array<readonly [string, unknown]> = [[REGISTRY_BLOB, emptyRegistry()]];
      if (secrets.kind === 'blob')
        initial.push([SECRETS_BLOB, { version: 1, secrets: {} } satisfies SecretsDocument]);
      for (const [name, value] of initial) {
        try {
          await upload(name, value, { ifNoneMatch: '*' });
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (status !== 409 && status !== 412) throw err;
        }
      }
    },
    async readRegistry() {
      const found = await readJsonBlob<Registry>(container, REGISTRY_BLOB);
      return { ...emptyRegistry(), ...(found?.value ?? {}) };
    },
    async writeRegistry(registry, leaseId) {
      try {
        await upload(REGISTRY_BLOB, registry, { leaseId });
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 412 || status === 409) {
          throw new GraphDlpError(
            'GDLP_SUBSCRIPTIONS_NOT_LEADER',
            'transient',
            'the registry lease is held by another replica; this replica is no longer the leader',
            { cause: err },
          );
        }
        throw err;
      }
    },
    readSecrets: () => secrets.read(),
    writeSecrets: (doc, etag) => secrets.write(doc, etag),
    async postLifecycle(request) {
      const id = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}`;
      await upload(`${INBOX_PREFIX}${id}.json`, { ...request, id });
    },
    async readInbox() {
      const out: Array<LifecycleRequest & { blobName: string }> = [];
      for await (const blob of container.listBlobsFlat({ prefix: INBOX_PREFIX })) {
        const found = await readJsonBlob<LifecycleRequest>(container, blob.name);
        if (found) out.push({ ...found.value, blobName: blob.name });
      }
      return out;
    },
    async deleteInbox(blobNames) {
      await Promise.all(blobNames.map((n) => container.getBlockBlobClient(n).deleteIfExists()));
    },
    async writeLastSeen(replicaId, lastSeen) {
      await upload(`${LAST_SEEN_PREFIX}${encodeURIComponent(replicaId)}.json`, lastSeen);
    },
    async readLastSeen() {
      const merged: Record<string, string> = {};
      for await (const blob of container.listBlobsFlat({ prefix: LAST_SEEN_PREFIX })) {
        const found = await readJsonBlob<Record<string, string>>(container, blob.name);
        for (const [id, at] of Object.entries(found?.value ?? {}))
          if (!merged[id] || merged[id] < at) merged[id] = at;
      }
      return merged;
    },
  };
}
