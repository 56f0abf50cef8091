/**
 * tfjs for Node: the WASM backend (tfjs-node cannot install here; WASM trains ~3× faster than the
 * pure-JS CPU backend), with the CPU backend registered as the fallback and for `--backend cpu`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from './command';

export type NodeBackend = 'wasm' | 'cpu';

let wasmPathSet = false;

/** The `--backend` flag's value: `wasm` or `cpu` (default `auto`, which is wasm); anything else is a usage error. */
export function backendFlag(value: string | undefined): NodeBackend | 'auto' {
  if (value === undefined || value === 'auto' || value === 'wasm' || value === 'cpu') return value ?? 'auto';
  throw new UsageError(
    `--backend "${value}" is not one of wasm, cpu (Node has no WebGL or WebGPU: those run in the browser)`,
  );
}

/** Selects a tfjs backend in Node and returns its name; `auto` means WASM. */
export async function useNodeBackend(name: NodeBackend | 'auto' = 'auto'): Promise<NodeBackend> {
  const want: NodeBackend = name === 'auto' ? 'wasm' : name;
  if (want === 'wasm' && !wasmPathSet) {
    const require = createRequire(import.meta.url);
    setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
    wasmPathSet = true;
  }
  if (!(await tf.setBackend(want))) throw new Error(`tfjs backend "${want}" could not start`);
  await tf.ready();
  return want;
}
