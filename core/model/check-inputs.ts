/**
 * Checks a feature matrix and its targets before anything reaches the device, so a bad cell is
 * reported by row and column instead of surfacing as a NaN loss twenty epochs later.
 */
import { FlywheelError } from '../errors';
import type { Head } from './head';

/** Throws unless `x` is `rows × inputDim` finite numbers; `name` is the argument's name in messages. */
export function checkFeatures(x: Float32Array, rows: number, inputDim: number, name: string): void {
  if (x.length !== rows * inputDim) {
    throw new FlywheelError(
      'bad_input',
      `${name} has ${x.length} values, expected ${rows} rows × ${inputDim} features = ${rows * inputDim}`,
    );
  }
  let first = -1;
  let bad = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (first >= 0) {
    const row = Math.floor(first / inputDim);
    const column = first % inputDim;
    const more = bad > 1 ? ` (${bad} non-finite cells in all)` : '';
    throw new FlywheelError(
      'bad_data',
      `${name} row ${row}, column ${column} is ${x[first]}${more}: impute or drop missing values before training`,
      [{ path: `${name}[${row}][${column}]`, message: `${x[first]}` }],
    );
  }
}

/** Throws unless `y` has `rows` targets the head accepts: class indices in range, or finite numbers. */
export function checkTargets(y: ArrayLike<number>, rows: number, head: Head, name: string): void {
  if (y.length !== rows) throw new FlywheelError('bad_input', `${name} has ${y.length} values for ${rows} rows`);
  const k = head.task === 'classification' ? head.labels.length : 0;
  for (let i = 0; i < rows; i++) {
    const v = y[i];
    const ok = head.task === 'classification' ? Number.isInteger(v) && v >= 0 && v < k : Number.isFinite(v);
    if (!ok) {
      const why =
        head.task === 'classification' ? `class index ${v} is not one of 0..${k - 1} (${k} labels)` : `target is ${v}`;
      throw new FlywheelError('bad_data', `${name} row ${i}: ${why}`, [{ path: `${name}[${i}]`, message: why }]);
    }
  }
}
