import { encryptNotificationContent } from '../../crypto/notification-cipher.js';
import { type EventHubTarget, parseEventHubNotificationUrl } from '../../subscriptions/desired.js';
import {
  buildChatMessage,
  type ChatMessage,
  canBePlainText,
  createRng,
  createTenant,
  generateBody,
  messageResource,
  type Planted,
  pick,
  type Rng,
  type SensitiveType,
  type SimTenant,
  type SimUser,
  SUBJECTS,
} from './content.js';
import type { EventSink } from './sink.js';

/** A subscription as the simulator holds it (with the secrets Graph keeps: clientState, certificate). */
export interface SimSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  clientState: string | null;
  includeResourceData: boolean;
  encryptionCertificate: string | null;
  encryptionCertificateId: string | null;
  latestSupportedTlsVersion: string;
  applicationId: string;
  creatorId: string;
  createdAt: string;
  lastPatchAt: string | null;
  lastReauthorizeAt: string | null;
}

export interface GroundTruthEntry {
  messageId: string;
  resource: string;
  kind: 'channel-post' | 'channel-reply' | 'chat';
  /** Sensitive types in the message's current version (empty once deleted). */
  types: SensitiveType[];
  versions: Array<{
    etag: string;
    changeType: 'created' | 'updated' | 'deleted';
    types: SensitiveType[];
    planted: Planted[];
  }>;
  deleted: boolean;
}

export interface PublisherOptions {
  seed: number;
  tenantId: string;
  /** Share of new messages and edits that carry a planted sensitive value. Default 0.2. */
  sensitiveShare: number;
  editShare: number;
  deleteShare: number;
  duplicateShare: number;
}

export interface PublishedChange {
  messageId: string;
  changeType: 'created' | 'updated' | 'deleted';
  resource: string;
  /** Subscriptions the change was delivered to. */
  subscriptionIds: string[];
  duplicated: boolean;
}

const MS_ID_BASE = 1_760_000_000_000;

/**
 * Generates Teams changes and turns each into what Graph puts into the subscriber's Event Hub: one
 * `{"value":[changeNotification]}` body per subscription the change matches, encrypted with that subscription's
 * certificate when it asked for resource data. Deterministic for a seed: the same calls produce the same
 * messages, ids and plants (timestamps are wall-clock).
 */
export class TeamsPublisher {
  readonly tenant: SimTenant;
  private readonly rng: Rng;
  private counter = 0;
  private readonly messages = new Map<string, ChatMessage>();
  private readonly order: string[] = [];
  private readonly truth = new Map<string, GroundTruthEntry>();
  sentEvents = 0;

  constructor(
    private readonly options: PublisherOptions,
    private readonly liveSubscriptions: () => SimSubscription[],
    private readonly sink: EventSink | undefined,
  ) {
    this.rng = createRng(options.seed);
    this.tenant = createTenant(createRng(options.seed ^ 0x5eed), options.tenantId);
  }

  /** The current version of every message the publisher created (the simulator's message store). */
  message(resourcePath: string): ChatMessage | undefined {
    return this.messages.get(resourcePath);
  }
  allMessages(): ChatMessage[] {
    return this.order.map((r) => this.messages.get(r) as ChatMessage);
  }
  replaceMessage(resourcePath: string, message: ChatMessage): void {
    this.messages.set(resourcePath, message);
  }
  groundTruth(): Map<string, GroundTruthEntry> {
    return new Map([...this.truth].map(([k, v]) => [k, structuredClone(v)]));
  }

  /** Generates and delivers `count` changes now. */
  async publish(count: number): Promise<PublishedChange[]> {
    const out: PublishedChange[] = [];
    for (let i = 0; i < count; i++) out.push(await this.publishOne());
    return out;
  }

  private nextChange(): {
    message: ChatMessage;
    changeType: 'created' | 'updated' | 'deleted';
    planted: Planted[];
    kind: GroundTruthEntry['kind'];
  } {
    const rng = this.rng;
    const existing = this.order.filter((r) => !(this.messages.get(r) as ChatMessage).deletedDateTime);
    const roll = rng();
    const now = new Date();
    if (existing.length > 3 && roll < this.options.editShare) {
      const resource = pick(rng, existing);
      const old = this.messages.get(resource) as ChatMessage;
      const body = generateBody(rng, this.tenant, this.tenant.users.slice(0, 4), this.options.sensitiveShare);
      const edited: ChatMessage = {
        ...old,
        etag: String(now.getTime()),
        lastModifiedDateTime: now.toISOString(),
        lastEditedDateTime: now.toISOString(),
        body:
          old.body.contentType === 'text' && canBePlainText(body)
            ? { contentType: 'text', content: body.text }
            : { contentType: 'html', content: body.html },
        attachments: body.attachments,
        mentions: body.mentions,
      };
      return {
        message: edited,
        changeType: 'updated',
        planted: body.planted,
        kind: this.truth.get(old.id)?.kind ?? 'chat',
      };
    }
    if (existing.length > 3 && roll < this.options.editShare + this.options.deleteShare) {
      const resource = pick(rng, existing);
      const old = this.messages.get(resource) as ChatMessage;
      const deleted: ChatMessage = {
        ...old,
        etag: String(now.getTime()),
        lastModifiedDateTime: now.toISOString(),
        deletedDateTime: now.toISOString(),
        body: { contentType: 'html', content: '' },
        attachments: [],
        mentions: [],
      };
      return {
        message: deleted,
        changeType: 'deleted',
        planted: [],
        kind: this.truth.get(old.id)?.kind ?? 'chat',
      };
    }
    const id = String(MS_ID_BASE + (this.options.seed % 100_000) * 1_000_000 + ++this.counter * 37);
    const where = rng();
    if (where < 0.65) {
      const channel = pick(rng, this.tenant.channels);
      const roots = this.order.filter(
        (r) =>
          r.startsWith(`teams('${channel.teamId}')/channels('${channel.channelId}')/messages(`) &&
          !r.includes('/replies('),
      );
      const reply = roots.length > 0 && rng() < 0.35;
      const author = pick(rng, this.tenant.users) as SimUser;
      const body = generateBody(rng, this.tenant, this.tenant.users, this.options.sensitiveShare);
      const replyToId = reply ? (this.messages.get(pick(rng, roots)) as ChatMessage).id : null;
      const message = buildChatMessage(
        {
          id,
          at: now,
          author,
          tenant: this.tenant,
          body,
          where: { kind: 'channel', channel, replyToId, subject: pick(rng, SUBJECTS) },
        },
        rng,
      );
      return {
        message,
        changeType: 'created',
        planted: body.planted,
        kind: reply ? 'channel-reply' : 'channel-post',
      };
    }
    const chat = pick(rng, this.tenant.chats);
    const author = pick(rng, chat.members);
    const body = generateBody(
      rng,
      this.tenant,
      chat.members.filter((m) => m.id !== author.id),
      this.options.sensitiveShare,
    );
    const message = buildChatMessage(
      { id, at: now, author, tenant: this.tenant, body, where: { kind: 'chat', chat } },
      rng,
    );
    return { message, changeType: 'created', planted: body.planted, kind: 'chat' };
  }

  private async publishOne(): Promise<PublishedChange> {
    const { message, changeType, planted, kind } = this.nextChange();
    const resource = messageResource(message);
    if (!this.messages.has(resource)) this.order.push(resource);
    this.messages.set(resource, message);
    const types = [...new Set(planted.map((p) => p.type))];
    const entry = this.truth.get(message.id) ?? {
      messageId: message.id,
      resource,
      kind,
      types: [],
      versions: [],
      deleted: false,
    };
    entry.types = changeType === 'deleted' ? [] : types;
    entry.deleted = changeType === 'deleted';
    entry.versions.push({ etag: message.etag, changeType, types, planted });
    this.truth.set(message.id, entry);

    const duplicated = this.rng() < this.options.duplicateShare;
    const targets = this.liveSubscriptions().filter(
      (s) => matches(s, message, this.tenant) && s.changeType.split(',').includes(changeType),
    );
    const byHub = new Map<string, { target: EventHubTarget; bodies: string[] }>();
    for (const s of targets) {
      const body = JSON.stringify({ value: [this.notificationItem(s, message, resource, changeType)] });
      const parsed = parseEventHubNotificationUrl(s.notificationUrl);
      if (!parsed.ok) continue;
      const key = `${parsed.target.namespace}/${parsed.target.hub}`;
      const group = byHub.get(key) ?? { target: parsed.target, bodies: [] };
      group.bodies.push(body);
      if (duplicated) group.bodies.push(body);
      byHub.set(key, group);
    }
    if (this.sink) {
      for (const { target, bodies } of byHub.values()) {
        await this.sink.send(target, bodies);
        this.sentEvents += bodies.length;
      }
    }
    return {
      messageId: message.id,
      changeType,
      resource,
      subscriptionIds: targets.map((s) => s.id),
      duplicated,
    };
  }

  notificationItem(
    s: SimSubscription,
    message: ChatMessage,
    resource: string,
    changeType: string,
  ): Record<string, unknown> {
    const item: Record<string, unknown> = {
      subscriptionId: s.id,
      changeType,
      clientState: s.clientState,
      subscriptionExpirationDateTime: graphDateTime(s.expirationDateTime),
      resource,
      resourceData: { id: message.id, '@odata.type': '#Microsoft.Graph.chatMessage', '@odata.id': resource },
    };
    if (s.includeResourceData && s.encryptionCertificate && s.encryptionCertificateId) {
      item.encryptedContent = encryptNotificationContent(message, {
        id: s.encryptionCertificateId,
        certificate: s.encryptionCertificate,
      });
    }
    item.tenantId = this.tenant.tenantId;
    return item;
  }

  /** Graph's Event Hubs reachability check, written on every subscription creation. */
  async sendValidation(target: EventHubTarget, requestId: string): Promise<void> {
    if (!this.sink) return;
    const body = JSON.stringify({
      value: [
        {
          subscriptionId: 'NA',
          subscriptionExpirationDateTime: 'NA',
          clientState: 'NA',
          changeType: `Validation: Testing client application reachability for subscription Request-Id: ${requestId}`,
          resource: 'NA',
          resourceData: { '@odata.type': 'NA', '@odata.id': 'NA', id: 'NA' },
        },
      ],
    });
    await this.sink.send(target, [body]);
    this.sentEvents += 1;
  }

  async sendLifecycle(
    s: SimSubscription,
    event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed',
  ): Promise<boolean> {
    if (!this.sink || !s.lifecycleNotificationUrl) return false;
    const parsed = parseEventHubNotificationUrl(s.lifecycleNotificationUrl);
    if (!parsed.ok) return false;
    const body = JSON.stringify({
      value: [
        {
          subscriptionId: s.id,
          subscriptionExpirationDateTime: graphDateTime(s.expirationDateTime),
          tenantId: this.tenant.tenantId,
          clientState: s.clientState,
          lifecycleEvent: event,
        },
      ],
    });
    await this.sink.send(parsed.target, [body]);
    this.sentEvents += 1;
    return true;
  }
}

/** Graph writes `2021-07-01T08:56:34.0000000+00:00`: seven fractional digits and an explicit offset. */
export function graphDateTime(iso: string): string {
  const d = new Date(iso);
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${d.toISOString().slice(0, 19)}.${ms}0000+00:00`;
}

/** Does a change to `message` produce a notification for subscription `s`? (resource path semantics of §1.4) */
export function matches(
  s: Pick<SimSubscription, 'resource'>,
  message: ChatMessage,
  tenant: SimTenant,
): boolean {
  const path = (s.resource.replace(/^\/+/, '').split('?')[0] ?? '').replace(/\/+$/, '');
  const lower = path.toLowerCase();
  if (message.channelIdentity) {
    if (lower === 'teams/getallmessages') return true;
    const m = /^teams\/([^/]+)\/channels\/([^/]+)\/messages$/i.exec(path);
    return (
      !!m &&
      decodeURIComponent(m[1] as string) === message.channelIdentity.teamId &&
      decodeURIComponent(m[2] as string) === message.channelIdentity.channelId
    );
  }
  if (lower === 'chats/getallmessages') return true;
  const chat = /^chats\/([^/]+)\/messages$/i.exec(path);
  if (chat) return decodeURIComponent(chat[1] as string) === message.chatId;
  const user = /^users\/([^/]+)\/chats\/getallmessages$/i.exec(path);
  if (user) {
    const members = tenant.chats.find((c) => c.chatId === message.chatId)?.members ?? [];
    return members.some((m) => m.id === decodeURIComponent(user[1] as string));
  }
  return false;
}
