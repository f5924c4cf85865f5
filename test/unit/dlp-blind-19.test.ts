import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The nineteenth blind set (customer service, sales and back-office chat about customers: escalations, refunds,
// chargebacks, payroll support, travel desks, KYC, CRM tables, call-backs, forwarded e-mails) was written from the
// findings contract (dlp-detection.md §9) without reading the engine or the other sets; see
// test/fixtures/dlp-blind-19/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-19/cases.jsonl');

describe('DLP nineteenth blind labelled set (test/fixtures/dlp-blind-19/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 110);
});
