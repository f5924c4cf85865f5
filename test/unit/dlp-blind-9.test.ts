import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The ninth blind set (chat written mostly in German, French and Spanish: keyword-dependent types with their
// context in the local language, key names in local words, local dates, amounts and ids, out-of-scope national
// ids and prose passwords) was written from the findings contract (dlp-detection.md §9) without reading the engine
// or the other sets; see test/fixtures/dlp-blind-9/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-9/cases.jsonl');

describe('DLP ninth blind labelled set (test/fixtures/dlp-blind-9/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 110);
});
