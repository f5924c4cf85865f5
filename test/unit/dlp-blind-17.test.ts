import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The seventeenth blind set (the exact value boundaries of the secret types: SAS sig values, connection strings,
// quoted and braced passwords, URI passwords, PEM kinds, JWTs and tokens before punctuation, in JSON, YAML, .env,
// curl and tables) was written from the findings contract (dlp-detection.md §9) without reading the engine or the
// other sets; see test/fixtures/dlp-blind-17/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-17/cases.jsonl');

describe('DLP seventeenth blind labelled set (test/fixtures/dlp-blind-17/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 90);
});
