/**
 * Azure Key Vault stand-in: the data-plane REST calls graph-dlp makes, with the service's JSON shapes and its
 * challenge-based auth, so the real @azure/keyvault-certificates / -secrets / -keys clients run against it.
 *
 * Implemented: certificate create (self-signed issuer only) / pending operation / get (latest or version) /
 * list versions; secret set / get of plain secrets (latest or version), and secret get of a certificate's
 * secret (its PKCS#12 or PEM, password-less like the service); key get;
 * key decrypt and unwrapkey (RSA-OAEP, RSA-OAEP-256, RSA1_5). Every request without a bearer token gets the
 * service's 401 challenge (`WWW-Authenticate: Bearer authorization="…/<tenant>", resource="https://vault.azure.net"`).
 * State is in memory. Plain HTTP on 127.0.0.1: clients need `disableChallengeResourceVerification` (the host is not
 * *.vault.azure.net); the Key Vault clients' challenge policy itself does not insist on https.
 */
import {
  constants,
  createHash,
  generateKeyPair,
  type KeyObject,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { buildSelfSignedCertificate, toPem } from '../../crypto/certificate.js';
import { writePkcs12 } from '../../crypto/pkcs12.js';
import type { Logger } from '../../log.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface KeyVaultStandInOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Tenant named in the 401 challenge. */
  tenantId?: string;
  /** Accept only this bearer token (default: any non-empty token). */
  expectedToken?: string;
  /** Delay before a pending certificate operation completes, after key generation. Default 0 ms. */
  createDelayMs?: number;
  logger?: Logger;
}

export interface KeyVaultFault {
  /** HTTP method to match (default any). */
  method?: string;
  /** Substring or pattern of the request path. */
  path: string | RegExp;
  status: number;
  code: string;
  message?: string;
  /** How many requests fail (default 1; Infinity for all). */
  times?: number;
  /** Extra response headers (e.g. Retry-After for 429). */
  headers?: Record<string, string>;
}

export interface KeyVaultStandIn {
  /** Vault URL for clients, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
  /** Makes matching requests fail with the service's error JSON (tests: a vault error, throttling). */
  injectFault(fault: KeyVaultFault): void;
  /** Request counters by operation (decrypt, getSecret, …) and challenges sent. */
  stats(): Record<string, number>;
}

interface CertificateVersion {
  version: string;
  createdAt: number;
  certificateDer: Buffer;
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  enabled: boolean;
}

interface StoredPolicy {
  keyType: string;
  keySize: number;
  exportable: boolean;
  reuseKey: boolean;
  contentType: string;
  subject: string;
  validityMonths: number;
  keyUsage: string[];
  ekus: string[];
  issuer: string;
  createdAt: number;
}

interface StoredCertificate {
  name: string;
  versions: CertificateVersion[];
  policy: StoredPolicy;
  pending:
    | {
        requestId: string;
        status: 'inProgress' | 'completed' | 'failed';
        csr: string;
        target?: string;
        error?: { code: string; message: string };
      }
    | undefined;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const b64url = (b: Buffer) => b.toString('base64url');
const seconds = (ms: number) => Math.floor(ms / 1000);

export async function startKeyVaultStandIn(options: KeyVaultStandInOptions = {}): Promise<KeyVaultStandIn> {
  const tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const certificates = new Map<string, StoredCertificate>();
  /** Plain secrets (setSecret), newest version last. */
  const plainSecrets = new Map<
    string,
    Array<{ version: string; value: string; contentType?: string; created: number }>
  >();
  const faults: Array<KeyVaultFault & { remaining: number }> = [];
  const counters: Record<string, number> = {};
  const count = (name: string) => {
    counters[name] = (counters[name] ?? 0) + 1;
  };
  let baseUrl = '';

  const certificateBundle = (cert: StoredCertificate, v: CertificateVersion) => ({
    id: `${baseUrl}/certificates/${cert.name}/${v.version}`,
    kid: `${baseUrl}/keys/${cert.name}/${v.version}`,
    sid: `${baseUrl}/secrets/${cert.name}/${v.version}`,
    x5t: b64url(createHash('sha1').update(v.certificateDer).digest()),
    cer: v.certificateDer.toString('base64'),
    attributes: versionAttributes(v),
    policy: policyJson(cert),
    tags: {},
  });
  const plainSecretBundle = (
    name: string,
    v: { version: string; value: string; contentType?: string; created: number },
  ) => ({
    value: v.value,
    ...(v.contentType ? { contentType: v.contentType } : {}),
    id: `${baseUrl}/secrets/${name}/${v.version}`,
    attributes: {
      enabled: true,
      created: v.created,
      updated: v.created,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
    tags: {},
  });
  const versionAttributes = (v: CertificateVersion) => ({
    enabled: v.enabled,
    nbf: seconds(v.notBefore.getTime()),
    exp: seconds(v.notAfter.getTime()),
    created: seconds(v.createdAt),
    updated: seconds(v.createdAt),
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: 90,
  });
  const policyJson = (cert: StoredCertificate) => ({
    id: `${baseUrl}/certificates/${cert.name}/policy`,
    key_props: {
      exportable: cert.policy.exportable,
      kty: cert.policy.keyType,
      key_size: cert.policy.keySize,
      reuse_key: cert.policy.reuseKey,
    },
    secret_props: { contentType: cert.policy.contentType },
    x509_props: {
      subject: cert.policy.subject,
      ekus: cert.policy.ekus,
      key_usage: cert.policy.keyUsage,
      validity_months: cert.policy.validityMonths,
      basic_constraints: { ca: false },
    },
    lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
    issuer: { name: cert.policy.issuer },
    attributes: {
      enabled: true,
      created: seconds(cert.policy.createdAt),
      updated: seconds(cert.policy.createdAt),
    },
  });
  const operationJson = (cert: StoredCertificate) => {
    const p = cert.pending!;
    return {
      id: `${baseUrl}/certificates/${cert.name}/pending`,
      issuer: { name: cert.policy.issuer },
      csr: p.csr,
      cancellation_requested: false,
      status: p.status,
      status_details:
        p.status === 'inProgress' ? 'Pending certificate created. Certificate request is in progress.' : '',
      request_id: p.requestId,
      ...(p.target ? { target: p.target } : {}),
      ...(p.error ? { error: p.error } : {}),
    };
  };

  function getCertificate(name: string): StoredCertificate {
    const cert = certificates.get(name);
    if (!cert || cert.versions.length === 0) {
      throw new HttpError(
        404,
        'CertificateNotFound',
        `A certificate with (name/id) ${name} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command.`,
      );
    }
    return cert;
  }

  function getVersion(
    cert: StoredCertificate,
    version: string | undefined,
    kind = 'certificate',
  ): CertificateVersion {
    const v = version
      ? cert.versions.find((x) => x.version === version)
      : cert.versions[cert.versions.length - 1];
    if (!v) {
      const code =
        kind === 'secret' ? 'SecretNotFound' : kind === 'key' ? 'KeyNotFound' : 'CertificateNotFound';
      throw new HttpError(
        404,
        code,
        `A ${kind} with (name/id) ${cert.name}/${version} was not found in this key vault.`,
      );
    }
    return v;
  }

  async function createCertificate(name: string, body: Record<string, unknown>): Promise<StoredCertificate> {
    if (!/^[0-9a-zA-Z-]{1,127}$/.test(name))
      throw new HttpError(400, 'BadParameter', 'The request URI contains an invalid name: ' + name);
    const policy = (body.policy ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const keyProps = policy.key_props ?? {};
    const x509 = policy.x509_props ?? {};
    const issuer = String(policy.issuer?.name ?? 'Unknown');
    if (issuer !== 'Self')
      throw new HttpError(
        400,
        'BadParameter',
        `The stand-in supports only the 'Self' issuer, got '${issuer}'.`,
      );
    const keyType = String(keyProps.kty ?? 'RSA');
    const keySize = Number(keyProps.key_size ?? 2048);
    if (!['RSA', 'RSA-HSM'].includes(keyType) || ![2048, 3072, 4096].includes(keySize)) {
      throw new HttpError(400, 'BadParameter', `Unsupported key type/size ${keyType}/${keySize}.`);
    }
    const subject = String(x509.subject ?? '');
    const cn = /CN=([^,]+)/i.exec(subject)?.[1];
    if (!cn) throw new HttpError(400, 'BadParameter', 'Property x509_props.subject is missing or has no CN.');
    const existing = certificates.get(name);
    if (existing?.pending?.status === 'inProgress') {
      throw new HttpError(409, 'Conflict', `Certificate ${name} has a pending operation in progress.`);
    }
    const cert: StoredCertificate = existing ?? {
      name,
      versions: [],
      policy: undefined as unknown as StoredPolicy,
      pending: undefined,
    };
    cert.policy = {
      keyType,
      keySize,
      exportable: keyProps.exportable !== false,
      reuseKey: keyProps.reuse_key === true,
      contentType: String(
        (policy.secret_props as Record<string, unknown> | undefined)?.contentType ?? 'application/x-pkcs12',
      ),
      subject,
      validityMonths: Number(x509.validity_months ?? 12),
      keyUsage: (x509.key_usage as string[] | undefined) ?? ['digitalSignature', 'keyEncipherment'],
      ekus: (x509.ekus as string[] | undefined) ?? ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      issuer,
      createdAt: Date.now(),
    };
    cert.pending = {
      requestId: randomBytes(16).toString('hex'),
      status: 'inProgress',
      csr: randomBytes(64).toString('base64'),
    };
    certificates.set(name, cert);
    const pending = cert.pending;
    (async () => {
      const reuse = cert.policy.reuseKey ? cert.versions[cert.versions.length - 1] : undefined;
      const pair = reuse
        ? {
            privateKey: reuse.privateKey,
            publicKey: (await import('node:crypto')).createPublicKey(reuse.privateKey),
          }
        : await generateKeyPairAsync('rsa', { modulusLength: keySize });
      const built = buildSelfSignedCertificate(pair.publicKey, pair.privateKey, {
        commonName: cn,
        validityDays: Math.round(cert.policy.validityMonths * 30.4),
      });
      if (options.createDelayMs) await new Promise((r) => setTimeout(r, options.createDelayMs));
      const version = randomBytes(16).toString('hex');
      cert.versions.push({
        version,
        createdAt: Date.now(),
        certificateDer: built.certificateDer,
        privateKey: built.privateKey,
        notBefore: built.notBefore,
        notAfter: built.notAfter,
        enabled: true,
      });
      pending.status = 'completed';
      pending.target = `${baseUrl}/certificates/${name}`;
    })().catch((err) => {
      pending.status = 'failed';
      pending.error = { code: 'InternalError', message: (err as Error).message };
    });
    return cert;
  }

  function decryptWith(v: CertificateVersion, body: Record<string, unknown>): Buffer {
    const alg = String(body.alg ?? '');
    const value = typeof body.value === 'string' ? Buffer.from(body.value, 'base64url') : undefined;
    if (!value) throw new HttpError(400, 'BadParameter', 'Property value is required.');
    const padding =
      alg === 'RSA-OAEP'
        ? { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }
        : alg === 'RSA-OAEP-256'
          ? { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }
          : alg === 'RSA1_5'
            ? { padding: constants.RSA_PKCS1_PADDING }
            : undefined;
    if (!padding) throw new HttpError(400, 'BadParameter', `Invalid algorithm '${alg}'.`);
    try {
      return privateDecrypt({ key: v.privateKey, ...padding }, value);
    } catch {
      throw new HttpError(400, 'BadParameter', 'The parameter is incorrect.');
    }
  }

  async function route(
    method: string,
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; json: unknown }> {
    const parts = path.split('/').filter((p) => p !== '');
    const [collection, name, third, fourth] = parts;
    if (collection === 'certificates' && name) {
      if (method === 'POST' && third === 'create' && !fourth) {
        count('createCertificate');
        const cert = await createCertificate(name, body);
        return { status: 202, json: operationJson(cert) };
      }
      if (method === 'GET' && third === 'pending' && !fourth) {
        count('getCertificateOperation');
        const cert = certificates.get(name);
        if (!cert?.pending)
          throw new HttpError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
        return { status: 200, json: operationJson(cert) };
      }
      if (method === 'GET' && third === 'versions' && !fourth) {
        count('listCertificateVersions');
        const cert = getCertificate(name);
        return {
          status: 200,
          json: {
            value: cert.versions.map((v) => ({
              id: `${baseUrl}/certificates/${name}/${v.version}`,
              x5t: b64url(createHash('sha1').update(v.certificateDer).digest()),
              attributes: versionAttributes(v),
              tags: {},
            })),
            nextLink: null,
          },
        };
      }
      if (method === 'GET' && third !== 'policy' && !fourth) {
        count('getCertificate');
        const cert = getCertificate(name);
        return { status: 200, json: certificateBundle(cert, getVersion(cert, third)) };
      }
    }
    if (collection === 'secrets' && name && method === 'PUT' && !third) {
      count('setSecret');
      if (!/^[0-9a-zA-Z-]{1,127}$/.test(name))
        throw new HttpError(400, 'BadParameter', 'The request URI contains an invalid name: ' + name);
      if (certificates.has(name))
        throw new HttpError(409, 'Conflict', `Secret ${name} is managed by a certificate and cannot be set.`);
      if (typeof body.value !== 'string')
        throw new HttpError(400, 'BadParameter', 'Property value is required and must be a string.');
      const versions = plainSecrets.get(name) ?? [];
      const stored = {
        version: randomBytes(16).toString('hex'),
        value: body.value,
        ...(typeof body.contentType === 'string' ? { contentType: body.contentType } : {}),
        created: seconds(Date.now()),
      };
      versions.push(stored);
      plainSecrets.set(name, versions);
      return { status: 200, json: plainSecretBundle(name, stored) };
    }
    if (collection === 'secrets' && name && method === 'GET' && !fourth && plainSecrets.has(name)) {
      count('getSecret');
      const versions = plainSecrets.get(name) ?? [];
      const stored = third ? versions.find((v) => v.version === third) : versions.at(-1);
      if (!stored)
        throw new HttpError(
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}/${third} was not found in this key vault.`,
        );
      return { status: 200, json: plainSecretBundle(name, stored) };
    }
    if (collection === 'secrets' && name && method === 'GET' && !fourth) {
      count('getSecret');
      const cert = certificates.get(name);
      if (!cert || cert.versions.length === 0)
        throw new HttpError(
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name} was not found in this key vault.`,
        );
      const v = getVersion(cert, third, 'secret');
      // Like the service: a non-exportable key is not in the secret, only the certificate.
      const key = cert.policy.exportable ? v.privateKey : undefined;
      const isPem = cert.policy.contentType === 'application/x-pem-file';
      const value = isPem
        ? `${key ? key.export({ type: 'pkcs8', format: 'pem' }).toString() : ''}${toPem(v.certificateDer, 'CERTIFICATE')}`
        : writePkcs12(key, v.certificateDer).toString('base64');
      return {
        status: 200,
        json: {
          value,
          contentType: cert.policy.contentType,
          id: `${baseUrl}/secrets/${name}/${v.version}`,
          kid: `${baseUrl}/keys/${name}/${v.version}`,
          managed: true,
          attributes: versionAttributes(v),
          tags: {},
        },
      };
    }
    if (collection === 'keys' && name) {
      const cert = certificates.get(name);
      if (!cert || cert.versions.length === 0)
        throw new HttpError(
          404,
          'KeyNotFound',
          `A key with (name/id) ${name} was not found in this key vault.`,
        );
      if (method === 'GET' && !fourth) {
        count('getKey');
        const v = getVersion(cert, third, 'key');
        const jwk = v.privateKey.export({ format: 'jwk' });
        return {
          status: 200,
          json: {
            key: {
              kid: `${baseUrl}/keys/${name}/${v.version}`,
              kty: cert.policy.keyType,
              key_ops: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'],
              n: jwk.n,
              e: jwk.e,
            },
            attributes: { ...versionAttributes(v), exportable: cert.policy.exportable },
            managed: true,
            tags: {},
          },
        };
      }
      if (method === 'POST' && third && (fourth === 'decrypt' || fourth === 'unwrapkey')) {
        count(fourth === 'decrypt' ? 'decrypt' : 'unwrapKey');
        const v = getVersion(cert, third, 'key');
        const plain = decryptWith(v, body);
        return { status: 200, json: { kid: `${baseUrl}/keys/${name}/${v.version}`, value: b64url(plain) } };
      }
    }
    throw new HttpError(404, 'NotFound', `The stand-in does not implement ${method} /${parts.join('/')}`);
  }

  function sendJson(
    res: ServerResponse,
    status: number,
    json: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(json);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-ms-keyvault-service-version': '1.9.0.0-standin',
      ...headers,
    });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!token || (options.expectedToken !== undefined && token !== options.expectedToken)) {
      count('challenge');
      return sendJson(
        res,
        401,
        {
          error: {
            code: 'Unauthorized',
            message: token
              ? 'AKV10032: Invalid issuer or token.'
              : 'AKV10000: Request is missing a Bearer or PoP token.',
          },
        },
        {
          'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`,
        },
      );
    }
    if (!url.searchParams.get('api-version'))
      return sendJson(res, 400, {
        error: { code: 'BadParameter', message: 'The api-version query parameter is required.' },
      });
    const fault = faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method === method) &&
        (typeof f.path === 'string' ? url.pathname.includes(f.path) : f.path.test(url.pathname)),
    );
    if (fault) {
      fault.remaining--;
      count('fault');
      return sendJson(
        res,
        fault.status,
        { error: { code: fault.code, message: fault.message ?? `Injected ${fault.code}` } },
        fault.headers,
      );
    }
    let body: Record<string, unknown> = {};
    if (chunks.length > 0) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, {
          error: { code: 'BadParameter', message: 'The request body is not valid JSON.' },
        });
      }
    }
    try {
      const { status, json } = await route(method, url.pathname, body);
      sendJson(res, status, json);
    } catch (err) {
      if (err instanceof HttpError)
        sendJson(res, err.status, { error: { code: err.code, message: err.message } });
      else {
        options.logger?.error(
          { err: { message: (err as Error).message } },
          'key vault stand-in: internal error',
        );
        sendJson(res, 500, { error: { code: 'InternalError', message: 'stand-in internal error' } });
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'InternalError', message: 'stand-in internal error' } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  options.logger?.info({ url: baseUrl }, 'key vault stand-in listening');
  let stopped: Promise<void> | undefined;

  return {
    url: baseUrl,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
    injectFault(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    stats() {
      return { ...counters };
    },
  };
}
