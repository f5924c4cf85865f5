import { describe, expect, it } from 'vitest';
import { decodeTokenRoles, graphScopeFor, LocalSimulatorCredential } from '../../src/graph/credential.js';
import { classifyGraphFailure, GraphErrorCodes, parseGraphErrorBody } from '../../src/graph/errors.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfterMs, retryDelayMs } from '../../src/graph/retry.js';

const failure = (
  status: number,
  graphCode?: string,
  method = 'POST',
  path = '/subscriptions',
  innerCodes: string[] = [],
) => ({
  status,
  ...(graphCode ? { graphCode } : {}),
  innerCodes,
  method,
  path,
});

describe('Graph error mapping (by status and Graph code, never by message)', () => {
  it('maps a 400 ExtensionError on a subscription write to the expiration-limit code, whatever the message says', () => {
    expect(classifyGraphFailure(failure(400, 'ExtensionError'))).toEqual({
      code: GraphErrorCodes.expirationLimit,
      kind: 'poison',
    });
    expect(classifyGraphFailure(failure(400, 'ExtensionError', 'PATCH', '/subscriptions/abc'))).toEqual({
      code: GraphErrorCodes.expirationLimit,
      kind: 'poison',
    });
    // Same code elsewhere, or another code on a subscription write: a plain bad request.
    expect(classifyGraphFailure(failure(400, 'ExtensionError', 'PATCH', '/chats/x/messages/1')).code).toBe(
      GraphErrorCodes.badRequest,
    );
    expect(classifyGraphFailure(failure(400, 'InvalidRequest')).code).toBe(GraphErrorCodes.badRequest);
  });

  it('classifies statuses into transient, poison and fatal', () => {
    expect(classifyGraphFailure(failure(401))).toEqual({
      code: GraphErrorCodes.unauthenticated,
      kind: 'fatal',
    });
    expect(classifyGraphFailure(failure(402))).toEqual({
      code: GraphErrorCodes.paymentRequired,
      kind: 'fatal',
    });
    expect(classifyGraphFailure(failure(403))).toEqual({ code: GraphErrorCodes.forbidden, kind: 'fatal' });
    expect(classifyGraphFailure(failure(404))).toEqual({ code: GraphErrorCodes.notFound, kind: 'poison' });
    expect(classifyGraphFailure(failure(409))).toEqual({ code: GraphErrorCodes.conflict, kind: 'poison' });
    expect(classifyGraphFailure(failure(410))).toEqual({
      code: GraphErrorCodes.deltaExpired,
      kind: 'poison',
    });
    expect(
      classifyGraphFailure(failure(400, 'badRequest', 'GET', '/x/delta', ['syncStateNotFound'])).code,
    ).toBe(GraphErrorCodes.deltaExpired);
    expect(classifyGraphFailure(failure(429))).toEqual({
      code: GraphErrorCodes.throttled,
      kind: 'transient',
    });
    expect(classifyGraphFailure(failure(503))).toEqual({
      code: GraphErrorCodes.unavailable,
      kind: 'transient',
    });
    expect(classifyGraphFailure(failure(0))).toEqual({ code: GraphErrorCodes.network, kind: 'transient' });
  });

  it('reads nested innerError codes and the request id from the OData error body', () => {
    const body = {
      error: {
        code: 'TooManyRequests',
        message: 'slow down',
        innerError: { code: 'throttledRequest', 'request-id': 'r-1', innerError: { code: 'deeper' } },
      },
    };
    expect(parseGraphErrorBody(JSON.stringify(body))).toEqual({
      graphCode: 'TooManyRequests',
      innerCodes: ['throttledRequest', 'deeper'],
      graphMessage: 'slow down',
      requestId: 'r-1',
    });
    expect(parseGraphErrorBody('not json')).toEqual({ innerCodes: [] });
  });
});

describe('Graph retry policy', () => {
  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfterMs('7', now)).toBe(7_000);
    expect(parseRetryAfterMs('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it('honours Retry-After (capped) and otherwise backs off exponentially with jitter', () => {
    expect(retryDelayMs(0, 5_000, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(0, 10 * 60_000, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(
      DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    );
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1_000, maxDelayMs: 8_000 };
    expect([0, 1, 2, 3, 4].map((a) => retryDelayMs(a, undefined, policy, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000,
    ]);
    expect([0, 1, 2].map((a) => retryDelayMs(a, undefined, policy, () => 0))).toEqual([500, 1_000, 2_000]);
  });
});

describe('credentials', () => {
  it('uses the global Graph scope for a loopback simulator and the national cloud host otherwise', () => {
    expect(graphScopeFor('http://127.0.0.1:1234/v1.0')).toBe('https://graph.microsoft.com/.default');
    expect(graphScopeFor('https://graph.microsoft.us/v1.0')).toBe('https://graph.microsoft.us/.default');
  });

  it('the local simulator credential issues a decodable app-only token with roles', async () => {
    const token = await new LocalSimulatorCredential({
      tenantId: 't-1',
      clientId: 'app-1',
      roles: ['Chat.Read.All'],
    }).getToken();
    expect(decodeTokenRoles(token.token)).toEqual({
      roles: ['Chat.Read.All'],
      tenantId: 't-1',
      appId: 'app-1',
    });
    expect(decodeTokenRoles('garbage')).toBeUndefined();
  });
});
