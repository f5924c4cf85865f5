import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The eleventh blind set (whole Teams conversations at a realistic rate of leaks: stand-ups, incidents, onboarding,
// escalations, travel, expenses, vendor bank details, access requests, and people talking about secrets without
// including any) was written from the findings contract (dlp-detection.md §9) without reading the engine or the
// other sets; see test/fixtures/dlp-blind-11/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-11/cases.jsonl');

describe('DLP eleventh blind labelled set (test/fixtures/dlp-blind-11/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 110);
});
