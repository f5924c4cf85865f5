import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The tenth blind set (look-alikes of the self-identifying types: @ in code and tooling, long digit strings that
// are not phones or cards, dotted numbers that are not addresses, JWT-, PEM-, IBAN- and token-shaped strings that
// fail the contract, next to valid instances written in tricky ways) was written from the findings contract
// (dlp-detection.md §9) without reading the engine or the other sets; see test/fixtures/dlp-blind-10/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-10/cases.jsonl');

describe('DLP tenth blind labelled set (test/fixtures/dlp-blind-10/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 130);
});
