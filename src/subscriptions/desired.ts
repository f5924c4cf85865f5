import { GraphDlpError } from '../errors.js';
import { subscriptionKey } from './plan.js';
import type { DesiredSubscription } from './types.js';

export const DEFAULT_CHANGE_TYPE = 'created,updated,deleted';
export const DEFAULT_RESOURCES = ['/teams/getAllMessages', '/chats/getAllMessages'] as const;

export interface EventHubTarget {
  /** Fully qualified namespace host, e.g. `contoso-dlp.servicebus.windows.net`. */
  namespace: string;
  hub: string;
  /** Tenant primary domain (or id) in `?tenantId=`. */
  tenantId: string;
}

/** `EventHub:https://<ns>/eventhubname/<hub>?tenantId=<domain>`: Graph's RBAC form of an Event Hubs delivery URL. */
export function buildEventHubNotificationUrl(target: EventHubTarget): string {
  const ns = target.namespace.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  return `EventHub:https://${ns}/eventhubname/${encodeURIComponent(target.hub)}?tenantId=${encodeURIComponent(target.tenantId)}`;
}

export type ParsedNotificationUrl = { ok: true; target: EventHubTarget } | { ok: false; reason: string };

/** Checks the Event Hubs notificationUrl form Graph accepts; the reason says what to fix. */
export function parseEventHubNotificationUrl(url: string): ParsedNotificationUrl {
  const prefix = 'EventHub:';
  if (!url.startsWith(prefix))
    return { ok: false, reason: `must start with '${prefix}https://' (got '${url.slice(0, 20)}…')` };
  let u: URL;
  try {
    u = new URL(url.slice(prefix.length));
  } catch {
    return { ok: false, reason: 'the part after EventHub: is not a URL' };
  }
  if (u.protocol !== 'https:') return { ok: false, reason: 'the Event Hubs URL must use https://' };
  const parts = u.pathname.split('/').filter(Boolean);
  if (parts.length !== 2 || parts[0] !== 'eventhubname') {
    return {
      ok: false,
      reason: "path must be exactly /eventhubname/<hub> ('eventhubname' is a literal segment)",
    };
  }
  const tenantId = u.searchParams.get('tenantId');
  if (!tenantId) return { ok: false, reason: 'missing ?tenantId=<tenant primary domain>' };
  return { ok: true, target: { namespace: u.host, hub: decodeURIComponent(parts[1] as string), tenantId } };
}

/** Puts the payment model into tenant-wide Teams resources (`?model=A`), as Graph expects it. */
export function withPaymentModel(resource: string, model: 'A' | 'B' | 'none'): string {
  const r = resource.startsWith('/') ? resource : `/${resource}`;
  if (/[?&]model=/i.test(r)) return r;
  const path = r.split('?')[0] ?? r;
  const tenantWide = /^\/(teams|chats)\/getAllMessages$/i.test(path);
  const perUser = /^\/users\/[^/]+\/chats\/getAllMessages$/i.test(path);
  const sep = r.includes('?') ? '&' : '?';
  if (tenantWide && model !== 'none') return `${r}${sep}model=${model}`;
  if (perUser) return `${r}${sep}model=B`; // Graph: user-level getAllMessages is model B only
  return r;
}

export interface DesiredSettings {
  resources: readonly string[];
  paymentModel: 'A' | 'B' | 'none';
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  lifetimeMs: number;
  certificateId?: string;
  includeResourceData?: boolean;
  changeType?: string;
}

export function buildDesiredSubscriptions(settings: DesiredSettings): DesiredSubscription[] {
  const parsed = parseEventHubNotificationUrl(settings.notificationUrl);
  if (!parsed.ok) {
    throw new GraphDlpError(
      'GDLP_SUBSCRIPTIONS_NOTIFICATION_URL',
      'fatal',
      `notificationUrl is not a valid Event Hubs URL: ${parsed.reason}`,
    );
  }
  const changeType = settings.changeType ?? DEFAULT_CHANGE_TYPE;
  const seen = new Set<string>();
  const out: DesiredSubscription[] = [];
  for (const raw of settings.resources) {
    const resource = withPaymentModel(raw.trim(), settings.paymentModel);
    const key = subscriptionKey(resource, changeType);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      key,
      resource,
      changeType,
      notificationUrl: settings.notificationUrl,
      lifecycleNotificationUrl: settings.lifecycleNotificationUrl ?? settings.notificationUrl,
      includeResourceData: settings.includeResourceData ?? true,
      lifetimeMs: settings.lifetimeMs,
      ...(settings.certificateId ? { certificateId: settings.certificateId } : {}),
    });
  }
  return out;
}
