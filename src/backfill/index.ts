export {
  BACKFILL_LEAD_MS,
  type BackfillWalk,
  changeTypeOf,
  exportQuery,
  gapKey,
  inGap,
  walkFor,
} from './plan.js';
export { type BackfillOptions, type GapReport, type GraphLister, runBackfill } from './runner.js';
export {
  BACKFILL_STATUS_BLOB,
  type BackfillStatus,
  type BackfillStatusStore,
  createBackfillStatusStore,
} from './status.js';
