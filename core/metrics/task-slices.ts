/**
 * Full classification or regression metrics per slice: the common case of `metricsBySlice`, with
 * the row selection done here so a caller passes the same arrays it passes to the whole-set metrics.
 */
import { FlywheelError } from '../errors';
import {
  checkClassificationInputs,
  checkRegressionInputs,
  type NumberArray,
  type ProbabilityArray,
} from './check-inputs';
import { classificationMetrics } from './classification';
import { regressionMetrics } from './regression';
import { metricsBySlice } from './slices';
import type { ClassificationMetrics, RegressionMetrics, SliceMetrics } from './result';

function checkSameLength(groupCodes: Int32Array, n: number): void {
  if (groupCodes.length !== n) {
    throw new FlywheelError('bad_input', `slice column has ${groupCodes.length} rows but the evaluation has ${n}`, [
      { path: 'groupCodes', message: `expected length ${n}` },
    ]);
  }
}

function takeValues<T extends NumberArray | Int32Array>(values: T, indices: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}

function takeRows(proba: ProbabilityArray, k: number, indices: Int32Array): ProbabilityArray {
  const out = new (proba.constructor as new (n: number) => ProbabilityArray)(indices.length * k);
  for (let i = 0; i < indices.length; i++) out.set(proba.subarray(indices[i] * k, indices[i] * k + k), i * k);
  return out;
}

/** `classificationMetrics` on the rows of each category of a dictionary-encoded column. */
export function classificationMetricsBySlice(
  groupCodes: Int32Array,
  dictionary: readonly string[],
  yTrue: Int32Array,
  proba: ProbabilityArray,
  labels: readonly string[],
): SliceMetrics<ClassificationMetrics>[] {
  // Checked on the whole set first, so an error names the row as the caller numbers it.
  checkClassificationInputs(yTrue, proba, labels);
  checkSameLength(groupCodes, yTrue.length);
  return metricsBySlice(groupCodes, dictionary, (indices) =>
    classificationMetrics(takeValues(yTrue, indices), takeRows(proba, labels.length, indices), labels),
  );
}

/** `regressionMetrics` on the rows of each category of a dictionary-encoded column. */
export function regressionMetricsBySlice(
  groupCodes: Int32Array,
  dictionary: readonly string[],
  yTrue: NumberArray,
  yPred: NumberArray,
): SliceMetrics<RegressionMetrics>[] {
  checkRegressionInputs(yTrue, yPred);
  checkSameLength(groupCodes, yTrue.length);
  return metricsBySlice(groupCodes, dictionary, (indices) =>
    regressionMetrics(takeValues(yTrue, indices), takeValues(yPred, indices)),
  );
}
