import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDlpEngine } from '../../src/dlp/index.js';
import { loadCases, score } from '../fixtures/dlp-independent/score.js';

// The third blind set (real Teams HTML: tables, quoted replies, codeblocks, mentions, hrefs) was written from the findings contract (dlp-detection.md §9) without reading the
// engine or the other sets; see test/fixtures/dlp-blind-3/README.md. A guard against regressions: both
// the micro-F1 target and zero findings on its hard negatives.
const casesPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/dlp-blind-3/cases.jsonl');

describe('DLP third blind labelled set (test/fixtures/dlp-blind-3/cases.jsonl)', () => {
  const engine = createDlpEngine();
  const cases = loadCases(casesPath);
  const found = new Map(
    cases.map((c) => [c.id, engine.scanHtml(c.html).map((m) => ({ type: m.type, value: m.value }))]),
  );
  const result = score(cases, found);

  it('reaches micro-F1 ≥ 0.95 over all 26 canonical types', () => {
    const misses = [
      ...result.falsePositives.map((m) => `FP ${m.id} ${m.type}`),
      ...result.falseNegatives.map((m) => `FN ${m.id} ${m.type}`),
    ];
    expect(new Set(cases.flatMap((c) => c.expected.map((e) => e.type))).size).toBe(26);
    expect(result.f1, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('reports nothing on its hard negatives (documented examples, test cards, placeholders, ids, hashes)', () => {
    const negatives = cases.filter((c) => c.expected.length === 0);
    expect(negatives.length).toBeGreaterThan(100);
    const noisy = negatives
      .map((c) => ({ id: c.id, types: (found.get(c.id) ?? []).map((f) => f.type) }))
      .filter((c) => c.types.length > 0);
    expect(noisy).toEqual([]);
  });
});
