import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The sixteenth blind set (written as an outside evaluator would: every type with 6-8 positives in natural messages
// and hard negatives for careless engines: documented examples, placeholders, near-misses of each validator,
// out-of-scope content) was written from the findings contract (dlp-detection.md §9) without reading the engine or
// the other sets; see test/fixtures/dlp-blind-16/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-16/cases.jsonl');

describe('DLP sixteenth blind labelled set (test/fixtures/dlp-blind-16/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 110);
});
