import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphCredential } from '../../src/graph/credential.js';
import { createGraphClient } from '../../src/graph/index.js';
import { type GraphSimulator, startGraphSimulator } from '../../src/local/graph/index.js';
import { createGraphMessageFetcher, messagePathFor } from '../../src/worker/message-fetcher.js';

describe('fetching messages of notifications without resource data, against the Graph simulator', () => {
  let sim: GraphSimulator;
  beforeAll(async () => {
    sim = await startGraphSimulator({ seed: 11 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const fetcherFor = (maxRetries = 0) =>
    createGraphMessageFetcher(
      createGraphClient({
        baseUrl: sim.url,
        credential: createGraphCredential({ baseUrl: sim.url }),
        retry: { maxRetries, baseDelayMs: 5, maxDelayMs: 20 },
      }),
    );

  it('GETs chat messages, channel posts and replies by the notification resource, as Graph has them now', async () => {
    const changes = (await sim.publish(40)).filter((c) => c.changeType !== 'deleted');
    const kinds = new Set(changes.map((c) => c.resource.split('(')[0]));
    expect(kinds).toEqual(new Set(['chats', 'teams']));
    expect(changes.some((c) => c.resource.includes('/replies('))).toBe(true);
    const fetcher = fetcherFor();
    for (const c of changes.slice(0, 12)) {
      const message = await fetcher.fetchMessage(c.resource);
      expect(message?.id).toBe(c.messageId);
      expect(message?.body).toBeTypeOf('object');
    }
  });

  it('answers undefined for a message Graph no longer has, and fails with a coded error otherwise', async () => {
    const fetcher = fetcherFor();
    expect(await fetcher.fetchMessage("chats('19:gone@unq.gbl.spaces')/messages('1')")).toBeUndefined();
    const [change] = await sim.publish(1);
    sim.failNext(1, 403, 'Forbidden', { method: 'GET' });
    await expect(fetcher.fetchMessage(change!.resource)).rejects.toMatchObject({
      code: 'GDLP_GRAPH_FORBIDDEN',
      kind: 'fatal',
    });
    await expect(fetcher.fetchMessage("users('x')/messages('1')")).rejects.toMatchObject({
      code: 'GDLP_FETCH_UNSUPPORTED_RESOURCE',
      kind: 'poison',
    });
  });

  it('retries throttling with Retry-After, then returns the message', async () => {
    const [change] = (await sim.publish(3)).filter((c) => c.changeType !== 'deleted');
    sim.throttleNext(2, 0);
    const message = await fetcherFor(3).fetchMessage(change!.resource);
    expect(message?.id).toBe(change!.messageId);
  });

  it('builds Graph paths with encoded ids and only for Teams message resources', () => {
    expect(messagePathFor("chats('19:a_b@unq.gbl.spaces')/messages('1612289765949')")).toBe(
      '/chats/19%3Aa_b%40unq.gbl.spaces/messages/1612289765949',
    );
    expect(messagePathFor("teams('t1')/channels('19:c@thread.tacv2')/messages('5')/replies('6')")).toBe(
      '/teams/t1/channels/19%3Ac%40thread.tacv2/messages/5/replies/6',
    );
    expect(messagePathFor("chats('a')/messages('1')/../../users")).toBeUndefined();
    expect(messagePathFor("chats('a/../../x')/messages('1')")).toBe('/chats/a%2F..%2F..%2Fx/messages/1');
    expect(messagePathFor('subscriptions')).toBeUndefined();
  });
});
