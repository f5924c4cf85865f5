import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The second blind set was written from the findings contract (dlp-detection.md §9) without reading the
// engine or the other sets; see test/fixtures/dlp-blind-2/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-2/cases.jsonl');

describe('DLP second blind labelled set (test/fixtures/dlp-blind-2/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 100);
});
