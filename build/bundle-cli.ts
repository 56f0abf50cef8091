/**
 * Builds the CLI into plain JavaScript (`dist/cli/`), so `flywheel` starts without compiling
 * TypeScript at run time (tsx cost 0.7–0.9 s and ~170 MB before the first byte of data). `cli/bin.js`
 * runs the build while it is as new as every source it was built from, else the sources through tsx.
 *
 * Packages stay external (Node resolves them from node_modules as before: native better-sqlite3, the
 * tfjs WASM files); only the repository's own TypeScript is bundled. Each source keeps the meaning of
 * `import.meta.url` / `import.meta.dirname` it has when run as it is (they locate migrations, the web
 * app, package.json), rewritten to its path relative to the repository root.
 *
 * Usage: `tsx build/bundle-cli.ts [OUT_DIR]` (default dist/cli).
 */
import { build, type Plugin } from 'esbuild';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The entry points: the CLI (its commands become chunks of their own), and the program of the model
 * search's worker threads (cli/trial-pool.ts starts it from next to the built file that needs it).
 */
export const CLI_ENTRIES = { main: 'cli/main.ts', 'trial-thread': 'cli/trial-thread.ts' } as const;

/** Where the build's list of inputs goes: what `cli/built-entry.js` compares modification times with. */
export const INPUTS_FILE = 'inputs.json';

export interface BuildInputs {
  /** When the build started reading sources (ms since the epoch); a source changed later makes it stale. */
  builtAt: number;
  /** The repository's files bundled, relative to the root. */
  inputs: string[];
}

/** Rewrites `import.meta.url` and `import.meta.dirname` in the repository's sources to their own location. */
function sourceLocation(): Plugin {
  return {
    name: 'source-location',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const rel = path.relative(root, args.path).split(path.sep).join('/');
        if (rel.startsWith('..') || rel.startsWith('node_modules/')) return undefined;
        const text = await readFile(args.path, 'utf8');
        const contents = text
          .replaceAll('import.meta.url', `__flywheelSourceUrl(${JSON.stringify(rel)})`)
          .replaceAll('import.meta.dirname', `__flywheelSourceDir(${JSON.stringify(rel)})`);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * What each built file starts with: where the repository root is from it, the helpers the rewrite
 * calls, and `__flywheelBuiltUrl`, the built file's own URL (sources that must find another built file,
 * such as cli/trial-pool.ts, read it; from sources it is undefined).
 */
function banner(outDir: string): string {
  const rootFromOut = path.relative(outDir, root).split(path.sep).join('/');
  return `import { fileURLToPath as __flywheelPath } from 'node:url';
import { dirname as __flywheelDirname } from 'node:path';
const __flywheelBuiltUrl = import.meta.url;
const __flywheelRoot = new URL(${JSON.stringify(rootFromOut ? `${rootFromOut}/` : './')}, import.meta.url);
const __flywheelSourceUrl = (rel) => new URL(rel, __flywheelRoot).href;
const __flywheelSourceDir = (rel) => __flywheelDirname(__flywheelPath(new URL(rel, __flywheelRoot)));`;
}

/**
 * Bundles the CLI into `outDir` and records its inputs; returns them. `entries` (name → source, relative
 * to the root) replaces the CLI's entry for other programs that must run the way the CLI does: the edge
 * bench bundles its server (bench/edge-server.ts) with it.
 */
export async function bundleCli(
  outDir = path.join(root, 'dist', 'cli'),
  entries: Record<string, string> = CLI_ENTRIES,
): Promise<BuildInputs> {
  const builtAt = Date.now();
  // Chunk names carry content hashes: an old build's chunks would pile up.
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    // Commands are loaded when run (cli/commands/index.ts): each becomes its own chunk.
    splitting: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.js' },
    banner: { js: banner(outDir) },
    plugins: [sourceLocation()],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.startsWith('node_modules/'))
    .sort();
  const record: BuildInputs = { builtAt, inputs: [...inputs, 'package.json'] };
  await writeFile(path.join(outDir, INPUTS_FILE), JSON.stringify(record));
  return record;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(root, 'build', 'bundle-cli.ts')) {
  const out = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  await bundleCli(out);
}
