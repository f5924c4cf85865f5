import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The fourth blind set (precision: business chat full of numbers, versions, ids and code that must not alarm)
// was written from the findings contract (dlp-detection.md §9) without reading the engine or the other sets;
// see test/fixtures/dlp-blind-4/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-4/cases.jsonl');

describe('DLP fourth blind labelled set (test/fixtures/dlp-blind-4/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 150);
});
