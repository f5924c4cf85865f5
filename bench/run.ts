/**
 * Benchmark runner: `npm run bench -- <name> [options]` loads `bench/<name>.bench.ts`, runs it, prints
 * progress on stderr, and prints exactly one JSON line last on stdout (also written to
 * `bench/results/<name>.json`):
 *   {"bench": name, "value": n, "unit": "...", "ceiling": n|null, "ratio": n|null, "target": n|null, ...extra}
 * `ratio` is value / ceiling where the benchmark measures its own ceiling in the same run, so results
 * compare across machines; `target` is the ratio (or value) the issue asks for.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchResult {
  value: number;
  unit: string;
  ceiling: number | null;
  ratio: number | null;
  target: number | null;
  /** Further figures (per key size, latency percentiles, RSS). */
  extra?: Record<string, unknown>;
}

export interface BenchModule {
  description: string;
  run(args: string[], progress: (line: string) => void): Promise<BenchResult>;
}

const benchDir = dirname(fileURLToPath(import.meta.url));

async function listBenches(): Promise<string[]> {
  return (await readdir(benchDir))
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const names = await listBenches();
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(
      `Usage: npm run bench -- <name> [options]\n\nBenchmarks: ${names.join(', ') || '(none yet)'}\n`,
    );
    return name ? 0 : 1;
  }
  if (!names.includes(name)) {
    process.stderr.write(`unknown benchmark '${name}'; available: ${names.join(', ')}\n`);
    return 2;
  }
  const mod = (await import(pathToFileURL(join(benchDir, `${name}.bench.ts`)).href)) as BenchModule;
  const progress = (line: string) => process.stderr.write(`[${name}] ${line}\n`);
  progress(mod.description);
  const result = await mod.run(args, progress);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);
  const line = {
    bench: name,
    value: round(result.value),
    unit: result.unit,
    ceiling: round(result.ceiling),
    ratio: round(result.ratio),
    target: result.target,
    ...(result.extra ?? {}),
  };
  const json = JSON.stringify(line);
  await mkdir(join(benchDir, 'results'), { recursive: true });
  await writeFile(join(benchDir, 'results', `${name}.json`), `${json}\n`);
  process.stdout.write(`${json}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
