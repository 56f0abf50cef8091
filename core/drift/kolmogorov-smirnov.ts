/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as `scipy.stats.ks_2samp(reference, current)`
 * computes it with its default `method='auto'`: exact path counting when both samples have at most
 * 10 000 values (SciPy's `MAX_AUTO_N`; the rule is on the larger size, not on n·m), else the
 * `kstwo` distribution at n = round(n1·n2/(n1+n2)). Ties are handled as SciPy does (ECDFs compared
 * after every distinct value), and in exact mode the statistic is snapped to a multiple of 1/lcm.
 */
import { FlywheelError } from '../errors';
import { kolmogorovSf } from './kolmogorov-distribution';
import { probOutsideInside, probOutsideSquare } from './ks-exact';
import { roundHalfEven } from './round-half-even';

/** SciPy's `MAX_AUTO_N`: exact p-values up to this many values in the larger sample. */
export const KS_MAX_EXACT_SIZE = 10_000;

const INT32_MAX = 2 ** 31 - 1;

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pValue: number;
  /** Which computation produced the p-value (`auto` resolves to one of these). */
  method: 'exact' | 'asymp';
}

/** Two-sided two-sample KS test of `reference` against `current` (finite numbers; order irrelevant). */
export function ks2Samp(reference: ArrayLike<number>, current: ArrayLike<number>, method: KsMethod = 'auto'): KsResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) {
    throw new FlywheelError('bad_input', 'ks2Samp needs at least one value in each sample', [
      { path: n1 === 0 ? 'reference' : 'current', message: 'empty sample' },
    ]);
  }
  const d0 = ksStatistic(Float64Array.from(reference).sort(), Float64Array.from(current).sort());
  let mode: 'exact' | 'asymp' = method === 'asymp' ? 'asymp' : 'exact';
  if (method === 'auto' && Math.max(n1, n2) > KS_MAX_EXACT_SIZE) mode = 'asymp';
  // As SciPy: an lcm beyond int32 cannot be counted exactly.
  const g = gcd(n1, n2);
  if (method === 'exact' && n1 / g >= INT32_MAX / (n2 / g)) mode = 'asymp';

  if (mode === 'exact') {
    const exact = exactTwoSided(n1, n2, g, d0);
    if (exact) return { statistic: exact.statistic, pValue: exact.pValue, method: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const pValue = Math.min(1, Math.max(0, kolmogorovSf(roundHalfEven(en), d0)));
  return { statistic: d0, pValue, method: 'asymp' };
}

/** sup |F_ref − F_cur| over the pooled values, formed exactly as SciPy forms it (count/n − count/m). */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] === value) i++;
    while (j < n2 && b[j] === value) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(1, -minDiff);
  return minS > maxDiff ? minS : maxDiff;
}

function exactTwoSided(n1: number, n2: number, g: number, d: number): { statistic: number; pValue: number } | null {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInside(n1, n2, g, h);
  // SciPy falls back to the asymptotic distribution when the count is not a probability.
  if (!(p >= 0 && p <= 1)) return null;
  return { statistic, pValue: p };
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
