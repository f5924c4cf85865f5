import { type ErrorKind, GraphDlpError } from '../errors.js';

/**
 * Graph failures mapped to our coded errors by HTTP status and Graph's `error.code` (and nested
 * `innerError.code`s), never by message text: Microsoft rewords messages, codes are the contract.
 */
export const GraphErrorCodes = {
  badRequest: 'GDLP_GRAPH_BAD_REQUEST',
  expirationLimit: 'GDLP_GRAPH_EXPIRATION_LIMIT',
  unauthenticated: 'GDLP_GRAPH_UNAUTHENTICATED',
  paymentRequired: 'GDLP_GRAPH_PAYMENT_REQUIRED',
  forbidden: 'GDLP_GRAPH_FORBIDDEN',
  notFound: 'GDLP_GRAPH_NOT_FOUND',
  conflict: 'GDLP_GRAPH_CONFLICT',
  deltaExpired: 'GDLP_GRAPH_DELTA_EXPIRED',
  throttled: 'GDLP_GRAPH_THROTTLED',
  unavailable: 'GDLP_GRAPH_UNAVAILABLE',
  network: 'GDLP_GRAPH_NETWORK',
  token: 'GDLP_GRAPH_TOKEN',
  unexpected: 'GDLP_GRAPH_UNEXPECTED',
} as const;

export interface GraphFailure {
  status: number;
  /** Top-level Graph error code (`error.code`), if the body had one. */
  graphCode?: string;
  /** Nested `innerError.code` values, outermost first. */
  innerCodes: string[];
  requestId?: string;
  /** Graph's own message; shown to operators, never used for decisions. */
  graphMessage?: string;
  method: string;
  path: string;
}

/**
 * Graph codes documented for "the requested expirationDateTime is beyond the resource's maximum"
 * (`ExtensionError`, microsoft-graph-docs#2988). Only trusted on a 400 for subscription create/update.
 */
const EXPIRATION_LIMIT_GRAPH_CODES = new Set(['extensionerror']);
const DELTA_EXPIRED_GRAPH_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

export function classifyGraphFailure(failure: GraphFailure): { code: string; kind: ErrorKind } {
  const codes = [failure.graphCode, ...failure.innerCodes]
    .filter((c): c is string => !!c)
    .map((c) => c.toLowerCase());
  const isSubscriptionWrite =
    /^\/?subscriptions(\/[^/]+)?$/i.test(failure.path.split('?')[0] ?? '') &&
    (failure.method === 'POST' || failure.method === 'PATCH');
  switch (true) {
    case failure.status === 400 &&
      isSubscriptionWrite &&
      codes.some((c) => EXPIRATION_LIMIT_GRAPH_CODES.has(c)):
      return { code: GraphErrorCodes.expirationLimit, kind: 'poison' };
    case failure.status === 410 || codes.some((c) => DELTA_EXPIRED_GRAPH_CODES.has(c)):
      return { code: GraphErrorCodes.deltaExpired, kind: 'poison' };
    case failure.status === 400:
    case failure.status === 422:
      return { code: GraphErrorCodes.badRequest, kind: 'poison' };
    case failure.status === 401:
      return { code: GraphErrorCodes.unauthenticated, kind: 'fatal' };
    case failure.status === 402:
      return { code: GraphErrorCodes.paymentRequired, kind: 'fatal' };
    case failure.status === 403:
      return { code: GraphErrorCodes.forbidden, kind: 'fatal' };
    case failure.status === 404:
      return { code: GraphErrorCodes.notFound, kind: 'poison' };
    case failure.status === 409:
      return { code: GraphErrorCodes.conflict, kind: 'poison' };
    case failure.status === 429:
      return { code: GraphErrorCodes.throttled, kind: 'transient' };
    case failure.status >= 500:
      return { code: GraphErrorCodes.unavailable, kind: 'transient' };
    case failure.status <= 0:
      return { code: GraphErrorCodes.network, kind: 'transient' };
    default:
      return { code: GraphErrorCodes.unexpected, kind: 'transient' };
  }
}

export function graphDlpErrorFromFailure(failure: GraphFailure, cause?: unknown): GraphDlpError {
  const { code, kind } = classifyGraphFailure(failure);
  const what =
    failure.status > 0
      ? `HTTP ${failure.status}${failure.graphCode ? ` ${failure.graphCode}` : ''}`
      : 'no response';
  const message = `Graph ${failure.method} ${failure.path} failed: ${what}${failure.graphMessage ? ` (${failure.graphMessage})` : ''}`;
  return new GraphDlpError(code, kind, message, {
    cause,
    details: {
      status: failure.status,
      graphCode: failure.graphCode,
      innerCodes: failure.innerCodes,
      requestId: failure.requestId,
      method: failure.method,
      path: failure.path,
    },
  });
}

/** Reads the OData error body `{error:{code,message,innerError:{code,innerError:{…}}}}`. */
export function parseGraphErrorBody(body: unknown): {
  graphCode?: string;
  innerCodes: string[];
  graphMessage?: string;
  requestId?: string;
} {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { innerCodes: [] };
    }
  }
  if (!parsed || typeof parsed !== 'object') return { innerCodes: [] };
  const root = (parsed as { error?: unknown }).error ?? parsed;
  if (!root || typeof root !== 'object') return { innerCodes: [] };
  const r = root as { code?: unknown; message?: unknown; innerError?: unknown };
  const innerCodes: string[] = [];
  let requestId: string | undefined;
  let inner = r.innerError as Record<string, unknown> | undefined;
  for (let depth = 0; inner && typeof inner === 'object' && depth < 10; depth++) {
    if (typeof inner.code === 'string') innerCodes.push(inner.code);
    if (typeof inner['request-id'] === 'string') requestId ??= inner['request-id'] as string;
    inner = inner.innerError as Record<string, unknown> | undefined;
  }
  return {
    ...(typeof r.code === 'string' ? { graphCode: r.code } : {}),
    innerCodes,
    ...(typeof r.message === 'string' ? { graphMessage: r.message } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
