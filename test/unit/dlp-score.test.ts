import { describe, expect, it } from 'vitest';
import { formatReport, loadCases, scoreCases } from '../fixtures/dlp/score.js';

describe('DLP labelled set (test/fixtures/dlp/cases.jsonl)', () => {
  const report = scoreCases(loadCases());

  it('reaches micro-F1 ≥ 0.95 with every canonical type represented', () => {
    process.stdout.write(`${formatReport(report)}\n`);
    expect(report.perType.map((t) => t.type)).toHaveLength(26);
    expect(report.micro.f1).toBeGreaterThanOrEqual(0.95);
  });

  it('has no false positive or false negative on the labelled set (regression guard: lists any miss)', () => {
    expect(report.errors.filter((e) => e.kind !== 'offset')).toEqual([]);
  });

  it('reports nothing on hard-negative messages (documented examples, placeholders, hashes, GUIDs, versions)', () => {
    expect(report.negativeCasesWithFindings).toBe(0);
  });

  it('reports values that are exact substrings of the scannable content at their offsets', () => {
    expect(report.offsetErrors).toBe(0);
  });
});
