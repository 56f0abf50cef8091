/**
 * Choosing the engine for a model: the lean runtime when it can run the model, otherwise tfjs.
 */
import { isFlywheelError } from '../errors';
import type { LayersArtifacts } from './layers-format';
import { compileLeanModel, type LeanModelOptions } from './lean-model';
import type { Predictor } from './predictor';

export interface CreatePredictorOptions extends LeanModelOptions {
  /** Load the model with tfjs when the lean runtime does not support it (default true). */
  allowFallback?: boolean;
}

/**
 * A predictor for the artifacts: the lean runtime if it supports every layer, else (with
 * `allowFallback`) tfjs on the current backend. Only `unsupported` falls back; a broken model
 * (`bad_model`) is reported as is, since tfjs would refuse it too. tfjs is imported on first fallback,
 * so a bundle whose models are all lean never loads it.
 */
export async function createPredictor(
  artifacts: LayersArtifacts,
  options: CreatePredictorOptions = {},
): Promise<Predictor> {
  const { allowFallback = true, ...leanOptions } = options;
  try {
    return compileLeanModel(artifacts, leanOptions);
  } catch (e) {
    if (!allowFallback || !isFlywheelError(e) || e.code !== 'unsupported') throw e;
    const { loadTfjsPredictor } = await import('./tfjs-fallback');
    return loadTfjsPredictor(artifacts);
  }
}
