import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The twenty-first blind set (short, messy, informal chat: lower case, typos in keywords, abbreviations, emoji
// between words and values, values at the edges, mixed languages) was written from the findings contract
// (dlp-detection.md §9) without reading the engine or the other sets; see test/fixtures/dlp-blind-21/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-21/cases.jsonl');

describe('DLP twenty-first blind labelled set (test/fixtures/dlp-blind-21/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 90);
});
