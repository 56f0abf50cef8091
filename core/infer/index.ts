/** Inference: a dependency-free runtime for tfjs Layers models on typed arrays, falling back to tfjs for what it cannot run. */
export { createPredictor, type CreatePredictorOptions } from './create-predictor';
export { compileLeanModel, type LeanModel, type LeanModelOptions } from './lean-model';
export type { Predictor } from './predictor';
export {
  normalizeArtifacts,
  type LayersArtifacts,
  type LayersModelArtifacts,
  type LayersModelFiles,
  type LayersModelJson,
  type LayerJson,
  type ModelTopology,
  type WeightSpec,
  type WeightsGroup,
} from './layers-format';
