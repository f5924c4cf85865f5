import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The sixth blind set (personal and financial data in HR, payroll, finance, support, sales and travel-desk chats:
// cards of every brand, IBANs of many countries, SSNs, routing and account numbers, passports, NINOs, national and
// international phones, next to order, invoice, tracking, VAT, SIREN/SIRET and other ids that must not alarm) was
// written from the findings contract (dlp-detection.md §9) without reading the engine or the other sets; see
// test/fixtures/dlp-blind-6/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-6/cases.jsonl');

describe('DLP sixth blind labelled set (test/fixtures/dlp-blind-6/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 130);
});
