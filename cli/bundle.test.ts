/**
 * The built CLI (build/bundle-cli.ts) as bin.js runs it: chosen only while it is as new as its
 * sources, and doing what the sources do where its location matters (the training code version, the
 * edge's migrations).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, INPUTS_FILE, type BuildInputs } from '../build/bundle-cli';
import { computeCodeVersion } from '../build/code-version';
// @ts-expect-error: plain JavaScript without declarations (bin.js imports it before any TypeScript loader).
import { builtEntry } from './built-entry.js';

const root = path.join(import.meta.dirname, '..');
let dir: string;
let out: string;
let record: BuildInputs;

/** Runs the built CLI's `main` with `args` in a fresh Node process. */
function runBuilt(
  args: string[],
  onErr?: (text: string, stop: () => void) => void,
): Promise<{ code: number | null; out: string; err: string }> {
  // A script file, not `node -e`: worker threads inherit `--input-type=module`, which would make their CommonJS programs ES modules.
  const child = spawn(process.execPath, [path.join(dir, 'run-built.mjs'), builtEntry(root, out) as string, ...args], {
    cwd: dir,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    onErr?.(stderr, () => child.kill('SIGTERM'));
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out: stdout, err: stderr })));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-bundle-'));
  // Inside the repository, as dist/cli is: the packages the build leaves external resolve from there.
  out = path.join(root, 'dist', `cli-test-${process.pid}`);
  record = await bundleCli(out);
  await writeFile(
    path.join(dir, 'run-built.mjs'),
    'const { main } = await import(process.argv[2]);\nprocess.exitCode = await main(process.argv.slice(3));\n',
  );
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

describe('the built CLI', () => {
  it('lists the repository sources it was built from, and is chosen only while none is newer', async () => {
    expect(record.inputs).toEqual(
      expect.arrayContaining(['cli/main.ts', 'core/features/profile.ts', 'core/bundle/unzip.ts', 'package.json']),
    );
    expect(record.inputs.some((f) => f.startsWith('node_modules/'))).toBe(false);
    expect(builtEntry(root, out)).toBe(`file://${out}/main.js`);
    const stale: BuildInputs = { ...record, builtAt: 0 };
    await writeFile(path.join(out, INPUTS_FILE), JSON.stringify(stale));
    expect(builtEntry(root, out)).toBeNull();
    await writeFile(
      path.join(out, INPUTS_FILE),
      JSON.stringify({ ...record, inputs: [...record.inputs, 'cli/no-such-file.ts'] }),
    );
    expect(builtEntry(root, out)).toBeNull();
    await writeFile(path.join(out, INPUTS_FILE), JSON.stringify(record));
    expect(builtEntry(path.join(dir, 'elsewhere'), out)).toBeNull();
    expect(builtEntry(root, path.join(dir, 'no-build'))).toBeNull();
  });

  it('trains with the code version of the sources, and its edge takes the bundle it publishes', async () => {
    const version = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).version;
    expect((await runBuilt(['--version'])).out.trim()).toBe(version);

    const train = await runBuilt([
      'train',
      '--data',
      'sample:penguins',
      '--target',
      'Species',
      '--model',
      'linear',
      '--epochs',
      '3',
      '--backend',
      'cpu',
      '--no-cache',
      '--out',
      'model',
      '--data-dir',
      'data',
    ]);
    expect(train.code, train.err).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'model', 'report.json'), 'utf8'));
    expect(report.lineage.codeVersion).toBe(computeCodeVersion(root));

    let url = '';
    let key = '';
    let published: Promise<{ code: number | null; out: string; err: string }> | null = null;
    const start = runBuilt(['start', '--port', '0', '--data', 'edge'], (err, stop) => {
      url ||= / at (http:\/\/\S+)/.exec(err)?.[1] ?? '';
      key ||= /\n {2}(fw_\S+)/.exec(err)?.[1] ?? '';
      if (url && key && !published)
        published = runBuilt(['publish', path.join(dir, 'model', 'bundle.zip'), '--edge', url, '--key', key]).finally(
          stop,
        );
    });
    const started = await start;
    expect(started.err).toContain('Flywheel is running at');
    const publish = await published!;
    expect(publish.code, publish.err + started.err).toBe(0);
    expect(publish.out).toMatch(/^published penguins-species v1/);
  }, 60_000);

  it('searches on threads that run the built thread program next to the built CLI', async () => {
    expect(record.inputs).toContain('cli/trial-thread.ts');
    const train = await runBuilt([
      'train',
      '--data',
      'sample:penguins',
      '--target',
      'Species',
      '--budget',
      '15s',
      '--workers',
      '1',
      '--epochs',
      '3',
      '--no-cache',
      '--out',
      'searched',
      '--data-dir',
      'data',
    ]);
    expect(train.code, train.err).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'searched', 'report.json'), 'utf8'));
    expect(report.search.workers).toBe(1);
    expect(report.search.leaderboard.length).toBeGreaterThan(0);
    expect(train.out).toContain(`chose trial ${report.search.chosenTrial}`);
  }, 60_000);

  it('starts `profile` without loading zod (its ~40 ms import was a third of the command start-up)', async () => {
    const files = await readdir(out);
    const text = new Map(
      await Promise.all(
        files
          .filter((f) => f.endsWith('.js'))
          .map(async (f) => [f, await readFile(path.join(out, f), 'utf8')] as const),
      ),
    );
    const profileChunk = [...text.keys()].find((f) => text.get(f)!.includes('// cli/commands/profile.ts'));
    expect(profileChunk).toBeDefined();
    // Every module loaded before the command runs: main.js, the command's chunk, and their static imports.
    const loaded = new Set<string>();
    const visit = (file: string): void => {
      if (loaded.has(file)) return;
      loaded.add(file);
      // `import … from`, `export … from` and bare `import "…"` (a chunk loaded for its side effects).
      for (const m of text.get(file)?.matchAll(/^(?:(?:import|export)\s[^;]*?from\s*|import\s*)["']([^"']+)["']/gm) ??
        []) {
        visit(m[1].startsWith('./') ? m[1].slice(2) : m[1]);
      }
    };
    visit('main.js');
    visit(profileChunk!);
    expect(loaded).toContain('d3-dsv');
    expect([...loaded].filter((m) => m === 'zod' || m.startsWith('zod/'))).toEqual([]);
    // The same walk from a command that validates a spec does reach it.
    const trainChunk = [...text.keys()].find((f) => text.get(f)!.includes('// cli/commands/train.ts'));
    visit(trainChunk!);
    expect(loaded).toContain('zod');
  });
});
