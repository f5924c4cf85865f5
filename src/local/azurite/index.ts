import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { GraphDlpError } from '../../errors.js';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Folder for blob data and metadata. Default: none, everything in memory (lost on stop). */
  dataDir?: string;
  /** Loopback port. Default: 0, a free port chosen by the OS. */
  port?: number;
  /** How long to wait for Azurite to listen. Default: 30000 ms. */
  startTimeoutMs?: number;
}

export interface AzuriteInstance {
  /** Blob-only connection string for `BlobServiceClient.fromConnectionString` and `ContainerClient`. */
  connectionString: string;
  /** e.g. http://127.0.0.1:41234/devstoreaccount1 */
  blobEndpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The child runs Azurite's own blob entry point, and exits as soon as its stdin closes. Stdin is a pipe
 * from this process, so the kernel closes it whenever we die, even on SIGKILL: no orphaned Azurite.
 */
const CHILD_SOURCE = `
const [azuriteMain, ...args] = process.argv.slice(1);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.argv = [process.argv[0], azuriteMain, ...args];
require(azuriteMain);
`;

const CLOSED = 'Blob service successfully closed';
const LISTENING = /successfully listens on (http:\/\/[^\s]+)/;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous last resort for a normal exit that skipped stop(); SIGKILL is covered by the stdin pipe.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Azurite switches to SQL metadata when AZURITE_DB is set at all; we always want its own LokiJS store. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.AZURITE_DB;
  return env;
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteInstance> {
  const require = createRequire(import.meta.url);
  const azuriteMain = require.resolve('azurite/dist/src/blob/main.js');
  const args = [
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(options.port ?? 0),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--loose',
    '--silent',
  ];
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    args.push('--location', options.dataDir);
  } else {
    args.push('--inMemoryPersistence');
  }
  // Its own process group: a terminal's Ctrl-C goes to our group only, so Azurite outlives the signal
  // long enough for the worker to drain and write its final checkpoints; then stop() ends it.
  const child = spawn(process.execPath, ['-e', CHILD_SOURCE, azuriteMain, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: childEnv(),
  });
  live.add(child);
  installExitHook();
  child.once('exit', () => live.delete(child));

  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new GraphDlpError(
          'GDLP_LOCAL_AZURITE_START_TIMEOUT',
          'fatal',
          `Azurite did not start within ${options.startTimeoutMs ?? 30_000} ms. Output:\n${output}`,
        ),
      );
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new GraphDlpError(
          'GDLP_LOCAL_AZURITE_EXITED',
          'fatal',
          `Azurite exited with code ${code} before listening. Output:\n${output}`,
        ),
      );
    });
  });
  // Keep draining output so a chatty child never blocks on a full pipe; watch for the close confirmation.
  let closed = false;
  const closeWaiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes(CLOSED)) {
      closed = true;
      for (const wake of closeWaiters.splice(0)) wake();
    }
  });
  child.stderr?.resume();

  const port = Number(new URL(url).port);
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}`;
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`;
  let stopping: Promise<void> | undefined;
  return {
    connectionString,
    blobEndpoint,
    port,
    pid: child.pid!,
    stop() {
      // SIGTERM lets Azurite flush its metadata store (needed for a data folder); closing stdin then ends
      // the child, and SIGKILL is the backstop.
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        const endInput = () => child.stdin?.end();
        if (closed) endInput();
        else {
          closeWaiters.push(endInput);
          setTimeout(endInput, 5_000).unref();
          child.kill('SIGTERM');
        }
      });
      return stopping;
    },
  };
}
