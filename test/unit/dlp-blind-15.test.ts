import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The fifteenth blind set (false alarms in ordinary work chat: 203 of its 264 messages have no finding and each is
// written to tempt a detector with numbers, keyword look-alikes, addresses that are not, documented examples and
// out-of-scope data) was written from the findings contract (dlp-detection.md §9) without reading the engine or the
// other sets; see test/fixtures/dlp-blind-15/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-15/cases.jsonl');

describe('DLP fifteenth blind labelled set (test/fixtures/dlp-blind-15/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 190);
});
