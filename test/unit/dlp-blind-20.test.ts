import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The twentieth blind set (healthcare, insurance, education and public-sector administration: claims, billing,
// benefits, financial aid, casework, with member, policy, claim, NPI, student and case ids that must not alarm) was
// written from the findings contract (dlp-detection.md §9) without reading the engine or the other sets; see
// test/fixtures/dlp-blind-20/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-20/cases.jsonl');

describe('DLP twentieth blind labelled set (test/fixtures/dlp-blind-20/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 90);
});
