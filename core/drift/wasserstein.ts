/**
 * The first Wasserstein (earth mover's) distance between two samples,
 * `scipy.stats.wasserstein_distance(u, v)` = ∫|U(t) − V(t)| dt over the two ECDFs, and Evidently's
 * normed variant, which divides by the reference's standard deviation (NumPy's ddof = 0, floored at
 * 0.001) so one threshold (0.1 = a tenth of a standard deviation) fits every feature's scale.
 */
import { FlywheelError } from '../errors';

/** Evidently's floor on the reference's standard deviation, so a constant feature does not divide by 0. */
const MIN_NORM = 0.001;

export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length === 0 || v.length === 0) {
    throw new FlywheelError('bad_input', 'wassersteinDistance needs at least one value in each sample', [
      { path: u.length === 0 ? 'u' : 'v', message: 'empty sample' },
    ]);
  }
  const a = Float64Array.from(u).sort();
  const b = Float64Array.from(v).sort();
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  let i = 0;
  let j = 0;
  let sum = 0;
  for (let k = 0; k < all.length - 1; k++) {
    // ECDFs just right of all[k]: counts of values ≤ all[k] (searchsorted 'right').
    while (i < a.length && a[i] <= all[k]) i++;
    while (j < b.length && b[j] <= all[k]) j++;
    sum += Math.abs(i / a.length - j / b.length) * (all[k + 1] - all[k]);
  }
  return sum;
}

/** Evidently's `wasserstein` drift score: the distance in units of the reference's std. */
export function normedWassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), MIN_NORM);
}

/** `np.std(x)`: the root mean squared deviation (ddof = 0), two-pass for accuracy. */
export function populationStd(x: ArrayLike<number>): number {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (x[i] - mean) ** 2;
  return Math.sqrt(squares / n);
}
