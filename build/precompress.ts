/**
 * Vite plugin that writes a Brotli (`.br`) and a gzip (`.gz`) copy beside each text or WASM file
 * of the build, so the Node server sends them as they are (serveStatic's `precompressed`) instead of
 * compressing on every request. Compression is Node's own zlib, done once per build.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Plugin } from 'vite';

/** Files worth compressing: text and WebAssembly (images and fonts here are compressed already). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg|wasm|csv|tsv|txt|map)$/;
/**
 * Brotli's level: 11 (its maximum) took 85 s on the 10 MB flights sample and 20 s on the main
 * bundle here; 9 takes seconds, and its bundle is ~10% larger than 11's and ~8% smaller than gzip -9's.
 */
const BROTLI_QUALITY = 9;
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

/** The plugin: after the bundle is written, adds `name.br` and `name.gz` beside every compressible file. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'flywheel:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const jobs: Promise<void>[] = [];
      for await (const file of files(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        jobs.push(
          (async () => {
            const bytes = await readFile(file);
            if (bytes.length < MIN_BYTES) return;
            await writeFile(
              `${file}.br`,
              await brotli(bytes, {
                params: {
                  [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
                  [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
                },
              }),
            );
            await writeFile(`${file}.gz`, await gz(bytes, { level: constants.Z_BEST_COMPRESSION }));
          })(),
        );
      }
      await Promise.all(jobs);
    },
  };
}
