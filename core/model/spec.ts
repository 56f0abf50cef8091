/**
 * The `model` and `train` parts of a pipeline spec. The pipeline schema composes these; defaults are
 * those of a small, well-behaved tabular MLP, so `{}` is a sensible spec for both parts.
 */
import { z } from 'zod';

/** Hidden activations the lean runtime (core/infer) executes exactly; others would fall back to tfjs. */
export const HIDDEN_ACTIVATIONS = ['relu', 'tanh', 'elu', 'selu', 'sigmoid'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

/** Widest hidden layer a spec may ask for: far beyond what tabular data needs, so it only catches typos. */
const MAX_HIDDEN_UNITS = 4096;

/** A search budget such as `60s` or `5m` (seconds, minutes or hours). */
const budgetSchema = z.string().regex(/^\d+(\.\d+)?(s|m|h)$/, 'a duration such as 60s, 5m or 1h');

export const ModelSpecSchema = z.strictObject({
  /**
   * `auto` searches linear models and MLPs (core/search) within `budget` and trains the best; `linear`
   * and `mlp` train exactly the model the fields below describe.
   */
  type: z.enum(['auto', 'linear', 'mlp']).default('auto'),
  /** Wall time the search may take, final training included; used by `auto` only. */
  budget: budgetSchema.default('60s'),
  /** Units per hidden layer; used by `mlp` only. */
  hidden: z.array(z.number().int().min(1).max(MAX_HIDDEN_UNITS)).default([64, 32]),
  activation: z.enum(HIDDEN_ACTIVATIONS).default('relu'),
  /** Dropout rate after each hidden layer; 0 adds no Dropout layers. */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Keras-style L2 penalty `l2 * sum(kernel²)` on every Dense kernel (not biases). */
  l2: z.number().min(0).max(Number.MAX_VALUE).default(0),
  /**
   * Piecewise-linear encoding of the inputs (Gorishniy et al., 2022): each input with more than two
   * values is cut at its training quantiles into up to this many bins, each bin an input that rises
   * from 0 to 1 across it. A first Dense layer (hard sigmoid) in the saved model does it, so serving
   * needs nothing new. Absent: the inputs go in as they are.
   */
  bins: z.number().int().min(2).max(64).optional(),
});

export const EarlyStoppingSpecSchema = z.strictObject({
  /** Epochs without improvement before stopping. */
  patience: z.number().int().min(1).default(10),
  metric: z.enum(['val_loss', 'loss']).default('val_loss'),
  /** An epoch improves only if the metric drops by more than this (Keras `min_delta`). */
  minDelta: z.number().min(0).max(Number.MAX_VALUE).default(0),
});

export const ClassWeightsSpecSchema = z.union([
  z.enum(['none', 'balanced']),
  z.record(z.string(), z.number().positive().max(Number.MAX_VALUE)),
]);

export const TrainSpecSchema = z.strictObject({
  epochs: z.number().int().min(1).default(100),
  batchSize: z.number().int().min(1).default(32),
  optimizer: z.enum(['adam', 'sgd', 'rmsprop', 'adagrad']).default('adam'),
  learningRate: z.number().positive().max(Number.MAX_VALUE).default(0.005),
  /** `null` trains all epochs and keeps the final weights. */
  earlyStopping: EarlyStoppingSpecSchema.nullable().prefault({}),
  seed: z.number().int().default(42),
  /** Per-class loss weights: 'balanced' as scikit-learn, or a weight per label (unnamed labels get 1). */
  classWeights: ClassWeightsSpecSchema.default('none'),
  backend: z.enum(['auto', 'webgpu', 'webgl', 'wasm', 'cpu']).default('auto'),
});

export type ModelSpec = z.output<typeof ModelSpecSchema>;
/** A model spec that names one model: what `buildModel` builds (a search picks one for `auto`). */
export type FixedModelSpec = ModelSpec & { type: 'linear' | 'mlp' };
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;
export type EarlyStoppingSpec = z.output<typeof EarlyStoppingSpecSchema>;
export type ClassWeightsSpec = z.output<typeof ClassWeightsSpecSchema>;
export type TrainSpec = z.output<typeof TrainSpecSchema>;
export type TrainSpecInput = z.input<typeof TrainSpecSchema>;

/** True when the spec names one model (not a search). */
export function isFixedModel(spec: ModelSpec): spec is FixedModelSpec {
  return spec.type !== 'auto';
}

/** A fixed model spec from partial input: `type` defaults to `mlp` here (tests, benches, probes). */
export function fixedModelSpec(input: ModelSpecInput = {}): FixedModelSpec {
  const spec = ModelSpecSchema.parse({ type: 'mlp', ...input });
  if (!isFixedModel(spec)) throw new Error('fixedModelSpec: type "auto" is a search, not a model');
  return spec;
}
