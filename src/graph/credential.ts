import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';

export interface GraphCredentialSettings {
  baseUrl: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Application permissions the subscription manager and the write-back need (checked by `subscriptions preflight`). */
export const REQUIRED_APP_ROLES = ['ChannelMessage.Read.All', 'Chat.Read.All'] as const;
/** Listing teams and users for `graph-dlp backfill` of tenant-wide resources (the message reads use REQUIRED_APP_ROLES). */
export const BACKFILL_APP_ROLES = ['Team.ReadBasic.All', 'User.Read.All'] as const;

export const WRITE_BACK_APP_ROLES = [
  'ChannelMessage.UpdatePolicyViolation.All',
  'Chat.UpdatePolicyViolation.All',
] as const;

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
  } catch {
    return false;
  }
}

/** The OAuth scope for a Graph base URL: national clouds have their own host; a loopback simulator uses the global one. */
export function graphScopeFor(baseUrl: string): string {
  if (isLoopbackUrl(baseUrl)) return 'https://graph.microsoft.com/.default';
  return `${new URL(baseUrl).origin}/.default`;
}

/**
 * Credential choice: a client secret when one is configured; otherwise DefaultAzureCredential (managed identity
 * in Container Apps, with AZURE_CLIENT_ID for a user-assigned one; workload identity; az login on a laptop).
 * Against a loopback base URL (the Graph simulator) without a secret, a local unsigned token is used: the
 * simulator accepts any bearer token, and no real credential is ever sent to a local process.
 */
export function createGraphCredential(settings: GraphCredentialSettings): TokenCredential {
  if (settings.clientSecret) {
    if (!settings.tenantId || !settings.clientId) {
      throw new Error('GDLP_GRAPH_CLIENT_SECRET needs GDLP_TENANT_ID and GDLP_GRAPH_CLIENT_ID');
    }
    return new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret);
  }
  if (isLoopbackUrl(settings.baseUrl)) {
    return new LocalSimulatorCredential({
      tenantId: settings.tenantId ?? '00000000-0000-0000-0000-000000000000',
      clientId: settings.clientId ?? '11111111-1111-1111-1111-111111111111',
    });
  }
  return new DefaultAzureCredential(settings.clientId ? { managedIdentityClientId: settings.clientId } : {});
}

/**
 * Issues unsigned app-only JWTs shaped like Entra ID's (`roles`, `tid`, `appid`), for the local Graph simulator only.
 */
export class LocalSimulatorCredential implements TokenCredential {
  constructor(private readonly claims: { tenantId: string; clientId: string; roles?: readonly string[] }) {}

  async getToken(): Promise<AccessToken> {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'none', typ: 'JWT' };
    const payload = {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${this.claims.tenantId}/`,
      tid: this.claims.tenantId,
      appid: this.claims.clientId,
      roles: [
        ...(this.claims.roles ?? [...REQUIRED_APP_ROLES, ...WRITE_BACK_APP_ROLES, ...BACKFILL_APP_ROLES]),
      ],
      iat: now,
      nbf: now,
      exp: now + 3600,
      ver: '1.0',
    };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return { token: `${b64(header)}.${b64(payload)}.`, expiresOnTimestamp: (now + 3600) * 1000 };
  }
}

/** Reads the `roles` claim of an access token without verifying it (preflight diagnostics only). */
export function decodeTokenRoles(
  token: string,
): { roles: string[]; tenantId?: string; appId?: string } | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const roles = Array.isArray(claims.roles)
      ? claims.roles.filter((r): r is string => typeof r === 'string')
      : [];
    return {
      roles,
      ...(typeof claims.tid === 'string' ? { tenantId: claims.tid } : {}),
      ...(typeof claims.appid === 'string'
        ? { appId: claims.appid }
        : typeof claims.azp === 'string'
          ? { appId: claims.azp }
          : {}),
    };
  } catch {
    return undefined;
  }
}
