import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The seventh blind set (content pasted into Teams: e-mail threads and signatures, spreadsheet rows, form dumps,
// helpdesk tickets and log excerpts, next to masked values, ids, user agents, versions and hashes that must not
// alarm) was written from the findings contract (dlp-detection.md §9) without reading the engine or the other
// sets; see test/fixtures/dlp-blind-7/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-7/cases.jsonl');

describe('DLP seventh blind labelled set (test/fixtures/dlp-blind-7/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 130);
});
