import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The twelfth blind set (the keyword-dependent types and where their context sits: before or after the value,
// sentences earlier, in table headers and list labels, abbreviated, misspelt, negated, in other languages) was
// written from the findings contract (dlp-detection.md §9) without reading the engine or the other sets; see
// test/fixtures/dlp-blind-12/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-12/cases.jsonl');

describe('DLP twelfth blind labelled set (test/fixtures/dlp-blind-12/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 100);
});
