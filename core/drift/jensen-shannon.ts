/**
 * The Jensen–Shannon distance between two discrete distributions,
 * `scipy.spatial.distance.jensenshannon(p, q, base)`: both are normalised to sum 1, then
 * √((KL(p‖m) + KL(q‖m)) / 2) with m = (p + q)/2. Natural log unless `base` is given, as current
 * Evidently calls it (early Evidently releases passed base 2).
 */
import { FlywheelError } from '../errors';

export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  if (p.length !== q.length) {
    throw new FlywheelError(
      'bad_input',
      `jensenShannonDistance needs equal lengths (got ${p.length} and ${q.length})`,
      [{ path: 'q', message: `length ${q.length}, expected ${p.length}` }],
    );
  }
  const pSum = total(p);
  const qSum = total(q);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / pSum;
    const qi = q[i] / qSum;
    const mi = (pi + qi) / 2;
    divergence += relativeEntropy(pi, mi) + relativeEntropy(qi, mi);
  }
  if (base !== undefined) divergence /= Math.log(base);
  return Math.sqrt(divergence / 2);
}

/** `scipy.special.rel_entr`: x·ln(x/y), with 0·ln(0/y) = 0. */
function relativeEntropy(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}
