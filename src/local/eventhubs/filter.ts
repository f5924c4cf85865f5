/**
 * Receiver start positions. The client encodes its `EventPosition` as an AMQP selector filter string
 * `amqp.annotation.<field> <op> '<value>'` (eventhubs-amqp.md §5.2); this parses it into a position
 * the partition log can resolve. Pure.
 */
export type StartPosition =
  | { kind: 'offset'; offset: number; inclusive: boolean }
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'sequence'; sequenceNumber: number; inclusive: boolean }
  | { kind: 'enqueuedTime'; timeMs: number; inclusive: boolean };

export const SELECTOR_FILTER_KEY = 'apache.org:selector-filter:string';

const EXPRESSION =
  /^\s*amqp\.annotation\.(x-opt-offset|x-opt-sequence-number|x-opt-enqueued-time)\s*(>=|>|=)\s*'([^']*)'\s*$/;

export class FilterError extends Error {
  override name = 'FilterError';
}

export function parseSelectorFilter(expression: string): StartPosition {
  const match = EXPRESSION.exec(expression);
  if (!match) throw new FilterError(`The filter expression '${expression}' is not supported.`);
  const [, field, op, value = ''] = match;
  const inclusive = op !== '>';
  if (field === 'x-opt-offset') {
    if (value === '@latest') return { kind: 'latest' };
    if (!/^-?\d+$/.test(value))
      throw new FilterError(`The offset '${value}' in the filter expression is not valid.`);
    const offset = Number(value);
    if (offset === -1) return { kind: 'earliest' };
    if (offset < -1) throw new FilterError(`The offset '${value}' in the filter expression is not valid.`);
    return { kind: 'offset', offset, inclusive };
  }
  if (!/^-?\d+$/.test(value))
    throw new FilterError(`The value '${value}' for '${field}' in the filter expression is not valid.`);
  const n = Number(value);
  if (field === 'x-opt-sequence-number') return { kind: 'sequence', sequenceNumber: n, inclusive };
  return { kind: 'enqueuedTime', timeMs: n, inclusive };
}

/** Pull the selector expression out of an attach `source.filter` as rhea presents it on the server. */
export function selectorFromSourceFilter(filter: unknown): string | undefined {
  if (!filter || typeof filter !== 'object') return undefined;
  const entry = (filter as Record<string, unknown>)[SELECTOR_FILTER_KEY];
  if (entry === undefined || entry === null) return undefined;
  if (typeof entry === 'string') return entry;
  const value = (entry as { value?: unknown }).value;
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') {
    return (value as { value: string }).value;
  }
  return undefined;
}
