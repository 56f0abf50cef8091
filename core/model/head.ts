/**
 * The output head: what the network's last layer means. Classification is always a softmax over
 * k ≥ 2 labels (binary too), so probabilities are [rows, k] everywhere; regression is one linear unit
 * predicting the standardised target. Training encodes targets with it, and the edge and evaluation
 * decode raw outputs with it, so both sides agree on one definition.
 */
import { FlywheelError } from '../errors';

export interface ClassificationHead {
  readonly task: 'classification';
  /** Class labels in output-unit order; a class index is a position here. */
  readonly labels: readonly string[];
}

export interface RegressionHead {
  readonly task: 'regression';
  /** The network predicts `(y - targetMean) / targetStd`. */
  readonly targetMean: number;
  readonly targetStd: number;
}

export type Head = ClassificationHead | RegressionHead;

export interface ClassificationOutputs {
  readonly labelIndex: Int32Array;
  /** Row-major [rows, k] probabilities. */
  readonly proba: Float32Array;
}

export interface RegressionOutputs {
  readonly values: Float64Array;
}

/** Output units a head needs: k for classification, 1 for regression. */
export function headUnits(head: Head): number {
  return head.task === 'classification' ? head.labels.length : 1;
}

/** Throws a `bad_model` error naming what is wrong with a head (too few or repeated labels, bad std). */
export function assertHead(head: Head): void {
  if (head.task === 'classification') {
    if (head.labels.length < 2) {
      throw new FlywheelError('bad_model', `a classification head needs at least 2 labels, got ${head.labels.length}`);
    }
    const seen = new Set<string>();
    for (const label of head.labels) {
      if (seen.has(label)) throw new FlywheelError('bad_model', `classification label "${label}" appears twice`);
      seen.add(label);
    }
  } else if (!Number.isFinite(head.targetMean) || !(head.targetStd > 0) || !Number.isFinite(head.targetStd)) {
    throw new FlywheelError(
      'bad_model',
      `a regression head needs a finite mean and a positive std, got mean ${head.targetMean}, std ${head.targetStd}`,
    );
  }
}

/**
 * A regression head fitted on the training targets (population std, as scikit-learn's StandardScaler).
 * A constant target has std 0; it still trains with std 1, and the returned warning says so.
 */
export function regressionHead(y: ArrayLike<number>): { head: RegressionHead; warnings: string[] } {
  const n = y.length;
  if (n === 0) throw new FlywheelError('bad_data', 'cannot fit a regression head on zero targets');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - mean) ** 2;
  const std = Math.sqrt(ss / n);
  if (!Number.isFinite(mean) || !Number.isFinite(std)) {
    throw new FlywheelError('bad_data', 'regression target has NaN or Infinity values');
  }
  if (std > 0) return { head: { task: 'regression', targetMean: mean, targetStd: std }, warnings: [] };
  return {
    head: { task: 'regression', targetMean: mean, targetStd: 1 },
    warnings: [
      `regression target is constant (${mean}) on all ${n} rows: standardising with std 1, the model can only learn that constant`,
    ],
  };
}

/**
 * Training targets as the network sees them: one-hot rows [rows, k] for classification (every index
 * checked, the bad row named), `(y - mean) / std` for regression.
 */
export function encodeTargets(y: ArrayLike<number>, rows: number, head: Head): Float32Array {
  if (y.length !== rows) throw new FlywheelError('bad_input', `y has ${y.length} values for ${rows} rows`);
  if (head.task === 'regression') {
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) out[i] = (y[i] - head.targetMean) / head.targetStd;
    return out;
  }
  const k = head.labels.length;
  const out = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const c = y[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new FlywheelError('bad_data', `y row ${i}: class index ${c} is not one of 0..${k - 1} (${k} labels)`, [
        { path: `y[${i}]`, message: `class index ${c} out of range` },
      ]);
    }
    out[i * k + c] = 1;
  }
  return out;
}

/**
 * Decodes the network's raw output (row-major, as `dataSync` or the lean runtime return it): for
 * classification the arg-max label index per row and the probabilities (the same array, not a copy);
 * for regression the de-standardised values.
 */
export function decodeOutputs(raw: Float32Array, rows: number, head: ClassificationHead): ClassificationOutputs;
export function decodeOutputs(raw: Float32Array, rows: number, head: RegressionHead): RegressionOutputs;
export function decodeOutputs(raw: Float32Array, rows: number, head: Head): ClassificationOutputs | RegressionOutputs;
export function decodeOutputs(raw: Float32Array, rows: number, head: Head): ClassificationOutputs | RegressionOutputs {
  const units = headUnits(head);
  if (raw.length !== rows * units) {
    throw new FlywheelError(
      'bad_model',
      `model output has ${raw.length} values, expected ${rows} rows × ${units} units`,
    );
  }
  if (head.task === 'regression') {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) values[i] = raw[i] * head.targetStd + head.targetMean;
    return { values };
  }
  const labelIndex = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let j = 1; j < units; j++) if (raw[i * units + j] > raw[i * units + best]) best = j;
    labelIndex[i] = best;
  }
  return { labelIndex, proba: raw };
}
