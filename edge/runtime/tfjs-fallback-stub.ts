/**
 * Stands in for core/infer/tfjs-fallback in the Workers bundle (edge/build-worker.ts swaps it in).
 * Workers cannot usefully run tfjs: it would add megabytes to a bundle that every cold start loads,
 * and workerd forbids compiling WebAssembly at run time, which tfjs's WASM backend needs. The Worker
 * serves with `allowTfjsFallback: false`, so this is reached only if that setting changes; it then
 * says why instead of failing on a missing module.
 */
import { FlywheelError } from '../../core/errors';
import type { loadTfjsPredictor as LoadTfjsPredictor } from '../../core/infer/tfjs-fallback';

export const loadTfjsPredictor: typeof LoadTfjsPredictor = async () => {
  throw new FlywheelError(
    'unsupported',
    'this model needs tfjs, which the Cloudflare Workers edge does not include: serve it from the Node edge (`flywheel start`), or train it with layers the lean runtime runs',
    [{ path: 'model.json', message: 'needs the tfjs fallback' }],
  );
};
