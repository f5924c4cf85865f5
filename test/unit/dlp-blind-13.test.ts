import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The thirteenth blind set (phone numbers, e-mail addresses and cards in everyday chat, worldwide: national and
// international phone styles of sixteen countries with and without a phone word, e-mail forms and look-alikes, card
// layouts and test, masked or invalid numbers) was written from the findings contract (dlp-detection.md §9) without
// reading the engine or the other sets; see test/fixtures/dlp-blind-13/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-13/cases.jsonl');

describe('DLP thirteenth blind labelled set (test/fixtures/dlp-blind-13/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 90);
});
