/**
 * One lean engine of bench/infer in a worker thread: compiles the model it is sent on its kernel,
 * then times a round per message. Each kernel gets an isolate of its own because V8 shares type
 * feedback between closures of the same code: in one isolate, the layers of models on different
 * kernels (the current WebAssembly one, the previous one, the JS one) deoptimise each other's calls
 * ("wrong call target"), which slowed the previous and JS kernels by 40-70 % depending on which ran
 * first — a comparison of the runtimes' code with V8's luck, not of the kernels. Alone, as in any
 * process that serves with one kernel, none of that happens.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileLeanModel } from '../core/infer';
import type { LayersModelArtifacts } from '../core/infer/layers-format';
import { compileLeanModelOn } from '../core/infer/lean-model';
import { wasmDenseBackend as previousWasmDenseBackend } from './infer-baseline/wasm-dense-backend';
import { timeRound } from './infer-timing';

export type LeanKernel = 'wasm' | 'previous' | 'js';

export interface LeanEngineData {
  kernel: LeanKernel;
  artifacts: LayersModelArtifacts;
  pool: Float32Array;
  dim: number;
  calls: number;
}

const { kernel, artifacts, pool, dim, calls } = workerData as LeanEngineData;
const model =
  kernel === 'previous'
    ? compileLeanModelOn(artifacts, previousWasmDenseBackend()!)
    : compileLeanModel(artifacts, { kernel });
parentPort!.on('message', () =>
  parentPort!.postMessage(timeRound((x, rows) => model.predict(x, rows), pool, dim, calls)),
);
parentPort!.postMessage('ready');
