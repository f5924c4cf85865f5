import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The eighth blind set (Teams markup in EN/DE/FR/ES: values split by tags and entities, only in hrefs, in table
// cells under their header, in lists, quoted replies and code blocks, buried in long messages; the same tricks
// around ids, amounts, hashes, test values and unscanned attributes) was written from the findings contract
// (dlp-detection.md §9) without reading the engine or the other sets; see test/fixtures/dlp-blind-8/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-8/cases.jsonl');

describe('DLP eighth blind labelled set (test/fixtures/dlp-blind-8/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 110);
});
