/**
 * Key sources backed by one Azure Key Vault certificate; every enabled version of it is one
 * `encryptionCertificateId` (`<certificateName>-<version>`), the latest version is current.
 *
 * - `keyvault` (in-memory, the fast path): the certificate's secret (exportable key) is read once per version
 *   and the private key lives only in this process's memory (and the decrypt workers').
 * - `keyvault-remote` (the strict path, non-exportable or HSM keys): the vault unwraps each notification's
 *   data key (`CryptographyClient.decrypt`, RSA-OAEP). The private key never leaves the vault; every
 *   notification costs one vault call, and Key Vault throttles per vault.
 *
 * Versions are immutable, so each is fetched once and cached; reload only lists versions.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import {
  CertificateClient,
  type CertificatePolicy,
  type CertificateProperties,
} from '@azure/keyvault-certificates';
import { CryptographyClient, KeyClient, type KeyVaultKey } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { GraphDlpError, isGraphDlpError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { describeCertificate, type KeyBits } from '../certificate.js';
import { DECRYPT_ERROR, KEY_ERROR } from '../errors.js';
import { parseKeyFile } from '../key-file.js';
import type { KeyMaterial, KeySource, LoadedKeys } from '../key-source.js';

export interface KeyVaultKeySourceOptions {
  /** e.g. https://my-vault.vault.azure.net */
  vaultUrl: string;
  /** Default graph-dlp-notifications. */
  certificateName?: string;
  /** `in-memory` (default) loads the private key from the certificate's secret; `remote` unwraps in the vault. */
  mode?: 'in-memory' | 'remote';
  /** Managed identity on Azure, DefaultAzureCredential elsewhere (the caller decides). */
  credential: TokenCredential;
  /** Only for non-vault hosts (the local stand-in): skip the check that the challenge resource matches the host. */
  disableChallengeResourceVerification?: boolean;
  /** Key size for certificates created here. Default 2048. */
  keyBits?: KeyBits;
  /** Subject of created certificates. Default CN=graph-dlp-notifications. */
  subject?: string;
  /** How often `keys create` polls the pending certificate operation. Default 2000 ms (the SDK's default). */
  createPollIntervalMs?: number;
  /** Client retry: max attempts per request. Default 4 (SDK default 3 retries). */
  maxRetries?: number;
  logger?: Logger;
}

/** Certificate id for a vault certificate version. */
export function keyVaultCertificateId(certificateName: string, version: string): string {
  return `${certificateName}-${version}`;
}

export function createKeyVaultKeySource(options: KeyVaultKeySourceOptions): KeySource {
  const certificateName = options.certificateName ?? 'graph-dlp-notifications';
  const mode = options.mode ?? 'in-memory';
  const clientOptions = keyVaultClientOptions(options.vaultUrl, options);
  const certificates = new CertificateClient(options.vaultUrl, options.credential, clientOptions);
  const secrets =
    mode === 'in-memory' ? new SecretClient(options.vaultUrl, options.credential, clientOptions) : undefined;
  const keys =
    mode === 'remote' ? new KeyClient(options.vaultUrl, options.credential, clientOptions) : undefined;
  const cache = new Map<string, KeyMaterial>();
  const description = `Key Vault ${options.vaultUrl} certificate '${certificateName}' (${mode === 'remote' ? 'remote unwrap' : 'in-memory key'})`;

  async function materialFor(properties: CertificateProperties): Promise<KeyMaterial> {
    const version = properties.version!;
    const cached = cache.get(version);
    if (cached) return cached;
    const certificate = await vaultCall('get certificate version', () =>
      certificates.getCertificateVersion(certificateName, version),
    );
    if (!certificate.cer)
      throw new GraphDlpError(
        KEY_ERROR.KEYVAULT,
        'fatal',
        `certificate '${certificateName}' version ${version} has no X.509 content yet`,
      );
    const info = describeCertificate(Buffer.from(certificate.cer));
    const base = {
      id: keyVaultCertificateId(certificateName, version),
      certificateDer: info.certificateDer,
      thumbprint: info.thumbprint,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      location: `${options.vaultUrl.replace(/\/$/, '')}/certificates/${certificateName}/${version}`,
    };
    let material: KeyMaterial;
    if (mode === 'in-memory') {
      const secret = await vaultCall('get certificate secret', () =>
        secrets!.getSecret(certificateName, { version }),
      );
      const value = secret.value ?? '';
      const isPem =
        secret.properties.contentType === 'application/x-pem-file' || value.includes('-----BEGIN');
      let privateKey: KeyMaterial['privateKey'];
      try {
        privateKey = parseKeyFile(isPem ? Buffer.from(value, 'utf8') : Buffer.from(value, 'base64'), {
          path: `secret ${certificateName}/${version}`,
        }).privateKey;
      } catch (err) {
        throw new GraphDlpError(
          KEY_ERROR.KEYVAULT_NOT_EXPORTABLE,
          'fatal',
          `the secret of certificate '${certificateName}' (version ${version}) holds no usable private key; the key is probably not exportable: use GDLP_KEY_SOURCE=keyvault-remote`,
          { cause: err },
        );
      }
      material = { ...base, privateKey };
    } else {
      const key = await vaultCall('get key', () => keys!.getKey(certificateName, { version }));
      material = { ...base, unwrapKey: remoteUnwrapper(key) };
    }
    cache.set(version, material);
    return material;
  }

  function remoteUnwrapper(key: KeyVaultKey): (wrapped: Buffer) => Promise<Buffer> {
    // The SDK refuses to use a key outside its nbf/exp window before even calling the vault, but Key Vault
    // itself allows decrypt after expiry, and certificate expiry must never block decryption: drop the window.
    const unbounded: KeyVaultKey = {
      ...key,
      properties: { ...key.properties, notBefore: undefined, expiresOn: undefined },
    };
    const client = new CryptographyClient(unbounded, options.credential, clientOptions);
    // Graph's dataKey is a wrapped key: use unwrapKey when the key allows it (key usage keyEncipherment),
    // else decrypt (dataEncipherment). Both are RSA-OAEP with SHA-1 on the vault side.
    const ops = key.keyOperations ?? [];
    const useUnwrap = ops.includes('unwrapKey') || !ops.includes('decrypt');
    return async (wrapped) => {
      try {
        if (useUnwrap) return Buffer.from((await client.unwrapKey('RSA-OAEP', wrapped)).result);
        const result = await client.decrypt({ algorithm: 'RSA-OAEP', ciphertext: wrapped });
        return Buffer.from(result.result);
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 400) {
          throw new GraphDlpError(
            DECRYPT_ERROR.KEY_UNWRAP_FAILED,
            'poison',
            'Key Vault could not unwrap dataKey (wrong key or corrupted dataKey)',
            {
              details: { statusCode: status, vaultCode: (err as { code?: string }).code },
            },
          );
        }
        throw new GraphDlpError(
          KEY_ERROR.REMOTE_UNWRAP_FAILED,
          'transient',
          `Key Vault decrypt failed: ${(err as Error).message}`,
          {
            cause: err,
            details: { statusCode: status, vaultCode: (err as { code?: string }).code },
          },
        );
      }
    };
  }

  async function load(): Promise<LoadedKeys> {
    const versions: CertificateProperties[] = [];
    try {
      for await (const p of certificates.listPropertiesOfCertificateVersions(certificateName))
        if (p.enabled !== false && p.version) versions.push(p);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { keys: [], currentId: undefined };
      throw classify('list certificate versions', err);
    }
    if (versions.length === 0) return { keys: [], currentId: undefined };
    // Current = the vault's latest version; if that one is disabled, the newest enabled version.
    const latest = await vaultCall('get certificate', () => certificates.getCertificate(certificateName));
    const newest =
      versions.find((v) => v.version === latest.properties.version) ??
      [...versions].sort((x, y) => (y.createdOn?.getTime() ?? 0) - (x.createdOn?.getTime() ?? 0))[0]!;
    const materials: KeyMaterial[] = [];
    for (const p of versions) {
      try {
        materials.push(await materialFor(p));
      } catch (err) {
        // An older version without a usable key must not block the others; the current one must load.
        if (p.version === newest.version) throw err;
        options.logger?.warn(
          {
            certificateVersion: p.version,
            err: { code: (err as { code?: string }).code, message: (err as Error).message },
          },
          'key vault: certificate version skipped',
        );
      }
    }
    return { keys: materials, currentId: keyVaultCertificateId(certificateName, newest.version!) };
  }

  return {
    kind: mode === 'remote' ? 'keyvault-remote' : 'keyvault',
    description,
    load,
    async createCertificate(createOptions = {}) {
      const keyBits = createOptions.keyBits ?? options.keyBits ?? 2048;
      const validityInMonths = Math.max(1, Math.round((createOptions.validityDays ?? 365) / 30.4));
      const policy: CertificatePolicy = {
        issuerName: 'Self',
        subject: options.subject ?? 'CN=graph-dlp-notifications',
        keyType: 'RSA',
        keySize: keyBits,
        // Remote mode keeps the key inside the vault for good.
        exportable: mode === 'in-memory',
        reuseKey: false,
        contentType: 'application/x-pkcs12',
        validityInMonths,
        keyUsage: ['digitalSignature', 'keyEncipherment', 'dataEncipherment'],
      };
      const poller = await vaultCall('create certificate', () =>
        certificates.beginCreateCertificate(certificateName, policy, {
          intervalInMs: options.createPollIntervalMs ?? 2000,
        }),
      );
      const created = await vaultCall('wait for certificate creation', () => poller.pollUntilDone());
      if (!created.properties.version)
        throw new GraphDlpError(
          KEY_ERROR.KEYVAULT,
          'fatal',
          'Key Vault created a certificate without a version',
        );
      return materialFor(created.properties);
    },
  };
}

/** Token the local stand-in accepts. Not a secret: it only opens a loopback test server. */
export const LOCAL_VAULT_TOKEN = 'graph-dlp-local-keyvault-token';

export function isLoopbackVaultUrl(vaultUrl: string): boolean {
  try {
    return LOOPBACK.has(new URL(vaultUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * Credential for a loopback (stand-in) vault: a fixed token; records the scopes and tenant the challenge asked
 * for, so tests can check the challenge flow. Never used for a real vault (those are https, never loopback).
 */
export function createLocalVaultCredential(
  token = LOCAL_VAULT_TOKEN,
): TokenCredential & { requests: Array<{ scopes: string[]; tenantId?: string }> } {
  const requests: Array<{ scopes: string[]; tenantId?: string }> = [];
  return {
    requests,
    async getToken(scopes, getTokenOptions) {
      requests.push({
        scopes: Array.isArray(scopes) ? [...scopes] : [scopes],
        ...(getTokenOptions?.tenantId ? { tenantId: getTokenOptions.tenantId } : {}),
      });
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

const allowLoopbackHttpPolicy: PipelinePolicy = {
  name: 'graphDlpAllowLoopbackHttp',
  sendRequest(request, next) {
    request.allowInsecureConnection = true;
    return next(request);
  },
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Client options for a vault URL. A plain-HTTP URL is accepted only on loopback (the local stand-in): then the
 * SDK is told to allow the insecure connection (a per-call policy setting the request's allowInsecureConnection)
 * and not to match the challenge resource against the host. A real vault is always https.
 */
export function keyVaultClientOptions(
  vaultUrl: string,
  options: { disableChallengeResourceVerification?: boolean; maxRetries?: number } = {},
) {
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    throw new GraphDlpError(KEY_ERROR.KEYVAULT, 'fatal', `Key Vault URL '${vaultUrl}' is not a URL`);
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new GraphDlpError(
      KEY_ERROR.KEYVAULT,
      'fatal',
      `Key Vault URL must be https (plain http is only allowed for the local stand-in on 127.0.0.1): ${vaultUrl}`,
    );
  }
  const insecureLocal = url.protocol === 'http:' && loopback;
  return {
    ...(options.disableChallengeResourceVerification || loopback
      ? { disableChallengeResourceVerification: true }
      : {}),
    retryOptions: { maxRetries: options.maxRetries ?? 4 },
    ...(insecureLocal
      ? {
          additionalPolicies: [
            {
              position: 'perCall' as const,
              policy: allowLoopbackHttpPolicy,
            },
          ],
        }
      : {}),
  };
}

async function vaultCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classify(what, err);
  }
}

function classify(what: string, err: unknown): GraphDlpError {
  if (isGraphDlpError(err)) return err as GraphDlpError;
  const status = (err as { statusCode?: number }).statusCode;
  const vaultCode = (err as { code?: string }).code;
  // 401/403: identity or RBAC problem an operator must fix; 429/5xx/network: retry later.
  const kind = status === 401 || status === 403 || status === 404 || status === 400 ? 'fatal' : 'transient';
  return new GraphDlpError(
    KEY_ERROR.KEYVAULT,
    kind,
    `Key Vault ${what} failed${status ? ` (HTTP ${status}${vaultCode ? ` ${vaultCode}` : ''})` : ''}: ${(err as Error).message}`,
    {
      cause: err,
      details: { statusCode: status, vaultCode },
    },
  );
}
