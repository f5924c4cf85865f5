import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The fourteenth blind set (secrets pasted into conversation rather than configuration files: tokens, keys,
// connection strings, SAS links, JWTs and PEM keys in sentences, next to talk about secrets, references, hashes,
// documented examples and redacted values) was written from the findings contract (dlp-detection.md §9) without
// reading the engine or the other sets; see test/fixtures/dlp-blind-14/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-14/cases.jsonl');

describe('DLP fourteenth blind labelled set (test/fixtures/dlp-blind-14/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 100);
});
