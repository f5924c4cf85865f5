import { randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log.js';
import { parseEventHubNotificationUrl } from '../../subscriptions/desired.js';
import type { ChatMessage } from './content.js';
import { createRng } from './content.js';
import {
  type GroundTruthEntry,
  type PublishedChange,
  type SimSubscription,
  TeamsPublisher,
} from './publisher.js';
import { createEventHubsSink, type EventSink } from './sink.js';

export type { GroundTruthEntry, PublishedChange, SimSubscription } from './publisher.js';
export { createEventHubsSink, createMemorySink, type EventSink } from './sink.js';

/** appId of the Microsoft Graph Change Tracking service principal (the sender into customers' hubs). */
export const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

export interface GraphSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Tenant GUID put in notifications. Default a fixed synthetic GUID. */
  tenantId?: string;
  /** Tenant primary domain expected in `?tenantId=` of Event Hubs URLs (the GUID is accepted too). Default `contoso.onmicrosoft.com`. */
  tenantDomain?: string;
  /** appId reported as the subscriptions' applicationId. */
  appId?: string;
  /** Seed for the generated tenant and traffic (and the throttling dice). Default 1. */
  seed?: number;
  /** Maximum subscription lifetime Graph accepts for chatMessage resources. Default 4320 minutes. */
  maxLifetimeMinutes?: number;
  /** Subscriptions per app before POST answers 403 (quota). Default 100. */
  maxSubscriptions?: number;
  /** Share of requests answered with 429 (0..1). Default 0. */
  throttleRate?: number;
  /** Retry-After seconds on 429s. Default 1. */
  retryAfterSeconds?: number;
  /** Page size of GET /subscriptions (then @odata.nextLink). Default 100. */
  pageSize?: number;
  /** Whether GET /servicePrincipals finds the Change Tracking SP (preflight). Default true. */
  changeTrackingServicePrincipal?: boolean;
  /** Event Hubs connection string (namespace level) used for every `EventHub:` namespace: the local emulator's. */
  eventHubsConnectionString?: string;
  /** Per-namespace connection strings instead. */
  eventHubsConnectionStrings?: Record<string, string>;
  /** A custom sink (tests). Overrides the connection strings. Without any, nothing is published. */
  sink?: EventSink;
  /** Publisher rate in messages per second; 0 = only on demand (`publish(n)`). Default 0. */
  messagesPerSecond?: number;
  /** Share of messages (and edits) carrying planted sensitive data. Default 0.2. */
  sensitiveShare?: number;
  /** Shares of changes that are edits, deletes, and of deliveries sent twice. Defaults 0.08, 0.03, 0.03. */
  editShare?: number;
  deleteShare?: number;
  duplicateShare?: number;
  /** Send reauthorizationRequired to every live subscription's lifecycle URL this often; 0 = never. Default 0. */
  lifecycleEveryMs?: number;
  logger?: Logger;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface GraphSimulator {
  /** Base URL including `/v1.0`, for GRAPH_BASE_URL. */
  url: string;
  port: number;
  tenantId: string;
  tenantDomain: string;
  stop(): Promise<void>;
  /** Live subscriptions with their secrets (clientState, certificate), as Graph holds them. */
  subscriptions(): SimSubscription[];
  /** Graph-side removal: later calls get 404; with `notify`, a subscriptionRemoved lifecycle event is sent. */
  removeSubscription(id: string, options?: { notify?: boolean }): Promise<void>;
  /** Creates a subscription directly, as another instance of the same app would have (409 on our POST). */
  injectSubscription(
    fields: Partial<SimSubscription> & Pick<SimSubscription, 'resource' | 'changeType' | 'notificationUrl'>,
  ): SimSubscription;
  /** Sends a lifecycle event for a subscription now. */
  sendLifecycle(
    id: string,
    event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed',
  ): Promise<boolean>;
  /** The next `count` requests get 429 with Retry-After. */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  /**
   * The next `count` requests matching method/path prefix fail with `status` and Graph `code`. With `afterRouting`
   * the request is carried out first and only the answer is lost (a create that happened but timed out).
   */
  failNext(
    count: number,
    status: number,
    code: string,
    match?: { method?: string; pathPrefix?: string; afterRouting?: boolean },
  ): void;
  /** Runs `fn` just before the next matching request is handled (e.g. another instance creates a subscription). */
  onNextRequest(match: { method?: string; pathPrefix?: string }, fn: () => void): void;
  setThrottleRate(rate: number): void;
  requests(): RecordedRequest[];
  /** Reauthorize/PATCH pairs for one subscription closer than 10 minutes (Graph warns of inconsistencies). */
  spacingViolations(): Array<{ subscriptionId: string; first: string; second: string; gapMs: number }>;
  publish(count: number): Promise<PublishedChange[]>;
  setRate(messagesPerSecond: number): void;
  groundTruth(): Map<string, GroundTruthEntry>;
  policyViolations(): Array<{ resource: string; policyViolation: unknown; at: string }>;
  sentEvents(): number;
  /** Resolves when the scheduled publisher has no send in flight. */
  idle(): Promise<void>;
}

const MINUTE = 60_000;
const SUBSCRIPTION_FIELDS = new Set([
  'changeType',
  'notificationUrl',
  'lifecycleNotificationUrl',
  'resource',
  'expirationDateTime',
  'clientState',
  'includeResourceData',
  'encryptionCertificate',
  'encryptionCertificateId',
  'latestSupportedTlsVersion',
  'notificationUrlAppId',
  'notificationQueryOptions',
  '@odata.type',
]);
const PATCHABLE = new Set([
  'expirationDateTime',
  'notificationUrl',
  'encryptionCertificate',
  'encryptionCertificateId',
  'lifecycleNotificationUrl',
  '@odata.type',
]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The Microsoft Graph simulator: Graph's subscription API with its validation rules and error bodies,
 * message GET, the policyViolation PATCH, channel/chat delta, and a publisher that writes what Graph writes
 * into the subscriber's Event Hub. It accepts ANY bearer token (it is a local test double; there is no
 * identity provider here) but refuses requests without one, like Graph.
 */
export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const tenantId = options.tenantId ?? '8afd02d6-ebdd-4270-a515-c749898ea5c5';
  const tenantDomain = options.tenantDomain ?? 'contoso.onmicrosoft.com';
  const appId = options.appId ?? '11111111-1111-1111-1111-111111111111';
  const maxLifetimeMs = (options.maxLifetimeMinutes ?? 4_320) * MINUTE;
  const maxSubscriptions = options.maxSubscriptions ?? 100;
  const pageSize = options.pageSize ?? 100;
  let throttleRate = options.throttleRate ?? 0;
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const dice = createRng((options.seed ?? 1) ^ 0x7407);
  const subs = new Map<string, SimSubscription>();
  const requests: RecordedRequest[] = [];
  const violations: Array<{ subscriptionId: string; first: string; second: string; gapMs: number }> = [];
  const policyViolations: Array<{ resource: string; policyViolation: unknown; at: string }> = [];
  let throttleQueue: number[] = [];
  const failQueue: Array<{
    status: number;
    code: string;
    method?: string;
    pathPrefix?: string;
    afterRouting?: boolean;
  }> = [];
  const hooks: Array<{ method?: string; pathPrefix?: string; fn: () => void }> = [];
  const log = options.logger;

  const sink: EventSink | undefined =
    options.sink ??
    (options.eventHubsConnectionString || options.eventHubsConnectionStrings
      ? createEventHubsSink({
          ...(options.eventHubsConnectionString
            ? { connectionString: options.eventHubsConnectionString }
            : {}),
          ...(options.eventHubsConnectionStrings
            ? { connectionStrings: options.eventHubsConnectionStrings }
            : {}),
        })
      : undefined);

  const isLive = (s: SimSubscription) => Date.parse(s.expirationDateTime) > Date.now();
  const live = (): SimSubscription[] => {
    for (const [id, s] of subs) if (!isLive(s)) subs.delete(id); // nothing after expiry
    return [...subs.values()];
  };
  const publisher = new TeamsPublisher(
    {
      seed: options.seed ?? 1,
      tenantId,
      sensitiveShare: options.sensitiveShare ?? 0.2,
      editShare: options.editShare ?? 0.08,
      deleteShare: options.deleteShare ?? 0.03,
      duplicateShare: options.duplicateShare ?? 0.03,
    },
    live,
    sink,
  );

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log?.error({ err: (err as Error).message }, 'graph simulator: handler failed');
      if (!res.headersSent)
        sendError(res, new HttpError(500, 'generalException', 'internal simulator error'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const record = (status: number) => requests.push({ method, path: url.pathname, status, at: Date.now() });
    try {
      if (!url.pathname.startsWith('/v1.0/') && url.pathname !== '/v1.0')
        throw new HttpError(404, 'BadRequest', `Invalid version: use /v1.0`);
      const path = url.pathname.slice('/v1.0'.length) || '/';
      const auth = req.headers.authorization ?? '';
      if (!/^Bearer\s+\S+/i.test(auth))
        throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      if (throttleQueue.length > 0 || (throttleRate > 0 && dice() < throttleRate)) {
        const seconds = throttleQueue.shift() ?? retryAfterSeconds;
        throw new HttpError(429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': String(seconds) });
      }
      const matchesRequest = (m: { method?: string; pathPrefix?: string }) =>
        (!m.method || m.method === method) && (!m.pathPrefix || path.startsWith(m.pathPrefix));
      const hookIndex = hooks.findIndex(matchesRequest);
      if (hookIndex >= 0) hooks.splice(hookIndex, 1)[0]?.fn();
      const failIndex = failQueue.findIndex(matchesRequest);
      const fail =
        failIndex >= 0 ? (failQueue.splice(failIndex, 1)[0] as (typeof failQueue)[number]) : undefined;
      if (fail && !fail.afterRouting)
        throw new HttpError(fail.status, fail.code, `Injected failure (${fail.code}).`);
      const body = method === 'POST' || method === 'PATCH' ? await readJson(req) : undefined;
      const result = await routeWithValidation(method, path, url, body);
      if (fail)
        throw new HttpError(
          fail.status,
          fail.code,
          `Injected failure after the request was carried out (${fail.code}).`,
        );
      record(result.status);
      send(res, result.status, result.body);
    } catch (err) {
      const e =
        err instanceof HttpError ? err : new HttpError(500, 'generalException', (err as Error).message);
      record(e.status);
      sendError(res, e);
    }
  }

  const baseUrl = () =>
    `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}/v1.0`;

  async function route(
    method: string,
    path: string,
    url: URL,
    body: unknown,
  ): Promise<{ status: number; body?: unknown }> {
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (seg[0] === 'subscriptions') {
      if (seg.length === 1 && method === 'POST') return createSubscription(body);
      if (seg.length === 1 && method === 'GET') return listSubscriptions(url);
      const s = seg[1] ? subs.get(seg[1]) : undefined;
      if (!s || !isLive(s)) {
        if (s) subs.delete(s.id);
        throw new HttpError(404, 'ResourceNotFound', `The object was not found.`);
      }
      if (seg.length === 2 && method === 'GET') return { status: 200, body: publicView(s, true) };
      if (seg.length === 2 && method === 'PATCH') return patchSubscription(s, body);
      if (seg.length === 2 && method === 'DELETE') {
        subs.delete(s.id);
        return { status: 204 };
      }
      if (seg.length === 3 && seg[2] === 'reauthorize' && method === 'POST') {
        checkSpacing(s, 'reauthorize');
        s.lastReauthorizeAt = new Date().toISOString();
        return { status: 204 };
      }
      throw new HttpError(405, 'BadRequest', `${method} is not supported on this path`);
    }
    if (seg[0] === 'servicePrincipals' && method === 'GET') {
      const filter = url.searchParams.get('$filter') ?? '';
      const wanted = /appId eq '([^']+)'/i.exec(filter)?.[1];
      const found =
        options.changeTrackingServicePrincipal !== false && wanted?.toLowerCase() === CHANGE_TRACKING_APP_ID;
      return {
        status: 200,
        body: {
          '@odata.context': `${baseUrl()}/$metadata#servicePrincipals`,
          value: found
            ? [
                {
                  id: 'f1b0c0de-0000-4000-8000-00000000c7a1',
                  appId: CHANGE_TRACKING_APP_ID,
                  displayName: 'Microsoft Graph Change Tracking',
                  appRoleAssignmentRequired: false,
                },
              ]
            : [],
        },
      };
    }
    // Directory listings the backfill runner walks (GET /teams, /users), paged.
    if (method === 'GET' && seg.length === 1 && seg[0] === 'teams') {
      const teams = [...new Set(publisher.tenant.channels.map((c) => c.teamId))].map((id, i) => ({
        id,
        displayName: `Team ${i + 1}`,
      }));
      return listPage(url, 'teams', teams);
    }
    // Teams export APIs: every message and reply changed in a lastModifiedDateTime range (gt, optional lt).
    if (
      method === 'GET' &&
      seg.length === 4 &&
      seg[0] === 'teams' &&
      seg[2] === 'channels' &&
      seg[3] === 'getAllMessages'
    ) {
      if (!publisher.tenant.channels.some((c) => c.teamId === seg[1]))
        throw new HttpError(404, 'NotFound', `No team found with Group Id ${seg[1]}`);
      return exportPage(url, (m) => m.channelIdentity?.teamId === seg[1]);
    }
    if (
      method === 'GET' &&
      seg.length === 4 &&
      seg[0] === 'users' &&
      seg[2] === 'chats' &&
      seg[3] === 'getAllMessages'
    ) {
      const chats = new Set(
        publisher.tenant.chats.filter((c) => c.members.some((m) => m.id === seg[1])).map((c) => c.chatId),
      );
      return exportPage(url, (m) => m.chatId !== null && chats.has(m.chatId));
    }
    if (method === 'GET' && seg.length === 1 && seg[0] === 'users') {
      return listPage(
        url,
        'users',
        publisher.tenant.users.map((u) => ({ id: u.id, displayName: u.displayName })),
      );
    }
    // Delta
    if (
      method === 'GET' &&
      seg[0] === 'teams' &&
      seg[2] === 'channels' &&
      seg[4] === 'messages' &&
      seg[5] === 'delta' &&
      seg.length === 6
    ) {
      return delta(
        url,
        (m) =>
          m.channelIdentity?.teamId === seg[1] &&
          m.channelIdentity?.channelId === seg[3] &&
          m.replyToId === null,
        true,
      );
    }
    if (
      method === 'GET' &&
      seg[0] === 'users' &&
      seg[2] === 'chats' &&
      seg[3] === 'getAllMessages' &&
      seg[4] === 'delta' &&
      seg.length === 5
    ) {
      const chats = new Set(
        publisher.tenant.chats.filter((c) => c.members.some((m) => m.id === seg[1])).map((c) => c.chatId),
      );
      return delta(url, (m) => m.chatId !== null && chats.has(m.chatId), false);
    }
    // Messages
    const resource = messageResourceFromPath(seg);
    if (resource) {
      const message = publisher.message(resource);
      if (!message) throw new HttpError(404, 'NotFound', 'Message not found.');
      if (method === 'GET') return { status: 200, body: message };
      if (method === 'PATCH') return patchPolicyViolation(resource, message, body);
    }
    throw new HttpError(404, 'BadRequest', `Resource not found for the segment '${seg[0] ?? ''}'.`);
  }

  function createSubscription(body: unknown): { status: number; body: unknown } {
    const b = requireObject(body);
    for (const k of Object.keys(b)) {
      if (!SUBSCRIPTION_FIELDS.has(k))
        throw new HttpError(
          400,
          'InvalidRequest',
          'Could not process subscription creation payload. Are all property names spelled and camelCased properly?',
        );
    }
    for (const required of ['changeType', 'notificationUrl', 'resource', 'expirationDateTime']) {
      if (typeof b[required] !== 'string' || b[required] === '')
        throw new HttpError(
          400,
          'InvalidRequest',
          `${required} is a required property for subscription creation.`,
        );
    }
    const changeType = b.changeType as string;
    const types = changeType.split(',').map((t) => t.trim());
    if (types.some((t) => !['created', 'updated', 'deleted'].includes(t)))
      throw new HttpError(400, 'InvalidRequest', `Invalid changeType '${changeType}'.`);
    const notificationUrl = b.notificationUrl as string;
    checkEventHubUrl(notificationUrl, 'notification');
    const lifecycleNotificationUrl =
      typeof b.lifecycleNotificationUrl === 'string' ? b.lifecycleNotificationUrl : null;
    if (lifecycleNotificationUrl) checkEventHubUrl(lifecycleNotificationUrl, 'lifecycle notification');
    const resource = b.resource as string;
    checkResource(resource);
    const expiry = checkExpiry(b.expirationDateTime as string, 'creation');
    if (expiry - Date.now() > 60 * MINUTE && !lifecycleNotificationUrl) {
      throw new HttpError(
        400,
        'ValidationError',
        'lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour.',
      );
    }
    const includeResourceData = b.includeResourceData === true;
    if (includeResourceData) checkCertificate(b.encryptionCertificate, b.encryptionCertificateId);
    if (
      b.clientState !== undefined &&
      b.clientState !== null &&
      (typeof b.clientState !== 'string' || b.clientState.length > 128)
    ) {
      throw new HttpError(400, 'InvalidRequest', 'clientState must be a string of at most 128 characters.');
    }
    const current = live();
    const key = `${resource.replace(/^\/+/, '').toLowerCase()}|${[...types].sort().join(',')}`;
    const duplicate = current.find(
      (s) =>
        `${s.resource.replace(/^\/+/, '').toLowerCase()}|${s.changeType.split(',').sort().join(',')}` === key,
    );
    if (duplicate)
      throw new HttpError(
        409,
        'Conflict',
        `Subscription Id ${duplicate.id} already exists for the requested combination`,
      );
    if (current.length >= maxSubscriptions)
      throw new HttpError(
        403,
        'Forbidden',
        `Subscription quota exceeded: an app can have at most ${maxSubscriptions} subscriptions in this tenant.`,
      );
    const s: SimSubscription = {
      id: randomUUID(),
      resource,
      changeType,
      notificationUrl,
      lifecycleNotificationUrl,
      expirationDateTime: new Date(expiry).toISOString(),
      clientState: (b.clientState as string | undefined) ?? null,
      includeResourceData,
      encryptionCertificate: includeResourceData ? (b.encryptionCertificate as string) : null,
      encryptionCertificateId: includeResourceData ? (b.encryptionCertificateId as string) : null,
      latestSupportedTlsVersion: (b.latestSupportedTlsVersion as string | undefined) ?? 'v1_2',
      applicationId: appId,
      creatorId: 'f00dcafe-0000-4000-8000-00000000a99d',
      createdAt: new Date().toISOString(),
      lastPatchAt: null,
      lastReauthorizeAt: null,
    };
    return { status: 201, body: { __create: s } };
  }

  function patchSubscription(s: SimSubscription, body: unknown): { status: number; body: unknown } {
    const b = requireObject(body);
    for (const k of Object.keys(b)) {
      if (!PATCHABLE.has(k)) throw new HttpError(400, 'InvalidRequest', `Property '${k}' cannot be updated.`);
    }
    if (
      b.lifecycleNotificationUrl !== undefined &&
      b.lifecycleNotificationUrl !== s.lifecycleNotificationUrl
    ) {
      throw new HttpError(
        400,
        'InvalidRequest',
        'lifecycleNotificationUrl cannot be added or changed by an update; delete and recreate the subscription.',
      );
    }
    if (b.expirationDateTime === undefined && b.notificationUrl === undefined)
      throw new HttpError(400, 'InvalidRequest', 'expirationDateTime or notificationUrl must be provided.');
    const next = { ...s };
    if (typeof b.expirationDateTime === 'string') {
      const expiry = checkExpiry(b.expirationDateTime, 'update');
      if (expiry - Date.now() > 60 * MINUTE && !s.lifecycleNotificationUrl) {
        throw new HttpError(
          400,
          'ValidationError',
          'lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour.',
        );
      }
      next.expirationDateTime = new Date(expiry).toISOString();
    }
    if (typeof b.notificationUrl === 'string') {
      checkEventHubUrl(b.notificationUrl, 'notification');
      next.notificationUrl = b.notificationUrl;
    }
    if (b.encryptionCertificate !== undefined || b.encryptionCertificateId !== undefined) {
      checkCertificate(b.encryptionCertificate, b.encryptionCertificateId);
      next.encryptionCertificate = b.encryptionCertificate as string;
      next.encryptionCertificateId = b.encryptionCertificateId as string;
    }
    checkSpacing(s, 'patch');
    next.lastPatchAt = new Date().toISOString();
    subs.set(s.id, next);
    return { status: 200, body: publicView(next, false) };
  }

  function checkSpacing(s: SimSubscription, now: 'patch' | 'reauthorize'): void {
    const other = now === 'patch' ? s.lastReauthorizeAt : s.lastPatchAt;
    if (other && Date.now() - Date.parse(other) < 10 * MINUTE) {
      violations.push({
        subscriptionId: s.id,
        first: now === 'patch' ? 'reauthorize' : 'patch',
        second: now,
        gapMs: Date.now() - Date.parse(other),
      });
    }
  }

  function listPage(url: URL, what: string, all: unknown[]): { status: number; body: unknown } {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0') || 0;
    const top = Math.min(pageSize, Number(url.searchParams.get('$top') ?? pageSize) || pageSize);
    const body: Record<string, unknown> = {
      '@odata.context': `${baseUrl()}/$metadata#${what}`,
      value: all.slice(skip, skip + top),
    };
    if (skip + top < all.length)
      body['@odata.nextLink'] = `${baseUrl()}${url.pathname.slice('/v1.0'.length)}?$skiptoken=${skip + top}`;
    return { status: 200, body };
  }

  function exportPage(url: URL, filter: (m: ChatMessage) => boolean): { status: number; body: unknown } {
    const text = url.searchParams.get('$filter') ?? '';
    const gt = /lastModifiedDateTime gt ([0-9T:.\-Z]+)/i.exec(text)?.[1];
    const lt = /lastModifiedDateTime lt ([0-9T:.\-Z]+)/i.exec(text)?.[1];
    const all = publisher
      .allMessages()
      .filter(filter)
      .filter((m) => (!gt || m.lastModifiedDateTime > gt) && (!lt || m.lastModifiedDateTime < lt))
      .sort((a, b) => a.lastModifiedDateTime.localeCompare(b.lastModifiedDateTime));
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0') || 0;
    const top = Math.min(pageSize, Number(url.searchParams.get('$top') ?? pageSize) || pageSize);
    const body: Record<string, unknown> = { value: all.slice(skip, skip + top) };
    if (skip + top < all.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(skip + top));
      body['@odata.nextLink'] = `${baseUrl()}${next.pathname.slice('/v1.0'.length)}${next.search}`;
    }
    return { status: 200, body };
  }

  function listSubscriptions(url: URL): { status: number; body: unknown } {
    const all = live().sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0') || 0;
    const page = all.slice(skip, skip + pageSize);
    const body: Record<string, unknown> = {
      '@odata.context': `${baseUrl()}/$metadata#subscriptions`,
      value: page.map((s) => publicView(s, true)),
    };
    if (skip + pageSize < all.length)
      body['@odata.nextLink'] = `${baseUrl()}/subscriptions?$skiptoken=${skip + pageSize}`;
    return { status: 200, body };
  }

  function publicView(s: SimSubscription, hideClientState: boolean): Record<string, unknown> {
    return {
      id: s.id,
      resource: s.resource,
      applicationId: s.applicationId,
      changeType: s.changeType,
      clientState: hideClientState ? null : s.clientState,
      notificationUrl: s.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl,
      expirationDateTime: s.expirationDateTime,
      creatorId: s.creatorId,
      includeResourceData: s.includeResourceData,
      latestSupportedTlsVersion: s.latestSupportedTlsVersion,
      encryptionCertificate: s.encryptionCertificate,
      encryptionCertificateId: s.encryptionCertificateId,
      notificationUrlAppId: null,
      notificationContentType: 'application/json',
    };
  }

  function checkEventHubUrl(value: string, what: string): void {
    const parsed = parseEventHubNotificationUrl(value);
    if (!parsed.ok) {
      if (/^https:\/\//i.test(value))
        throw new HttpError(
          400,
          'InvalidRequest',
          'Subscription validation request failed. The simulator delivers to Event Hubs only (EventHub:https://…).',
        );
      throw new HttpError(400, 'InvalidRequest', `Invalid event hub ${what} url='${value}'.`);
    }
    const t = parsed.target.tenantId.toLowerCase();
    if (t !== tenantDomain.toLowerCase() && t !== tenantId.toLowerCase())
      throw new HttpError(400, 'InvalidRequest', `Invalid event hub ${what} url='${value}'.`);
  }

  function checkResource(resource: string): void {
    const [path = '', query = ''] = resource.replace(/^\/+/, '').split('?');
    const params = new URLSearchParams(query);
    const model = params.get('model');
    const ok =
      /^(teams|chats)\/getAllMessages$/i.test(path) ||
      /^teams\/[^/]+\/channels\/[^/]+\/messages$/i.test(path) ||
      /^chats\/[^/]+\/messages$/i.test(path) ||
      /^users\/[^/]+\/chats\/getAllMessages$/i.test(path);
    if (!ok)
      throw new HttpError(
        400,
        'InvalidRequest',
        `Resource '${resource}' is not supported for change notifications by this simulator.`,
      );
    if (model !== null && model !== 'A' && model !== 'B')
      throw new HttpError(
        400,
        'InvalidRequest',
        `Query parameter 'model' does not support value '${model}'.`,
      );
    if (/^users\//i.test(path) && model !== 'B')
      throw new HttpError(
        402,
        'PaymentRequired',
        "Query parameter 'model' does not support value 'A' for this API. Use billing model 'B'.",
      );
  }

  function checkExpiry(text: string, what: 'creation' | 'update'): number {
    const at = Date.parse(text);
    if (Number.isNaN(at))
      throw new HttpError(400, 'InvalidRequest', `expirationDateTime '${text}' is not a valid date.`);
    const now = Date.now();
    if (at <= now)
      throw new HttpError(
        400,
        'InvalidRequest',
        `Subscription expiration can only be in the future (${what}).`,
      );
    if (at - now > maxLifetimeMs)
      throw new HttpError(
        400,
        'ExtensionError',
        `Subscription expiration can only be ${Math.floor(maxLifetimeMs / MINUTE)} minutes in the future.`,
      );
    return Math.max(at, now + 45 * MINUTE); // Graph silently raises short expirations to 45 minutes
  }

  function checkCertificate(cert: unknown, id: unknown): void {
    if (typeof cert !== 'string' || cert === '' || typeof id !== 'string' || id === '') {
      throw new HttpError(
        400,
        'InvalidRequest',
        'encryptionCertificate and encryptionCertificateId are required when includeResourceData is true.',
      );
    }
    if (id.length > 128)
      throw new HttpError(400, 'InvalidRequest', 'encryptionCertificateId must be at most 128 characters.');
    try {
      const x509 = new X509Certificate(Buffer.from(cert, 'base64'));
      const bits = x509.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (x509.publicKey.asymmetricKeyType !== 'rsa' || bits < 2048 || bits > 4096) throw new Error('key');
    } catch {
      throw new HttpError(
        400,
        'InvalidRequest',
        'encryptionCertificate must be a base64 DER X.509 certificate with an RSA key of 2048-4096 bits.',
      );
    }
  }

  function messageResourceFromPath(seg: string[]): string | undefined {
    if (seg[0] === 'chats' && seg[2] === 'messages' && seg.length === 4)
      return `chats('${seg[1]}')/messages('${seg[3]}')`;
    if (seg[0] === 'teams' && seg[2] === 'channels' && seg[4] === 'messages') {
      if (seg.length === 6) return `teams('${seg[1]}')/channels('${seg[3]}')/messages('${seg[5]}')`;
      if (seg.length === 8 && seg[6] === 'replies')
        return `teams('${seg[1]}')/channels('${seg[3]}')/messages('${seg[5]}')/replies('${seg[7]}')`;
    }
    return undefined;
  }

  function patchPolicyViolation(
    resource: string,
    message: ChatMessage,
    body: unknown,
  ): { status: number; body: unknown } {
    const b = requireObject(body);
    const keys = Object.keys(b);
    if (
      keys.length !== 1 ||
      keys[0] !== 'policyViolation' ||
      !b.policyViolation ||
      typeof b.policyViolation !== 'object'
    ) {
      throw new HttpError(
        403,
        'Forbidden',
        'Only policyViolation can be updated with application permissions.',
      );
    }
    const pv = b.policyViolation as Record<string, unknown>;
    const flags =
      /^(none|notifySender|blockAccess|blockAccessExternal)(,\s*(none|notifySender|blockAccess|blockAccessExternal))*$/i;
    if (pv.dlpAction !== undefined && (typeof pv.dlpAction !== 'string' || !flags.test(pv.dlpAction)))
      throw new HttpError(400, 'InvalidRequest', `Invalid dlpAction '${String(pv.dlpAction)}'.`);
    const updated = { ...message, policyViolation: pv };
    publisher.replaceMessage(resource, updated);
    policyViolations.push({ resource, policyViolation: pv, at: new Date().toISOString() });
    return { status: 200, body: updated };
  }

  function delta(
    url: URL,
    filter: (m: ChatMessage) => boolean,
    expandReplies: boolean,
  ): { status: number; body: unknown } {
    const token = url.searchParams.get('$skiptoken') ?? url.searchParams.get('$deltatoken');
    let state: { since: string | null; offset: number; watermark: string };
    if (token) {
      try {
        state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
        if (url.searchParams.has('$deltatoken'))
          state = { since: state.watermark, offset: 0, watermark: state.watermark };
      } catch {
        throw new HttpError(410, 'syncStateNotFound', 'The sync state is not found or invalid.');
      }
    } else {
      const filterText = url.searchParams.get('$filter') ?? '';
      const since = /lastModifiedDateTime gt ([0-9T:.\-Z]+)/i.exec(filterText)?.[1] ?? null;
      state = { since, offset: 0, watermark: new Date().toISOString() };
    }
    const top = Math.min(50, Number(url.searchParams.get('$top') ?? '50') || 50);
    const all = publisher
      .allMessages()
      .filter(filter)
      .filter(
        (m) =>
          (state.since ? m.lastModifiedDateTime > state.since : true) &&
          m.lastModifiedDateTime <= state.watermark,
      )
      .sort((a, b) => a.lastModifiedDateTime.localeCompare(b.lastModifiedDateTime));
    const page = all.slice(state.offset, state.offset + top).map((m) =>
      expandReplies && url.searchParams.get('$expand') === 'replies'
        ? {
            ...m,
            replies: publisher
              .allMessages()
              .filter(
                (r) => r.replyToId === m.id && r.channelIdentity?.channelId === m.channelIdentity?.channelId,
              ),
          }
        : m,
    );
    const base = `${baseUrl()}${url.pathname.slice('/v1.0'.length)}`;
    const body: Record<string, unknown> = { value: page };
    if (state.offset + top < all.length)
      body['@odata.nextLink'] =
        `${base}?$skiptoken=${Buffer.from(JSON.stringify({ ...state, offset: state.offset + top })).toString('base64url')}`;
    else
      body['@odata.deltaLink'] =
        `${base}?$deltatoken=${Buffer.from(JSON.stringify({ since: state.watermark, offset: 0, watermark: state.watermark })).toString('base64url')}`;
    return { status: 200, body };
  }

  // POST /subscriptions finishes here: Graph writes its validation message into the hub before answering.
  const routeWithValidation = async (method: string, path: string, url: URL, body: unknown) => {
    const result = await route(method, path, url, body);
    const created = (result.body as { __create?: SimSubscription } | undefined)?.__create;
    if (!created) return result;
    const target = parseEventHubNotificationUrl(created.notificationUrl);
    if (target.ok) {
      try {
        await publisher.sendValidation(target.target, randomUUID());
      } catch (err) {
        throw new HttpError(
          400,
          'InvalidRequest',
          `Client EventHubs publishing validation failed: ${(err as Error).message}`,
        );
      }
    }
    subs.set(created.id, created);
    return { status: 201, body: publicView(created, false) };
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  // Scheduled publishing and lifecycle events.
  let rate = options.messagesPerSecond ?? 0;
  let credit = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tickMs = 100;
  const publishTimer = setInterval(() => {
    if (rate <= 0 || busy) return;
    credit += (rate * tickMs) / 1000;
    const n = Math.floor(credit);
    if (n <= 0) return;
    credit -= n;
    busy = true;
    inFlight = publisher
      .publish(n)
      .catch((err) => log?.warn({ err: (err as Error).message }, 'graph simulator: publish failed'))
      .finally(() => {
        busy = false;
      });
  }, tickMs);
  publishTimer.unref();
  const lifecycleTimer =
    options.lifecycleEveryMs && options.lifecycleEveryMs > 0
      ? setInterval(() => {
          for (const s of live())
            publisher.sendLifecycle(s, 'reauthorizationRequired').catch(() => undefined);
        }, options.lifecycleEveryMs)
      : undefined;
  lifecycleTimer?.unref();

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/v1.0`,
    port,
    tenantId,
    tenantDomain,
    stop() {
      stopped ??= (async () => {
        clearInterval(publishTimer);
        if (lifecycleTimer) clearInterval(lifecycleTimer);
        await inFlight.catch(() => undefined);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await sink?.close();
      })();
      return stopped;
    },
    subscriptions: () => live().map((s) => ({ ...s })),
    async removeSubscription(id, opts = {}) {
      const s = subs.get(id);
      if (!s) return;
      subs.delete(id);
      if (opts.notify) await publisher.sendLifecycle(s, 'subscriptionRemoved');
    },
    injectSubscription(fields) {
      const s: SimSubscription = {
        id: randomUUID(),
        lifecycleNotificationUrl: fields.notificationUrl,
        expirationDateTime: new Date(Date.now() + 24 * 60 * MINUTE).toISOString(),
        clientState: null,
        includeResourceData: false,
        encryptionCertificate: null,
        encryptionCertificateId: null,
        latestSupportedTlsVersion: 'v1_2',
        applicationId: appId,
        creatorId: 'f00dcafe-0000-4000-8000-00000000a99d',
        createdAt: new Date().toISOString(),
        lastPatchAt: null,
        lastReauthorizeAt: null,
        ...fields,
      };
      subs.set(s.id, s);
      return { ...s };
    },
    async sendLifecycle(id, event) {
      const s = subs.get(id);
      return s ? publisher.sendLifecycle(s, event) : false;
    },
    throttleNext(count, seconds) {
      throttleQueue = [
        ...throttleQueue,
        ...Array.from({ length: count }, () => seconds ?? retryAfterSeconds),
      ];
    },
    failNext(count, status, code, match = {}) {
      for (let i = 0; i < count; i++) failQueue.push({ status, code, ...match });
    },
    onNextRequest(match, fn) {
      hooks.push({ ...match, fn });
    },
    setThrottleRate(r) {
      throttleRate = r;
    },
    requests: () => [...requests],
    spacingViolations: () => [...violations],
    publish: (count) => publisher.publish(count),
    setRate(r) {
      rate = r;
    },
    groundTruth: () => publisher.groundTruth(),
    policyViolations: () => [...policyViolations],
    sentEvents: () => publisher.sentEvents,
    idle: async () => {
      await inFlight.catch(() => undefined);
    },
  };
}

function requireObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(
      400,
      'InvalidRequest',
      'Could not process subscription creation payload. Are all property names spelled and camelCased properly?',
    );
  return body as Record<string, unknown>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new HttpError(413, 'RequestEntityTooLarge', 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(
      400,
      'InvalidRequest',
      'Could not process subscription creation payload. Are all property names spelled and camelCased properly?',
    );
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const requestId = randomUUID();
  res.setHeader('request-id', requestId);
  res.setHeader('client-request-id', requestId);
  if (body === undefined || status === 204) {
    res.statusCode = status;
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; odata.metadata=minimal; charset=utf-8');
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, e: HttpError): void {
  for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
  const requestId = randomUUID();
  send(res, e.status, {
    error: {
      code: e.code,
      message: e.message,
      innerError: {
        ...(e.status === 429 ? { code: 'throttledRequest' } : {}),
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  });
}
