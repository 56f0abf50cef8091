/**
 * tfjs backend choice in a worker: probe what the browser offers (WebGPU, WebGL, WASM with SIMD and
 * threads when cross-origin isolated, CPU), and for `auto` measure a few training steps of the actual
 * model on each and keep the fastest. On a real GPU WebGPU wins; under a software adapter
 * (SwiftShader) it does not, and measuring is how `auto` notices.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { FlywheelError } from '../core/errors';
import type { BackendInfo, BackendName } from './protocol';
import { BACKENDS } from './protocol';

// Vite fingerprints the .wasm files; tell tfjs where each one ended up.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
/** Most threads XNNPACK's pool gets: the models here are small MLPs, and the page and other workers share the cores. */
const WASM_MAX_THREADS = 4;
/**
 * Fewest logical cores for which the threaded WASM build is loaded. tfjs 4.22 caps XNNPACK's pool at
 * half the logical cores (it assumes two per physical core), so below four the pool has one thread
 * and the threaded build would only add its eight idle pthread workers and shared memory.
 */
const WASM_THREADED_MIN_CORES = 4;
const cores = navigator.hardwareConcurrency || 1;
// Threads need SharedArrayBuffer, which only a cross-origin isolated page gets (COOP/COEP); tfjs's
// WASM_HAS_MULTITHREAD_SUPPORT check sees that and picks the threaded build, whose pthreads start
// from the bundle thanks to build/tfjs-wasm-threads.ts.
if (cores < WASM_THREADED_MIN_CORES) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setThreadsCount(Math.min(WASM_MAX_THREADS, cores));
/** Why this worker runs WASM on one thread although it could have more (see `singleThreadWasm`). */
let singleThreadReason: string | null = null;

/**
 * Runs the WASM backend on one thread in this worker, without the threaded build and its pthread
 * workers: trial workers are many, and the pool itself is their parallelism. Call before the backend starts.
 */
export function singleThreadWasm(reason: string): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  singleThreadReason = reason;
}

let probed: Promise<BackendInfo[]> | null = null;

/** Which backends start in this browser, with a detail line each; probed once per worker. */
export function probeBackends(): Promise<BackendInfo[]> {
  probed ??= (async () => {
    const out: BackendInfo[] = [];
    for (const name of BACKENDS) {
      try {
        if (name === 'webgpu' && !(await hasGpuAdapter())) {
          // Left registered, tfjs would start it as its highest-priority backend the first time anything
          // reads the engine, and its factory reads `adapter.features` off a null adapter.
          tf.removeBackend(name);
          out.push({
            name,
            available: false,
            detail:
              'navigator.gpu offers no adapter (WebGPU needs a secure context and a supported GPU or SwiftShader)',
          });
          continue;
        }
        const ok = await tf.setBackend(name);
        if (!ok) {
          out.push({ name, available: false, detail: 'failed to initialise' });
          continue;
        }
        await tf.ready();
        out.push({ name, available: true, detail: describe(name) });
      } catch (e) {
        out.push({ name, available: false, detail: (e as Error).message });
      }
    }
    return out;
  })();
  return probed;
}

async function hasGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/**
 * The backend tfjs runs on now, started: probes first, so nothing reads the engine before a backend
 * is set (tfjs would otherwise pick its highest-priority registration, WebGPU, whose start is
 * asynchronous, and fail with "backend 'webgpu' has not yet been initialized"). Every entry point of
 * a worker that touches tfjs awaits this first.
 */
export async function readyBackend(): Promise<BackendName> {
  const infos = await probeBackends();
  const current = tf.engine().backendName as BackendName | null;
  if (current && infos.some((b) => b.name === current && b.available)) return current;
  const first = infos.find((b) => b.available);
  if (!first)
    throw new FlywheelError(
      'unsupported',
      `no tfjs backend starts in this browser: ${infos.map((b) => `${b.name}: ${b.detail}`).join('; ')}`,
    );
  await useBackend(first.name);
  return first.name;
}

function describe(name: BackendName): string {
  if (name === 'wasm') {
    const engine = `WebAssembly${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ' + SIMD' : ''}`;
    // XNNPACK's own count, read back from the running module: what training really gets.
    const threads = getThreadsCount();
    if (threads > 1) return `${engine} + threads (${threads})`;
    const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
    const why = singleThreadReason
      ? singleThreadReason
      : !isolated
        ? 'not cross-origin isolated'
        : cores < WASM_THREADED_MIN_CORES
          ? `${cores} logical cores: tfjs 4.22 would give XNNPACK one`
          : 'this browser lacks WebAssembly threads or SIMD';
    return `${engine}, one thread (${why})`;
  }
  if (name === 'webgl') return `WebGL ${tf.env().getNumber('WEBGL_VERSION')}`;
  if (name === 'webgpu') return 'WebGPU';
  return 'plain JavaScript';
}

/** The probe's description of a backend (threads, SIMD, WebGL version), for the run's lineage. */
export async function backendDetail(name: BackendName): Promise<string | undefined> {
  return (await probeBackends()).find((b) => b.name === name)?.detail;
}

/** Switches tfjs to `name`, or fails naming the backends that are available. */
export async function useBackend(name: BackendName): Promise<void> {
  const infos = await probeBackends();
  const info = infos.find((b) => b.name === name);
  if (!info?.available) {
    const available = infos.filter((b) => b.available).map((b) => b.name);
    throw new FlywheelError(
      'unsupported',
      `the ${name} backend is not available here (${info?.detail ?? 'unknown'}); available: ${available.join(', ')}`,
      [{ path: 'train.backend', message: `${name} unavailable` }],
    );
  }
  if (!(await tf.setBackend(name)))
    throw new FlywheelError('unsupported', `the ${name} backend failed to start`, [
      { path: 'train.backend', message: 'failed to start' },
    ]);
  await tf.ready();
}
