import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The eighteenth blind set (IT operations and security-incident chat: monitoring alerts, firewall, proxy and auth
// logs, SIEM results, pcap summaries, on-call rotas, PCI logs, config diffs, CLI output) was written from the
// findings contract (dlp-detection.md §9) without reading the engine or the other sets; see
// test/fixtures/dlp-blind-18/README.md.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-18/cases.jsonl');

describe('DLP eighteenth blind labelled set (test/fixtures/dlp-blind-18/cases.jsonl)', () => {
  guardLabelledSet(casesPath, 100);
});
