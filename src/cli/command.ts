import { type ParseArgsConfig, parseArgs } from 'node:util';

/** What a CLI command needs from the outside world; tests pass their own streams. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** Every command module exports one of these as `command`. `run` returns the process exit code. */
export interface CliCommand {
  /** One line for the top-level `--help` list. */
  summary: string;
  /** Full `--help` text, including options with defaults and units. */
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
  /** True when `run` answers `--help` itself (command groups that print a subcommand's own usage). */
  handlesOwnHelp?: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** `node:util` parseArgs with our conventions: strict, `--help` handled by the caller, clear usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A whole-number flag within [min, max], or `fallback` when absent; a usage error names the flag. */
export function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got '${value}')`);
  return Number(value);
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}

/**
 * Resolves when SIGINT or SIGTERM arrives (or the returned `dispose` is called). Long-running commands
 * await this and then close their resources in order.
 */
export function waitForShutdownSignal(): { signal: Promise<NodeJS.Signals>; dispose: () => void } {
  let resolveSignal!: (s: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    resolveSignal = resolve;
  });
  const onSignal = (s: NodeJS.Signals) => resolveSignal(s);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
