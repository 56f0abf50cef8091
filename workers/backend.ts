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
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { FlywheelError } from '../core/errors';
import type { BackendInfo, BackendName } from './protocol';
import { BACKENDS } from './protocol';

// Vite fingerprints the .wasm files; tell tfjs where each one ended up.
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
/**
 * tfjs 4.22's threaded WASM build starts its pthread workers from a classic-script bootstrap that
 * fails inside a module worker ("e is not defined"), taking the whole worker down. Until that
 * works, WASM runs with SIMD on one thread even when the page is cross-origin isolated.
 */
const WASM_THREADS = false;
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', WASM_THREADS);
if (WASM_THREADS && typeof navigator !== 'undefined' && navigator.hardwareConcurrency) setThreadsCount(Math.max(1, Math.min(4, navigator.hardwareConcurrency)));

let probed: Promise<BackendInfo[]> | null = null;

/** Which backends start in this browser, with a detail line each; probed once per worker. */
export function probeBackends(): Promise<BackendInfo[]> {
  probed ??= (async () => {
    const out: BackendInfo[] = [];
    for (const name of BACKENDS) {
      try {
        if (name === 'webgpu' && !('gpu' in navigator && (await (navigator as Navigator & { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter()))) {
          out.push({ name, available: false, detail: 'navigator.gpu offers no adapter (WebGPU needs a secure context and a supported GPU or SwiftShader)' });
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

function describe(name: BackendName): string {
  if (name === 'wasm') {
    const threads = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
    const threading = threads && WASM_THREADS ? ' + threads' : threads ? ', one thread (tfjs\'s threaded build cannot start in a module worker)' : ', one thread (not cross-origin isolated)';
    return `WebAssembly${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ' + SIMD' : ''}${threading}`;
  }
  if (name === 'webgl') return `WebGL ${tf.env().getNumber('WEBGL_VERSION')}`;
  if (name === 'webgpu') return 'WebGPU';
  return 'plain JavaScript';
}

/** Switches tfjs to `name`, or fails naming the backends that are available. */
export async function useBackend(name: BackendName): Promise<void> {
  const infos = await probeBackends();
  const info = infos.find((b) => b.name === name);
  if (!info?.available) {
    const available = infos.filter((b) => b.available).map((b) => b.name);
    throw new FlywheelError('unsupported', `the ${name} backend is not available here (${info?.detail ?? 'unknown'}); available: ${available.join(', ')}`, [{ path: 'train.backend', message: `${name} unavailable` }]);
  }
  if (!(await tf.setBackend(name))) throw new FlywheelError('unsupported', `the ${name} backend failed to start`, [{ path: 'train.backend', message: 'failed to start' }]);
  await tf.ready();
}
