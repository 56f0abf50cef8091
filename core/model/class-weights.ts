/**
 * Per-class loss weights from the `classWeights` spec. 'balanced' is scikit-learn's
 * `compute_class_weight('balanced')`: n_samples / (n_classes · count(class)), so every class carries
 * the same total weight and the mean row weight stays 1.
 */
import { FlywheelError } from '../errors';
import type { ClassWeightsSpec } from './spec';

/**
 * One weight per label (in label order), or null for 'none'. Labels a record does not name get 1.
 * Under 'balanced', n_classes counts the classes present in `y` (scikit-learn refuses absent ones; a
 * rare class can miss the training split) and an absent class gets 1: it has no rows to weigh. Throws
 * `bad_spec` naming a record key that is not a label.
 */
export function classWeightVector(
  spec: ClassWeightsSpec,
  labels: readonly string[],
  y: ArrayLike<number>,
): Float64Array | null {
  if (spec === 'none') return null;
  const k = labels.length;
  const weights = new Float64Array(k).fill(1);
  if (spec === 'balanced') {
    const counts = new Float64Array(k);
    for (let i = 0; i < y.length; i++) counts[y[i]]++;
    const present = counts.filter((count) => count > 0).length;
    for (let c = 0; c < k; c++) if (counts[c] > 0) weights[c] = y.length / (present * counts[c]);
    return weights;
  }
  const index = new Map(labels.map((label, i) => [label, i]));
  const unknown = Object.keys(spec).filter((label) => !index.has(label));
  if (unknown.length > 0) {
    throw new FlywheelError(
      'bad_spec',
      `classWeights names ${unknown.map((l) => `"${l}"`).join(', ')}, not among the labels ${labels.map((l) => `"${l}"`).join(', ')}`,
      unknown.map((label) => ({ path: `train.classWeights.${label}`, message: 'not a label of the target' })),
    );
  }
  for (const [label, weight] of Object.entries(spec)) weights[index.get(label) as number] = weight;
  return weights;
}

/** The weight of each row: its class's weight. */
export function rowWeights(classWeights: Float64Array, y: ArrayLike<number>): Float32Array {
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = classWeights[y[i]];
  return out;
}
