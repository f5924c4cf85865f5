/**
 * Offline lint of the Dockerfile with dockerfile-ast (no Docker engine here, so the image is never built in tests):
 * multi-stage, pinned Node 24 slim base, production-only runtime, non-root user, init process, no secrets.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Copy, type Dockerfile, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { containerNodeFlags } from '../../bench/pipeline.bench.js';
import { readRepoFile, repoRoot } from './deploy-support.js';

const source = readRepoFile('Dockerfile');
const dockerfile: Dockerfile = DockerfileParser.parse(source);

const SECRET_NAME = /secret|password|passwd|token|connection_?string|api_?key|access_?key|private_?key|sas/i;
const SECRET_VALUE = /AccountKey=|SharedAccessKey=|SharedAccessSignature|-----BEGIN|sig=|Password=/i;

/** Initial ARG defaults (ARGs before the first FROM), used to resolve `${NAME}` in FROM lines. */
function initialArgs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    const name = property?.getName();
    const value = property?.getValue();
    if (name && value) out.set(name, value);
  }
  return out;
}

function resolve(text: string): string {
  const args = initialArgs();
  return text.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => args.get(name) ?? whole);
}

interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

/** Instructions grouped by build stage (each FROM starts one). */
function stages(): Stage[] {
  const out: Stage[] = [];
  const froms = dockerfile.getFROMs();
  for (const instruction of dockerfile.getInstructions()) {
    const from = froms.find((f) => f.getRange().start.line === instruction.getRange().start.line);
    if (from) {
      out.push({ image: resolve(from.getImage() ?? ''), name: from.getBuildStage(), instructions: [] });
      continue;
    }
    out.at(-1)?.instructions.push(instruction);
  }
  return out;
}

function runtime(): Stage {
  const last = stages().at(-1);
  if (!last) throw new Error('Dockerfile has no stage');
  return last;
}

function argsOf(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? '';
}

function ofKeyword(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

describe('Dockerfile', () => {
  it('parses and is multi-stage: a build stage and a runtime stage that copies from it', () => {
    const all = stages();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.map((s) => s.name)).toEqual(expect.arrayContaining(['build', 'runtime']));
    const copiesFromBuild = (ofKeyword(runtime(), 'COPY') as Copy[]).filter((c) =>
      c.getFlags().some((f) => f.getName() === 'from' && f.getValue() === 'build'),
    );
    expect(copiesFromBuild.map(argsOf)).toEqual(['/app/dist ./dist']);
  });

  it('uses a Node 24 slim base pinned to an exact version in every stage, never latest', () => {
    for (const stage of stages()) {
      expect(stage.image, stage.name ?? '').toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
      expect(stage.image).not.toMatch(/:latest|^node$|^node@/);
    }
    expect(source).not.toMatch(/:latest\b/);
    // exactly one place to bump; .ci/run tests with the same version
    expect(source.match(/^ARG NODE_VERSION=(.+)$/gm)).toHaveLength(1);
    expect(initialArgs().get('NODE_VERSION')).toMatch(/^24\.\d+\.\d+$/);
    expect(readRepoFile('.ci/run')).toMatch(/ARG NODE_VERSION=/);
  });

  it('compiles in the build stage with dev dependencies', () => {
    const build = stages().find((s) => s.name === 'build') as Stage;
    const runs = ofKeyword(build, 'RUN').map(argsOf);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  it('runs production dependencies and compiled output only, with NODE_ENV=production', () => {
    const stage = runtime();
    const env = new Map(
      ofKeyword(stage, 'ENV').flatMap((e) =>
        (e as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] })
          .getProperties()
          .map((p) => [p.getName(), p.getValue()]),
      ),
    );
    expect(env.get('NODE_ENV')).toBe('production');
    const runs = ofKeyword(stage, 'RUN').map(argsOf);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    const copied = ofKeyword(stage, 'COPY').flatMap((c) => argsOf(c).split(/\s+/).slice(0, -1));
    expect(copied.sort()).toEqual(['/app/dist', 'bin', 'package-lock.json', 'package.json']);
    expect(ofKeyword(stage, 'ADD')).toEqual([]);
  });

  it('skips install scripts safely: no production dependency has one', () => {
    const lock = JSON.parse(readRepoFile('package-lock.json')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean; hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, meta]) => path !== '' && meta.hasInstallScript && !meta.dev && !meta.devOptional)
      .map(([path]) => path);
    expect(withScripts).toEqual([]);
  });

  it('runs as a non-root user', () => {
    const stage = runtime();
    const users = ofKeyword(stage, 'USER').map(argsOf);
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1) as string;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // the USER switch comes before the entry point is declared
    const userLine = ofKeyword(stage, 'USER').at(-1)?.getRange().start.line ?? Number.POSITIVE_INFINITY;
    const entryLine = ofKeyword(stage, 'ENTRYPOINT')[0]?.getRange().start.line ?? -1;
    expect(userLine).toBeLessThan(entryLine);
  });

  it("gives the pipeline bench the ENTRYPOINT's node flags, so the bench measures the worker as the image runs it", () => {
    expect(containerNodeFlags(source)).toEqual(['--max-semi-space-size=16']);
    expect(containerNodeFlags('ENTRYPOINT ["node", "/app/bin/graph-dlp.js"]')).toEqual([]);
  });

  it('starts `graph-dlp run` in exec form under an init process (tini), exposing the health port', () => {
    const entrypoints = dockerfile.getENTRYPOINTs();
    const cmds = dockerfile.getCMDs();
    expect(entrypoints).toHaveLength(1);
    expect(cmds).toHaveLength(1);
    const entry = (entrypoints[0] as Instruction & { getJSONStrings(): { getJSONValue(): string }[] })
      .getJSONStrings()
      .map((s) => s.getJSONValue());
    const cmd = (cmds[0] as Instruction & { getJSONStrings(): { getJSONValue(): string }[] })
      .getJSONStrings()
      .map((s) => s.getJSONValue());
    expect(entry).toEqual([
      '/usr/bin/tini',
      '--',
      'node',
      '--max-semi-space-size=16',
      '/app/bin/graph-dlp.js',
    ]);
    expect(cmd).toEqual(['run']);
    expect(
      ofKeyword(runtime(), 'RUN')
        .map(argsOf)
        .some((r) => /apt-get install[^&]*\btini\b/.test(r)),
    ).toBe(true);
    // node directly, not npm (npm does not forward SIGTERM)
    expect([...entry, ...cmd].join(' ')).not.toMatch(/\bnpm\b/);
    const exposed = ofKeyword(runtime(), 'EXPOSE').map(argsOf);
    expect(exposed).toEqual(['8080']);
    expect(source).toMatch(/GDLP_HEALTH_PORT=8080/);
  });

  it('puts no secrets in ENV or ARG', () => {
    const problems: string[] = [];
    for (const instruction of dockerfile.getInstructions()) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'ENV' && keyword !== 'ARG') continue;
      const text = argsOf(instruction);
      for (const name of text.match(/[A-Za-z_][A-Za-z0-9_]*(?==)/g) ?? [text.split(/\s|=/)[0] ?? '']) {
        if (SECRET_NAME.test(name)) problems.push(`${keyword} ${name}`);
      }
      if (SECRET_VALUE.test(text)) problems.push(`${keyword} value looks like a secret`);
    }
    expect(problems).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const lines = readRepoFile('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  it('is an allow-list of exactly what the build reads', () => {
    expect(lines[0]).toBe('*');
    const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    expect(allowed.sort()).toEqual([
      'bin/',
      'package-lock.json',
      'package.json',
      'src/',
      'tsconfig.build.json',
      'tsconfig.json',
    ]);
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', '**/.local-stack']));
  });
});

describe('bin/graph-dlp.js in the image layout', () => {
  it('runs dist/ when src/ is absent (the runtime stage ships no src/ and no tsx)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdlp-image-layout-'));
    try {
      mkdirSync(join(dir, 'bin'));
      mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
      copyFileSync(join(repoRoot, 'bin', 'graph-dlp.js'), join(dir, 'bin', 'graph-dlp.js'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(
        join(dir, 'dist', 'cli', 'main.js'),
        "export async function main(argv) { process.stdout.write('dist main ' + JSON.stringify(argv)); return 3; }\n",
      );
      const result = spawnSync(process.execPath, [join(dir, 'bin', 'graph-dlp.js'), 'run', '--flag'], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('dist main ["run","--flag"]');
      expect(result.status).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.ci/run', () => {
  const script = readRepoFile('.ci/run');

  it("keeps README's test command and then runs the unit tests under the Dockerfile's Node", () => {
    const lines = script.split('\n');
    const ci = lines.indexOf('npm ci --no-audit --no-fund');
    const test = lines.indexOf('npm test');
    const node24 = lines.findIndex((l) => l.includes('vitest.mjs run test/unit'));
    expect(ci).toBeGreaterThan(0);
    expect(test).toBeGreaterThan(ci);
    expect(node24).toBeGreaterThan(test);
    expect(script).toMatch(/set -euo pipefail/);
  });

  it('is valid bash and extracts the same Node version the Dockerfile pins', () => {
    expect(spawnSync('bash', ['-n', join(repoRoot, '.ci', 'run')]).status).toBe(0);
    const extraction = /runtime_node_version="\$\((sed [^)]*)\)"/.exec(script)?.[1];
    expect(extraction).toBeDefined();
    const result = spawnSync('bash', ['-c', extraction as string], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stdout.trim()).toBe(/^ARG NODE_VERSION=(.+)$/m.exec(source)?.[1]);
    expect(result.stdout.trim()).toMatch(/^24\.\d+\.\d+$/);
  });
});
