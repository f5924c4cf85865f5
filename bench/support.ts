/** Helpers shared by the benchmarks (not a benchmark itself: bench/run.ts only loads `*.bench.ts`). */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `npm run build`, so a benchmark measures the compiled dist/ that ships; returns dist/. Throws with the
 * compiler's output when the build fails (benchmarks offer `--from-sources` instead).
 */
export function buildDist(progress: (line: string) => void, what: string): string {
  progress(`building (npm run build) to measure ${what} compiled, as it ships…`);
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, encoding: 'utf8' });
  if (built.status !== 0)
    throw new Error(
      `npm run build failed (use --from-sources to measure the TypeScript sources):\n${built.stdout}${built.stderr}`,
    );
  return join(repoRoot, 'dist');
}

/**
 * The code a benchmark measures: the compiled dist/ after `npm run build` (what the container runs), or src/
 * through tsx with `--from-sources`. `load('dlp/index')` imports one module of it; `build` names which, for the
 * JSON. Both sides of a ratio must come from the same `load`.
 */
export function measuredCode(
  args: string[],
  progress: (line: string) => void,
  what: string,
): { load: <T>(modulePath: string) => Promise<T>; build: string } {
  const fromSources = args.includes('--from-sources');
  const base = fromSources ? join(repoRoot, 'src') : buildDist(progress, what);
  const ext = fromSources ? 'ts' : 'js';
  return {
    load: async <T>(modulePath: string) =>
      (await import(pathToFileURL(join(base, `${modulePath}.${ext}`)).href)) as T,
    build: fromSources ? 'src (tsx)' : 'dist (compiled)',
  };
}

/** `--name N` from a benchmark's arguments: a positive number, else `fallback`. */
export function positiveOption(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

/**
 * The Event Hubs emulator in its own process (as `graph-dlp emulator eventhubs`), so its CPU is measured
 * apart from the clients'. Resolves once it prints its connection string.
 */
export async function startEmulatorProcess(): Promise<{ child: ChildProcess; connectionString: string }> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'graph-dlp.js'), 'emulator', 'eventhubs', '--port', '0', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const connectionString = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Connection string: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
  return { child, connectionString };
}
