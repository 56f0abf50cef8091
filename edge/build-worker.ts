/**
 * Builds the Cloudflare Worker: `npx tsx edge/build-worker.ts [outdir]` bundles edge/runtime/worker.ts
 * into one ES module, `<outdir>/worker.js` (default dist/worker, what edge/wrangler.toml deploys), and
 * prints its size raw and gzipped. The same build is what tests/contract/workerd.test.ts runs.
 *
 * Beside it goes `<outdir>/dense-kernel.wasm`, the lean runtime's WebAssembly kernel, which the bundle
 * imports: workerd may not compile WebAssembly from bytes at run time, but wrangler uploads an imported
 * `.wasm` file as a module that Cloudflare compiles ahead of time (its default CompiledWasm rule).
 *
 * The bundle stays lean and self-contained: core/infer's lazy tfjs fallback is swapped for a stub
 * that says why (a Worker serves with `allowTfjsFallback: false`), any other import of tfjs fails the
 * build, and the SQL migrations are inlined as text; a file of edge/migrations that
 * runtime/worker-migrations.ts does not import fails the build too, so D1 never lags SQLite.
 */
import { build, type Plugin } from 'esbuild';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { wasmDenseModuleBytes } from '../core/infer/wasm-dense-kernel';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const ENTRY = path.join(here, 'runtime', 'worker.ts');
const TFJS_FALLBACK_STUB = path.join(here, 'runtime', 'tfjs-fallback-stub.ts');
const MIGRATIONS_DIR = path.join(here, 'migrations');
/** The kernel module's file name, as edge/runtime/worker.ts imports it (beside the bundle). */
const DENSE_KERNEL = 'dense-kernel.wasm';
/** The size target: the bundle is parsed on every cold start (Cloudflare itself allows 3 MiB gzipped on the free plan). */
export const WORKER_GZIP_TARGET_BYTES = 2 ** 20;

export interface WorkerBuild {
  /** The bundle, an ES module. */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Source files in the bundle, relative to the repository root. */
  inputs: string[];
  /** The Dense kernel module the bundle imports, written beside it, and its size. */
  kernelFile: string;
  kernelBytes: number;
}

/** Keeps tfjs out: the fallback becomes the stub, and any other tfjs import is a build error naming the importer. */
const leanInference: Plugin = {
  name: 'flywheel-lean-inference',
  setup(b) {
    b.onResolve({ filter: /^\.\/tfjs-fallback$/ }, (args) =>
      args.importer.endsWith(path.join('core', 'infer', 'create-predictor.ts'))
        ? { path: TFJS_FALLBACK_STUB }
        : undefined,
    );
    // The kernel stays an import of the bundle: its file is written beside it (buildWorker).
    b.onResolve({ filter: /\.wasm$/ }, (args) =>
      args.path === `./${DENSE_KERNEL}` && args.importer === ENTRY
        ? { path: args.path, external: true }
        : { errors: [{ text: `${args.path}: the Worker imports no WebAssembly but its Dense kernel` }] },
    );
    b.onResolve({ filter: /^@tensorflow\// }, (args) => ({
      errors: [
        {
          text: `${args.path} must not be in the Worker bundle (imported by ${path.relative(root, args.importer)}): the Worker serves with the lean runtime only`,
        },
      ],
    }));
  },
};

/** Bundles the Worker into `outdir` and reports what it holds and weighs. */
export async function buildWorker(outdir: string): Promise<WorkerBuild> {
  const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const file = path.join(outdir, 'worker.js');
  const result = await build({
    entryPoints: [ENTRY],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['worker', 'browser'],
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    loader: { '.sql': 'text' },
    define: { FLYWHEEL_VERSION: JSON.stringify(version) },
    plugins: [leanInference],
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(process.cwd(), p)));
  const onDisk = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql'));
  const missing = onDisk.filter((f) => !inputs.includes(path.join('edge', 'migrations', f)));
  if (missing.length)
    throw new Error(
      `edge/runtime/worker-migrations.ts does not import ${missing.join(', ')}: D1 would miss ${missing.length === 1 ? 'that migration' : 'those migrations'}`,
    );
  const kernelFile = path.join(outdir, DENSE_KERNEL);
  const kernel = wasmDenseModuleBytes();
  await writeFile(kernelFile, kernel);
  const bytes = await readFile(file);
  return {
    file,
    bytes: bytes.byteLength,
    gzipBytes: gzipSync(bytes, { level: 9 }).byteLength,
    inputs,
    kernelFile,
    kernelBytes: kernel.byteLength,
  };
}

async function main(): Promise<void> {
  const outdir = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'worker'));
  const built = await buildWorker(outdir);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `${path.relative(process.cwd(), built.file)}: ${kib(built.bytes)}, ${kib(built.gzipBytes)} gzipped (target: under ${kib(WORKER_GZIP_TARGET_BYTES)} gzipped)`,
  );
  if (built.gzipBytes > WORKER_GZIP_TARGET_BYTES) console.warn('warning: the Worker bundle is above its size target');
  console.log(`${path.relative(process.cwd(), built.kernelFile)}: ${kib(built.kernelBytes)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
