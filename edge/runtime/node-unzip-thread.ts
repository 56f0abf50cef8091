/**
 * The Node edge's `Unzipper`: uploaded bundles are inflated on a worker thread, so a zip that
 * inflates to the cap (or lies about its sizes) costs that thread, not the one serving requests.
 * The thread runs core/bundle/unzip.ts itself: built (dist/cli/unzip-thread.js, beside the built CLI)
 * when this file runs from the CLI's build, else loaded through tsx (a worker thread does not inherit
 * the main thread's TypeScript loader). It is started by an upload and stopped once uploads have
 * been idle for IDLE_MS: a thread with its own V8 heap and TypeScript loader costs tens of MB, and an
 * edge spends nearly all its life serving, not publishing.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Unzipper, UnzipResult } from '../../core/bundle/unzip';

/** How long the thread waits for the next upload before it stops. */
const IDLE_MS = 1000;

/** Set by build/bundle-cli.ts to the built file's URL; undefined when this source runs as it is. */
declare const FLYWHEEL_BUNDLE_URL: string | undefined;

/** The thread's program, evaluated as CommonJS: it registers tsx if needed, then answers each request with `unzipCapped`. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(workerData.tsx ? import(workerData.tsx).then(({ register }) => register()) : Promise.resolve())
  .then(() => import(workerData.unzip))
  .then(({ unzipCapped }) => {
    parentPort.on('message', ({ id, bytes, maxInflated }) => {
      const result = unzipCapped(bytes, maxInflated);
      const buffers = result.ok ? [...new Set(Object.values(result.files).map((f) => f.buffer))] : [];
      parentPort.postMessage({ id, result }, buffers);
    });
  });
`;

/**
 * The file URL of tsx's ESM API. `require.resolve` would give its CommonJS build, whose `register`
 * cannot be imported from a thread; package.json's exports map names the ESM one.
 */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exports = (require(manifest) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api'].import.default)).href;
}

export interface ThreadUnzipper {
  unzip: Unzipper;
  /** Stops the thread (a later call starts another). */
  close(): Promise<void>;
}

/** An `Unzipper` backed by one worker thread, started when first needed. */
export function threadUnzipper(): ThreadUnzipper {
  const workerData = typeof FLYWHEEL_BUNDLE_URL === 'string'
    ? { tsx: null, unzip: new URL('unzip-thread.js', FLYWHEEL_BUNDLE_URL).href }
    : { tsx: tsxEsmApi(), unzip: new URL('../../core/bundle/unzip.ts', import.meta.url).href };
  let worker: Worker | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: UnzipResult) => void; reject: (e: Error) => void }>();

  const fail = (e: Error) => {
    worker = null;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(THREAD_SOURCE, { eval: true, workerData });
    w.on('message', ({ id, result }: { id: number; result: UnzipResult }) => {
      pending.get(id)?.resolve(result);
      pending.delete(id);
      if (pending.size === 0) {
        w.unref();
        idle = setTimeout(() => {
          if (worker === w && pending.size === 0) {
            worker = null;
            void w.terminate();
          }
        }, IDLE_MS);
        idle.unref();
      }
    });
    w.on('error', (e) => fail(e));
    w.on('exit', (code) => {
      if (worker === w || pending.size > 0) fail(new Error(`the unzip thread stopped (exit code ${code})`));
    });
    worker = w;
    return w;
  };

  return {
    unzip(bytes, maxInflated) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        clearTimeout(idle);
        const w = thread();
        w.ref();
        w.postMessage({ id, bytes, maxInflated });
      });
    },
    async close() {
      clearTimeout(idle);
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
