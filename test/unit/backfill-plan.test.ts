import { describe, expect, it } from 'vitest';
import { changeTypeOf, exportQuery, gapKey, inGap, walkFor } from '../../src/backfill/index.js';

describe('backfill plan', () => {
  it('walks tenant-wide, per-channel and per-user resources, and refuses the rest with a reason', () => {
    expect(walkFor('/teams/getAllMessages?model=A')).toEqual({ kind: 'all-channels' });
    expect(walkFor('/chats/getAllMessages?model=B')).toEqual({ kind: 'all-chats' });
    expect(walkFor('/teams/t1/channels/19%3Ac%40thread.tacv2/messages')).toEqual({
      kind: 'channel',
      teamId: 't1',
      channelId: '19:c@thread.tacv2',
    });
    expect(walkFor('/users/u1/chats/getAllMessages?model=B')).toEqual({ kind: 'user-chats', userId: 'u1' });
    expect(walkFor('/chats/19:x@thread.v2/messages')).toMatchObject({ kind: 'unsupported' });
    expect(walkFor('/teams/%E0%A4%A/channels/c/messages')).toMatchObject({ kind: 'unsupported' });
  });

  it('keeps messages changed after the gap start up to its end, never deleted ones', () => {
    const gap = { from: '2026-11-23T08:00:00Z', to: '2026-11-23T09:00:00Z' };
    expect(inGap({ lastModifiedDateTime: '2026-11-23T08:00:00Z' }, gap)).toBe(false);
    expect(inGap({ lastModifiedDateTime: '2026-11-23T08:00:00.001Z' }, gap)).toBe(true);
    expect(inGap({ lastModifiedDateTime: '2026-11-23T09:00:00Z' }, gap)).toBe(true);
    expect(inGap({ lastModifiedDateTime: '2026-11-23T09:00:00.001Z' }, gap)).toBe(false);
    expect(
      inGap({ lastModifiedDateTime: '2026-11-23T08:30:00Z', deletedDateTime: '2026-11-23T08:30:00Z' }, gap),
    ).toBe(false);
    expect(inGap({}, gap)).toBe(false);
  });

  it('names the change a notification would have carried (ids match the worker’s) and keys gaps stably', () => {
    expect(changeTypeOf({ createdDateTime: 'a', lastModifiedDateTime: 'a', lastEditedDateTime: null })).toBe(
      'created',
    );
    expect(changeTypeOf({ createdDateTime: 'a', lastModifiedDateTime: 'b', lastEditedDateTime: 'b' })).toBe(
      'updated',
    );
    const gap = { resource: '/teams/getAllMessages?model=A', from: 'f', to: 't', reason: 'missed' as const };
    expect(gapKey(gap)).toBe(gapKey({ ...gap }));
    expect(gapKey(gap)).not.toBe(gapKey({ ...gap, to: 't2' }));
  });
  it('asks the export APIs for the window with the subscription’s payment model, the end included', () => {
    const q = exportQuery({
      resource: '/chats/getAllMessages?model=A',
      from: '2026-11-23T08:00:00Z',
      to: '2026-11-23T09:00:00Z',
    });
    expect(decodeURIComponent(q)).toBe(
      'model=A&$filter=lastModifiedDateTime gt 2026-11-23T08:00:00.000Z and lastModifiedDateTime lt 2026-11-23T09:00:00.001Z',
    );
    expect(
      exportQuery({
        resource: '/users/u1/chats/getAllMessages',
        from: '2026-11-23T08:00:00Z',
        to: '2026-11-23T09:00:00Z',
      }).startsWith('model='),
    ).toBe(false);
  });
});
