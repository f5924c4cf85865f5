import { describe, expect, it } from 'vitest';
import {
  FilterError,
  parseSelectorFilter,
  selectorFromSourceFilter,
} from '../../src/local/eventhubs/filter.js';

describe('receiver selector filter parsing', () => {
  it('reads the positions the SDK produces', () => {
    expect(parseSelectorFilter("amqp.annotation.x-opt-offset > '-1'")).toEqual({ kind: 'earliest' });
    expect(parseSelectorFilter("amqp.annotation.x-opt-offset > '@latest'")).toEqual({ kind: 'latest' });
    expect(parseSelectorFilter("amqp.annotation.x-opt-offset > '204'")).toEqual({
      kind: 'offset',
      offset: 204,
      inclusive: false,
    });
    expect(parseSelectorFilter("amqp.annotation.x-opt-offset >= '204'")).toEqual({
      kind: 'offset',
      offset: 204,
      inclusive: true,
    });
    expect(parseSelectorFilter("amqp.annotation.x-opt-sequence-number > '7'")).toEqual({
      kind: 'sequence',
      sequenceNumber: 7,
      inclusive: false,
    });
    expect(parseSelectorFilter("amqp.annotation.x-opt-sequence-number >= '7'")).toEqual({
      kind: 'sequence',
      sequenceNumber: 7,
      inclusive: true,
    });
    expect(parseSelectorFilter("amqp.annotation.x-opt-enqueued-time > '1700000000000'")).toEqual({
      kind: 'enqueuedTime',
      timeMs: 1700000000000,
      inclusive: false,
    });
  });

  it('rejects expressions it does not understand with a clear error', () => {
    expect(() => parseSelectorFilter("amqp.annotation.x-opt-offset > 'abc'")).toThrow(FilterError);
    expect(() => parseSelectorFilter('sys.x = 1')).toThrow(/not supported/);
  });

  it('extracts the expression from the described filter value rhea hands the server', () => {
    const filter = {
      'apache.org:selector-filter:string': {
        descriptor: 77567109365764,
        value: "amqp.annotation.x-opt-offset > '-1'",
      },
    };
    expect(selectorFromSourceFilter(filter)).toBe("amqp.annotation.x-opt-offset > '-1'");
    expect(selectorFromSourceFilter(undefined)).toBeUndefined();
  });
});
