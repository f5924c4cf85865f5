import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The fifth blind set (secrets in developer and operations chat: commit SHAs, digests, integrity strings, GUIDs,
// env references and placeholders that must not alarm, next to real secrets in .env/YAML/JSON/curl/CLI formats)
// was written from the findings contract (dlp-detection.md §9) without reading the engine or the other sets;
// see test/fixtures/dlp-blind-5/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-5/cases.jsonl');

describe('DLP fifth blind labelled set (test/fixtures/dlp-blind-5/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 150);
});
