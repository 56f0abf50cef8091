import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { createRequire } from 'node:module';
import { defineConfig } from 'vite';
// With its extension: Vite's native config loader (its future default) resolves no other form.
import { precompress } from './build/precompress.ts';
import { tfjsWasmThreads } from './build/tfjs-wasm-threads.ts';
import { computeCodeVersion } from './build/code-version.ts';

const require = createRequire(import.meta.url);
// vega-datasets exports only its JS entry; its data folder sits beside build/.
const samples = path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');

/** Cross-origin isolation: lets the browser use SharedArrayBuffer, so tfjs WASM can run threads. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'web',
  plugins: [svelte(), precompress()],
  // The training code's version, hashed from the sources at build time (the CLI hashes the same files).
  define: { __FLYWHEEL_CODE_VERSION__: JSON.stringify(computeCodeVersion(import.meta.dirname)) },
  resolve: { alias: { '@samples': samples } },
  server: { port: 5173, headers: isolation, fs: { allow: ['..', samples] } },
  preview: { headers: isolation },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        main: path.join(import.meta.dirname, 'web/index.html'),
        lab: path.join(import.meta.dirname, 'web/lab.html'),
      },
    },
  },
  // Worker bundles take their own plugins: the pipeline worker is where tfjs's threaded WASM loads.
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
});
