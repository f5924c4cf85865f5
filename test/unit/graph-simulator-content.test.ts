import { describe, expect, it } from 'vitest';
import {
  createRng,
  createTenant,
  generateBody,
  githubTokenChecksum,
  ibanCheckDigits,
  isLuhnValid,
  luhnCheckDigit,
} from '../../src/local/graph/content.js';
import { graphDateTime, matches, TeamsPublisher } from '../../src/local/graph/publisher.js';

const TEST_NUMBERS = ['4111111111111111', '4242424242424242', '5555555555554444', '5105105105105100'];

function bodies(seed: number, n: number, share = 1) {
  const rng = createRng(seed);
  const tenant = createTenant(createRng(seed + 1), 't');
  return Array.from({ length: n }, () => generateBody(rng, tenant, tenant.users, share));
}

describe('Graph simulator content', () => {
  it('is deterministic for a seed', () => {
    expect(bodies(7, 50)).toEqual(bodies(7, 50));
    expect(bodies(7, 50)).not.toEqual(bodies(8, 50));
  });

  it('plants valid-looking values: Luhn-valid cards outside the processor test numbers, checksummed IBANs and GitHub tokens', () => {
    const planted = bodies(3, 400).flatMap((b) => b.planted);
    const cards = planted.filter((p) => p.type === 'credit_card').map((p) => p.value.replace(/\D/g, ''));
    expect(cards.length).toBeGreaterThan(20);
    for (const c of cards) {
      expect(isLuhnValid(c)).toBe(true);
      expect(TEST_NUMBERS).not.toContain(c);
    }
    for (const p of planted.filter((x) => x.type === 'iban')) {
      const v = p.value.replace(/\s/g, '');
      expect(ibanCheckDigits(v.slice(0, 2), v.slice(4))).toBe(v.slice(2, 4));
    }
    for (const p of planted.filter((x) => x.type === 'github_token')) {
      const random = p.value.slice(4, 34);
      expect(p.value.slice(34)).toBe(githubTokenChecksum(random));
    }
    for (const p of planted.filter((x) => x.type === 'us_ssn'))
      expect(p.value).toMatch(/^(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/);
    expect(new Set(planted.map((p) => p.location))).toEqual(
      new Set(['body', 'code', 'card', 'attachment-name']),
    );
  });

  it('plants at roughly the configured share', () => {
    const withPlant = bodies(11, 1_000, 0.2).filter((b) => b.planted.length > 0).length;
    expect(withPlant).toBeGreaterThan(140);
    expect(withPlant).toBeLessThan(260);
  });

  it('computes Luhn check digits', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
  });

  it('routes changes to the subscriptions whose resource covers them', () => {
    const tenant = createTenant(createRng(1), 't');
    const channel = tenant.channels[0] as (typeof tenant.channels)[number];
    const chat = tenant.chats[0] as (typeof tenant.chats)[number];
    const channelMsg = {
      channelIdentity: { teamId: channel.teamId, channelId: channel.channelId },
      chatId: null,
    } as Parameters<typeof matches>[1];
    const chatMsg = { channelIdentity: null, chatId: chat.chatId } as Parameters<typeof matches>[1];
    expect(matches({ resource: '/teams/getAllMessages?model=A' }, channelMsg, tenant)).toBe(true);
    expect(matches({ resource: '/chats/getAllMessages?model=A' }, channelMsg, tenant)).toBe(false);
    expect(
      matches(
        { resource: `/teams/${channel.teamId}/channels/${channel.channelId}/messages` },
        channelMsg,
        tenant,
      ),
    ).toBe(true);
    expect(matches({ resource: '/chats/getAllMessages' }, chatMsg, tenant)).toBe(true);
    expect(matches({ resource: `/chats/${chat.chatId}/messages` }, chatMsg, tenant)).toBe(true);
    expect(
      matches({ resource: `/users/${chat.members[0]?.id}/chats/getAllMessages?model=B` }, chatMsg, tenant),
    ).toBe(true);
    expect(matches({ resource: '/users/nobody/chats/getAllMessages?model=B' }, chatMsg, tenant)).toBe(false);
  });

  it("formats expiration like Graph's notifications (7 fractional digits, explicit offset)", () => {
    expect(graphDateTime('2021-07-01T08:56:34.123Z')).toBe('2021-07-01T08:56:34.1230000+00:00');
  });

  it('the publisher produces the same message sequence and ground truth for the same seed', async () => {
    const run = async () => {
      const p = new TeamsPublisher(
        {
          seed: 99,
          tenantId: 't',
          sensitiveShare: 0.3,
          editShare: 0.1,
          deleteShare: 0.05,
          duplicateShare: 0.05,
        },
        () => [],
        undefined,
      );
      const changes = await p.publish(60);
      return {
        changes,
        truth: [...p.groundTruth().values()].map((t) => ({
          ...t,
          versions: t.versions.map((v) => ({ ...v, etag: v.changeType === 'created' ? v.etag : 'x' })),
        })),
      };
    };
    const [a, b] = [await run(), await run()];
    expect(a.changes.map((c) => [c.messageId, c.changeType])).toEqual(
      b.changes.map((c) => [c.messageId, c.changeType]),
    );
    expect(a.truth).toEqual(b.truth);
    expect(a.changes.some((c) => c.changeType === 'updated')).toBe(true);
  });

  it('every planted value is really in the current version of its message (new messages and edits)', async () => {
    for (const seed of [1, 2, 3]) {
      const p = new TeamsPublisher(
        { seed, tenantId: 't', sensitiveShare: 0.5, editShare: 0.2, deleteShare: 0.05, duplicateShare: 0 },
        () => [],
        undefined,
      );
      await p.publish(300);
      for (const entry of p.groundTruth().values()) {
        const current = p.message(entry.resource);
        const latest = entry.versions.at(-1);
        expect(current?.etag).toBe(latest?.etag);
        for (const planted of latest?.planted ?? []) expect(JSON.stringify(current)).toContain(planted.value);
      }
    }
  });
});
