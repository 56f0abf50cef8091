/**
 * Refuses inputs a metric cannot mean anything on (mismatched lengths, class indices out of range,
 * NaN scores), naming the offending row, so a wrong wiring fails loudly instead of producing a
 * plausible number.
 */
import { FlywheelError } from '../errors';

export type ProbabilityArray = Float32Array | Float64Array;
export type NumberArray = Float32Array | Float64Array;

export function checkClassificationInputs(yTrue: Int32Array, proba: ProbabilityArray, labels: readonly string[]): void {
  const n = yTrue.length;
  const k = labels.length;
  if (k < 1)
    throw new FlywheelError('bad_input', 'classification metrics need at least one label', [
      { path: 'labels', message: 'empty' },
    ]);
  if (n < 1)
    throw new FlywheelError('bad_input', 'metrics need at least one row', [{ path: 'yTrue', message: 'empty' }]);
  if (proba.length !== n * k) {
    throw new FlywheelError('bad_input', `proba has ${proba.length} values; ${n} rows × ${k} classes need ${n * k}`, [
      { path: 'proba', message: `expected length ${n * k}` },
    ]);
  }
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (y < 0 || y >= k) {
      throw new FlywheelError('bad_input', `yTrue[${i}] is ${y}, not a class index in 0..${k - 1}`, [
        { path: `yTrue[${i}]`, message: 'class index out of range' },
      ]);
    }
  }
  for (let j = 0; j < proba.length; j++) {
    if (!Number.isFinite(proba[j])) {
      const row = Math.floor(j / k);
      throw new FlywheelError(
        'bad_input',
        `proba row ${row}, class "${labels[j % k]}" is ${proba[j]}, not a finite number`,
        [{ path: `proba[${row}][${j % k}]`, message: 'not finite' }],
      );
    }
  }
}

export function checkRegressionInputs(yTrue: NumberArray, yPred: NumberArray): void {
  if (yTrue.length < 1)
    throw new FlywheelError('bad_input', 'metrics need at least one row', [{ path: 'yTrue', message: 'empty' }]);
  if (yPred.length !== yTrue.length) {
    throw new FlywheelError('bad_input', `yPred has ${yPred.length} values but yTrue has ${yTrue.length}`, [
      { path: 'yPred', message: `expected length ${yTrue.length}` },
    ]);
  }
  for (const [name, values] of [
    ['yTrue', yTrue],
    ['yPred', yPred],
  ] as const) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new FlywheelError('bad_input', `${name}[${i}] is ${values[i]}, not a finite number`, [
          { path: `${name}[${i}]`, message: 'not finite' },
        ]);
      }
    }
  }
}
