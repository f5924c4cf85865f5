import { afterAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/log.js';
import { WorkerMetrics } from '../../src/ops/metrics.js';
import { FileSink } from '../../src/sinks/file-sink.js';
import { SinkSet } from '../../src/sinks/sink-set.js';
import { readFindings, sampleFinding, tempDir } from '../e2e/worker-helpers.js';

const finding = (id: string) => sampleFinding(id);

async function counterValue(metrics: WorkerMetrics, name: string): Promise<number> {
  const text = await metrics.registry.metrics();
  return Number(new RegExp(`^${name}\\{sink="file"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

describe('sink set duplicate accounting', () => {
  const dir = tempDir('gdlp-sinkset-');
  afterAll(() => dir.remove());

  it('counts each concurrent write’s own duplicates once (group commit shares one append)', async () => {
    const sink = new FileSink({ path: `${dir.path}/findings.jsonl` });
    const metrics = new WorkerMetrics();
    const sinks = new SinkSet([sink], {
      requiredBackoff: { baseMs: 1, maxMs: 5, maxAttempts: 3 },
      bestEffortBackoff: { baseMs: 1, maxMs: 5, maxAttempts: 3 },
      logger: createSilentLogger(),
      metrics,
    });
    expect(await sinks.deliver([finding('a'), finding('b')])).toBe('delivered');
    // Three writers at once: one replays a and b, one replays a next to a new id, one is all new.
    const results = await Promise.all([
      sinks.deliver([finding('a'), finding('b')]),
      sinks.deliver([finding('a'), finding('c')]),
      sinks.deliver([finding('d'), finding('e')]),
    ]);
    expect(results).toEqual(['delivered', 'delivered', 'delivered']);
    expect(await counterValue(metrics, 'tdlp_dedup_hits_total')).toBe(3);
    expect(await counterValue(metrics, 'tdlp_sink_findings_written_total')).toBe(5);
    expect(await counterValue(metrics, 'tdlp_sink_errors_total')).toBe(0);
    expect(sink.duplicatesSkipped).toBe(3);
    expect(readFindings(`${dir.path}/findings.jsonl`).map((f) => f.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
