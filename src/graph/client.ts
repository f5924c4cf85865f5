import type { TokenCredential } from '@azure/core-auth';
import {
  Client,
  type Context,
  GraphError,
  HTTPMessageHandler,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { GraphDlpError, isGraphDlpError } from '../errors.js';
import { graphScopeFor } from './credential.js';
import { GraphErrorCodes, graphDlpErrorFromFailure, parseGraphErrorBody } from './errors.js';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
  RETRYABLE_STATUSES,
  type RetryPolicy,
  retryDelayMs,
} from './retry.js';

export interface GraphRequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** What the rest of graph-dlp needs from Microsoft Graph. Paths are relative to the base URL (`/subscriptions`). */
export interface GraphClient {
  /** Base URL including the version segment, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl: string;
  get<T>(path: string, options?: GraphRequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T>;
  delete(path: string, options?: GraphRequestOptions): Promise<void>;
  /** GETs a collection and follows `@odata.nextLink` to the end. */
  listAll<T>(path: string, options?: GraphRequestOptions): Promise<T[]>;
  /** A fresh access token (preflight decodes its roles). */
  getAccessToken(): Promise<string>;
}

export interface RetryEvent {
  method: string;
  path: string;
  status: number;
  attempt: number;
  delayMs: number;
  retryAfterHonoured: boolean;
}

export interface GraphClientOptions {
  baseUrl: string;
  credential: TokenCredential;
  retry?: Partial<RetryPolicy>;
  /** Called before each retry sleep (logs, metrics). */
  onRetry?: (event: RetryEvent) => void;
  /** Injected for tests; default Math.random. */
  random?: () => number;
}

/**
 * Builds the Graph client on `@microsoft/microsoft-graph-client` with our own middleware chain:
 * bearer token from an `@azure/identity` credential → retry (429/503/504 honouring Retry-After, then
 * exponential backoff) → the SDK's fetch handler. Our auth middleware replaces the SDK's because that one only
 * attaches tokens to https Graph hosts, and the local simulator is plain http on loopback.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const parsed = new URL(baseUrl);
  const segments = parsed.pathname.split('/').filter(Boolean);
  const version = segments.pop() ?? 'v1.0';
  const host = `${parsed.origin}${segments.length ? `/${segments.join('/')}` : ''}`;
  const scope = graphScopeFor(baseUrl);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...(options.retry ?? {}) };
  const random = options.random ?? Math.random;

  const getAccessToken = async (): Promise<string> => {
    try {
      const token = await options.credential.getToken(scope);
      if (!token?.token) throw new Error('the credential returned no token');
      return token.token;
    } catch (err) {
      throw new GraphDlpError(
        GraphErrorCodes.token,
        'fatal',
        `Could not obtain a Microsoft Graph token for ${scope}: ${(err as Error).message}`,
        {
          cause: err,
          details: { scope },
        },
      );
    }
  };

  const auth: Middleware & { next?: Middleware } = {
    async execute(context: Context) {
      const token = await getAccessToken();
      setHeader(context, 'Authorization', `Bearer ${token}`);
      await (auth.next as Middleware).execute(context);
    },
    setNext(next) {
      auth.next = next;
    },
  };
  const retry: Middleware & { next?: Middleware } = {
    async execute(context: Context) {
      const next = retry.next as Middleware;
      const method = (context.options?.method ?? 'GET').toUpperCase();
      const path = requestPath(context.request, baseUrl);
      for (let attempt = 0; ; attempt++) {
        context.response = undefined;
        let networkError: unknown;
        try {
          await next.execute(context);
        } catch (err) {
          if (context.options?.signal?.aborted) throw err;
          networkError = err;
        }
        const response = context.response as Response | undefined;
        const status = response?.status ?? 0;
        const retryable = networkError !== undefined || RETRYABLE_STATUSES.has(status);
        if (!retryable || attempt >= policy.maxRetries) {
          if (networkError !== undefined) throw networkError;
          return;
        }
        const retryAfterMs = parseRetryAfterMs(response?.headers.get('retry-after'), Date.now());
        const delayMs = retryDelayMs(attempt, retryAfterMs, policy, random);
        options.onRetry?.({
          method,
          path,
          status,
          attempt: attempt + 1,
          delayMs,
          retryAfterHonoured: retryAfterMs !== undefined,
        });
        // Drain the throttled body so the socket is released before waiting.
        await response?.arrayBuffer().catch(() => undefined);
        await sleep(delayMs, context.options?.signal ?? undefined);
      }
    },
    setNext(next) {
      retry.next = next;
    },
  };
  auth.setNext?.(retry);
  retry.setNext?.(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({ middleware: auth, baseUrl: host, defaultVersion: version });

  const call = async <T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    opts: GraphRequestOptions = {},
  ): Promise<T> => {
    const relative = toRelative(path, baseUrl);
    let request = client.api(relative);
    for (const [k, v] of Object.entries(opts.headers ?? {})) request = request.header(k, v);
    if (opts.signal) request = request.option('signal', opts.signal);
    try {
      switch (method) {
        case 'GET':
          return (await request.get()) as T;
        case 'POST':
          return (await request.post(body)) as T;
        case 'PATCH':
          return (await request.patch(body)) as T;
        case 'DELETE':
          await request.delete();
          return undefined as T;
      }
    } catch (err) {
      throw toGraphDlpError(err, method, relative);
    }
  };

  return {
    baseUrl,
    get: (path, opts) => call('GET', path, undefined, opts),
    post: (path, body, opts) => call('POST', path, body, opts),
    patch: (path, body, opts) => call('PATCH', path, body, opts),
    delete: (path, opts) => call<void>('DELETE', path, undefined, opts),
    async listAll<T>(path: string, opts?: GraphRequestOptions): Promise<T[]> {
      const items: T[] = [];
      let next: string | undefined = path;
      for (let page = 0; next && page < 1_000; page++) {
        const response: { value?: T[]; '@odata.nextLink'?: string } = await call(
          'GET',
          next,
          undefined,
          opts,
        );
        items.push(...(response.value ?? []));
        next = response['@odata.nextLink'];
      }
      return items;
    },
    getAccessToken,
  };
}

function toGraphDlpError(err: unknown, method: string, path: string): GraphDlpError {
  if (isGraphDlpError(err)) return err;
  if (err instanceof GraphError) {
    const parsedBody = parseGraphErrorBody(err.body);
    return graphDlpErrorFromFailure(
      {
        status: err.statusCode,
        ...(parsedBody.graphCode
          ? { graphCode: parsedBody.graphCode }
          : err.code
            ? { graphCode: err.code }
            : {}),
        innerCodes: parsedBody.innerCodes,
        ...(parsedBody.requestId
          ? { requestId: parsedBody.requestId }
          : err.requestId
            ? { requestId: err.requestId }
            : {}),
        ...(parsedBody.graphMessage ? { graphMessage: parsedBody.graphMessage } : {}),
        method,
        path,
      },
      err,
    );
  }
  return graphDlpErrorFromFailure(
    { status: 0, innerCodes: [], method, path, graphMessage: (err as Error)?.message },
    err,
  );
}

/** The SDK only splits absolute https URLs into host/version itself; nextLinks from any host are made relative here. */
function toRelative(path: string, baseUrl: string): string {
  if (path.startsWith(baseUrl)) return path.slice(baseUrl.length) || '/';
  if (/^https?:\/\//i.test(path)) {
    const u = new URL(path);
    const rest = u.pathname.replace(/^\/[^/]+/, '');
    return `${rest}${u.search}`;
  }
  return path;
}

function requestPath(request: Context['request'], baseUrl: string): string {
  const url = typeof request === 'string' ? request : (request as { url: string }).url;
  return toRelative(url, baseUrl).split('?')[0] ?? url;
}

function setHeader(context: Context, name: string, value: string): void {
  context.options ??= {};
  const headers = context.options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) headers.push([name, value]);
  else context.options.headers = { ...(headers ?? {}), [name]: value };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
