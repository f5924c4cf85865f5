#!/usr/bin/env node
// Entry point. A source checkout (src/ present, tsx installed) runs the TypeScript directly so a stale
// dist/ can never shadow the code you are editing; an installed package or the container runs dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceEntry = join(root, 'src', 'cli', 'main.ts');
const builtEntry = join(root, 'dist', 'cli', 'main.js');

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
process.exitCode = await main(process.argv.slice(2));
