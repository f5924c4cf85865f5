import type { ScanContext } from './context.js';
import { KW_NOT_PHONE } from './keywords.js';
import type { RawMatch } from './types.js';

/**
 * A detector finds candidates of one family in one segment and pushes validated matches to `out`.
 * Detectors gate themselves on a cheap literal test (indexOf) before running any regex, and run only
 * anchored or literal-prefixed regexes, so a message without triggers costs a few indexOf calls.
 */
export interface Detector {
  /** Stable id (built-in: family name; custom: the rule id). */
  readonly id: string;
  /** Types this detector can emit. */
  readonly types: readonly string[];
  scan(ctx: ScanContext, out: RawMatch[]): void;
}

/** Extra, engine-internal ranking hint used to settle overlaps between ambiguous numeric types. */
export interface RankedMatch extends RawMatch {
  /** Distance (characters) to the corroborating keyword; smaller wins between same-span ambiguous types. */
  evidenceDistance?: number;
}

export function pushMatch(
  out: RawMatch[],
  ctx: ScanContext,
  type: string,
  detectorId: string,
  start: number,
  end: number,
  confidence: number,
  evidenceDistance?: number,
): void {
  const m: RankedMatch = { type, detectorId, start, end, value: ctx.text.slice(start, end), confidence };
  if (evidenceDistance !== undefined) m.evidenceDistance = evidenceDistance;
  out.push(m);
}

/**
 * An identifier label (ID, PO, order, invoice, ticket, case…; KW_NOT_PHONE) right before a number, nearer than the
 * type's own keyword (`keywordDistance`): the number is that identifier.
 */
export function namedByIdLabel(
  ctx: ScanContext,
  start: number,
  end: number,
  keywordDistance: number,
): boolean {
  const label = ctx.keywordDistance(KW_NOT_PHONE, start, end, 6, 0);
  return label >= 0 && label < keywordDistance;
}
