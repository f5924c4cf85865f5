/**
 * Where the subscriptions' clientState secrets live: one JSON document (secret id → clientState), read by every
 * replica to validate notifications and written only by the leader. Two places behind one small interface:
 * - `blob`: `subscriptions/client-states.json` in the control container (the default; protected by the worker
 *   identity's Storage Blob Data Contributor role, like the registry);
 * - `keyvault`: one Key Vault secret (every write a new version), so the secrets sit behind Key Vault's own
 *   access control, audit log and soft delete rather than the storage account's.
 * `etag` makes a write conditional on what the writer read: a blob ETag, or the secret version in Key Vault
 * (Key Vault has no conditional write, so the version is compared just before the write; only the leader
 * writes, so the check guards against a stale leader rather than concurrent ones).
 */
import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import type { ContainerClient } from '@azure/storage-blob';
import { keyVaultClientOptions } from '../crypto/sources/keyvault.js';
import { GraphDlpError } from '../errors.js';
import { readJsonBlob } from './json-blob.js';

export interface SecretsDocument {
  version: 1;
  secrets: Record<string, string>;
}

export interface ClientStateSecrets {
  readonly kind: 'blob' | 'keyvault';
  /** Human-readable place, for logs and `subscriptions list` (never the secrets). */
  readonly description: string;
  read(): Promise<{ doc: SecretsDocument; etag: string | undefined }>;
  /** Writes the document if it is still at `etag` (undefined: unconditionally); returns the new etag. */
  write(doc: SecretsDocument, etag: string | undefined): Promise<string | undefined>;
}

export const CLIENT_STATE_SECRETS_ERROR = {
  CONFLICT: 'GDLP_SUBSCRIPTIONS_SECRETS_CONFLICT',
  UNAVAILABLE: 'GDLP_SUBSCRIPTIONS_SECRETS_UNAVAILABLE',
} as const;

export const SECRETS_BLOB = 'subscriptions/client-states.json';
const EMPTY: SecretsDocument = { version: 1, secrets: {} };

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

export function createBlobClientStateSecrets(container: ContainerClient): ClientStateSecrets {
  const blob = container.getBlockBlobClient(SECRETS_BLOB);
  return {
    kind: 'blob',
    description: `blob ${container.containerName}/${SECRETS_BLOB}`,
    async read() {
      const found = await readJsonBlob<SecretsDocument>(container, SECRETS_BLOB);
      return found
        ? { doc: found.value, etag: found.etag }
        : { doc: { ...EMPTY, secrets: {} }, etag: undefined };
    },
    async write(doc, etag) {
      const text = JSON.stringify(doc, null, 1);
      const res = await blob.upload(text, Buffer.byteLength(text), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
        conditions: etag ? { ifMatch: etag } : {},
      });
      return res.etag;
    },
  };
}

export interface KeyVaultClientStateSecretsOptions {
  vaultUrl: string;
  /** Default graph-dlp-client-states. */
  secretName?: string;
  credential: TokenCredential;
}

export function createKeyVaultClientStateSecrets(
  options: KeyVaultClientStateSecretsOptions,
): ClientStateSecrets {
  const name = options.secretName ?? 'graph-dlp-client-states';
  const client = new SecretClient(
    options.vaultUrl,
    options.credential,
    keyVaultClientOptions(options.vaultUrl),
  );
  const unavailable = (what: string, err: unknown) =>
    new GraphDlpError(
      CLIENT_STATE_SECRETS_ERROR.UNAVAILABLE,
      statusOf(err) === 401 || statusOf(err) === 403 ? 'fatal' : 'transient',
      `cannot ${what} the clientState secrets in Key Vault secret '${name}' at ${options.vaultUrl}: ${(err as Error).message}`,
      { cause: err, details: { secretName: name, status: statusOf(err) } },
    );
  async function latest(): Promise<{ doc: SecretsDocument; etag: string | undefined }> {
    try {
      const secret = await client.getSecret(name);
      return { doc: JSON.parse(secret.value ?? '') as SecretsDocument, etag: secret.properties.version };
    } catch (err) {
      if (statusOf(err) === 404) return { doc: { ...EMPTY, secrets: {} }, etag: undefined };
      if (err instanceof SyntaxError)
        throw new GraphDlpError(
          CLIENT_STATE_SECRETS_ERROR.UNAVAILABLE,
          'fatal',
          `Key Vault secret '${name}' does not hold a clientState document (not JSON)`,
        );
      throw unavailable('read', err);
    }
  }
  return {
    kind: 'keyvault',
    description: `Key Vault ${options.vaultUrl} secret '${name}'`,
    read: latest,
    async write(doc, etag) {
      if (etag !== undefined) {
        const current = await latest();
        if (current.etag !== etag)
          throw new GraphDlpError(
            CLIENT_STATE_SECRETS_ERROR.CONFLICT,
            'transient',
            `Key Vault secret '${name}' changed since it was read (another leader wrote it); re-read and retry`,
          );
      }
      try {
        const written = await client.setSecret(name, JSON.stringify(doc), {
          contentType: 'application/json',
        });
        return written.properties.version;
      } catch (err) {
        throw unavailable('write', err);
      }
    },
  };
}
