import { describe, expect, it } from 'vitest';
import { decideAdmission, type RegisteredReceiver } from '../../src/local/eventhubs/receiverRegistry.js';

const r = (receiverName: string, epoch?: number): RegisteredReceiver => ({ receiverName, epoch });

describe('receiver admission per consumer group and partition (epoch rules)', () => {
  it('admits anyone when the partition has no receivers', () => {
    expect(decideAdmission([], r('a'), 't')).toEqual({ admitted: true, evict: [] });
  });

  it('lets an equal or higher epoch steal every existing receiver with amqp:link:stolen', () => {
    const old = r('a', 0);
    const decision = decideAdmission([old], r('b', 0), 't');
    expect(decision.admitted).toBe(true);
    if (decision.admitted) {
      expect(decision.evict.map((e) => e.receiver)).toEqual([old]);
      expect(decision.evict[0]?.error.condition).toBe('amqp:link:stolen');
      expect(decision.evict[0]?.error.description).toMatch(
        /New receiver 'b' with higher epoch of '0' is created hence current receiver 'a' with epoch '0' is getting disconnected/,
      );
    }
  });

  it('refuses a lower epoch and a non-epoch receiver while an epoch receiver exists', () => {
    const lower = decideAdmission([r('a', 5)], r('b', 4), 't');
    expect(lower).toMatchObject({ admitted: false, error: { condition: 'amqp:link:stolen' } });
    const none = decideAdmission([r('a', 5)], r('b'), 't');
    expect(none).toMatchObject({ admitted: false, error: { condition: 'amqp:link:stolen' } });
    expect(!none.admitted && none.error.description).toMatch(/non-epoch receiver is not allowed/);
  });

  it('lets an epoch receiver displace non-epoch receivers', () => {
    const decision = decideAdmission([r('a'), r('b')], r('c', 1), 't');
    expect(decision.admitted && decision.evict).toHaveLength(2);
  });

  it('refuses the sixth non-epoch receiver with the quota error listing the connected ones', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((n) => r(n));
    expect(decideAdmission(five.slice(0, 4), r('e'), 't').admitted).toBe(true);
    const sixth = decideAdmission(five, r('f'), 't');
    expect(sixth).toMatchObject({ admitted: false, error: { condition: 'amqp:resource-limit-exceeded' } });
    expect(!sixth.admitted && sixth.error.description).toMatch(
      /which is 5\. List of connected receivers - a, b, c, d, e\./,
    );
  });
});
