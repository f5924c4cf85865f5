#!/usr/bin/env node
// Entry point. A source checkout (src/ present, tsx installed) runs the TypeScript directly so a stale
// dist/ can never shadow the code you are editing; an installed package or the container runs dist/.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceEntry = join(root, 'src', 'cli', 'main.ts');
const builtEntry = join(root, 'dist', 'cli', 'main.js');

/** Grace for asynchronous log lines and SDK sockets to close once a command has finished its work. */
const EXIT_GRACE_MS = 2000;

async function load() {
  if (existsSync(sourceEntry)) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
      return import(pathToFileURL(sourceEntry).href);
    } catch (err) {
      if (!existsSync(builtEntry)) throw err;
    }
  }
  return import(pathToFileURL(builtEntry).href);
}

const { main } = await load();
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Output first: never cut a pipe short.
for (const stream of [process.stdout, process.stderr]) {
  if (stream.writableNeedDrain) await once(stream, 'drain');
}
// A command has returned its exit code: its work is done and drained. A client library's lingering
// reconnect timer must not keep the process past the platform's shutdown grace period.
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
