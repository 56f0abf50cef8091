/**
 * Vite plugin that lets tfjs 4.22's threaded WASM backend start its pthreads from a bundled,
 * minified build.
 *
 * tfjs-backend-wasm hands each pthread worker the Emscripten factory as a script built from
 * `wasmFactoryThreadedSimd.toString()` (backend_wasm.ts, `mainScriptUrlOrBlob`). Bundled and
 * minified, that function's text refers to names that live outside it: the minifier renames the
 * enclosing `_scriptDir` to a short name and drops its `typeof` guard, and `require` becomes the
 * bundler's helper. Evaluated alone in the pthread's Blob, the text throws "e is not defined".
 * The plugin gives the factory a `toString` that returns Emscripten's original, self-contained
 * source, so the pthread evaluates exactly the code the package shipped, while the bundle keeps
 * running the minified copy on the calling thread.
 */
import type { Plugin } from 'vite';

/** The Emscripten loader of the threaded SIMD build, as the package's ESM entry imports it. */
const THREADED_FACTORY = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
/** Where the loader's self-contained factory expression starts, and what follows it (its UMD export). */
const DECLARATION = 'var WasmBackendModuleThreadedSimd = ';
const UMD_EXPORT = '\nif (typeof exports';

/** The plugin: adds the toString override to the threaded loader; every other module passes through. */
export function tfjsWasmThreads(): Plugin {
  return {
    name: 'flywheel:tfjs-wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!THREADED_FACTORY.test(id)) return null;
      const start = code.indexOf(DECLARATION);
      const end = code.indexOf(UMD_EXPORT, start);
      if (start < 0 || end < 0)
        this.error(
          `${id}: the threaded WASM loader no longer has the shape this plugin expects ("${DECLARATION}…${UMD_EXPORT.trim()}"); check the tfjs-backend-wasm version`,
        );
      const factory = code
        .slice(start + DECLARATION.length, end)
        .trim()
        .replace(/;$/, '');
      // Appended after the original text, so nothing moves and the existing source map still holds.
      return {
        code: `${code}\nWasmBackendModuleThreadedSimd.toString = () => ${JSON.stringify(factory)};\n`,
        map: null,
      };
    },
  };
}
