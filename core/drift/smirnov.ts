/**
 * The one-sided Kolmogorov–Smirnov (Smirnov) survival function P(D⁺ₙ ≥ x), as
 * `scipy.special.smirnov(n, x)` computes it; the two-sided distribution uses 2·smirnov in its tail.
 * Follows SciPy's cephes `_smirnov` regimes; the main one is the Birnbaum–Tingey sum, whose terms
 * are all positive, so it is summed in logs (binomial kept as mantissa·2^exponent) with no
 * cancellation. SciPy carries double-doubles there; plain doubles agree to ~n·1e-16 relative.
 */
import { SCALE_DOWN, SCALE_EXPONENT, SCALE_UP } from './scaled-float';

/** Below this log-probability the survival function underflows a double (cephes MINLOG). */
const MIN_LOG = -708.3964185322641;
/** Beyond this n, cephes switches to the closed-form approximation rather than summing n terms. */
const MAX_COMPUTE_N = 1_000_000;

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1) || !Number.isInteger(n)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  const { floor: nxFloor, fraction: alpha } = splitProduct(n, x);
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    // x ≤ 1/n: the distribution is a single polynomial piece.
    return 1 - x * Math.pow(1 + x, n - 1);
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return Math.pow(1 - x, n);
  if (n > MAX_COMPUTE_N) {
    const logP = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return logP < -Math.LN2 ? Math.exp(logP) : 1 + Math.expm1(logP);
  }
  return Math.min(1, Math.max(0, x * birnbaumTingeySum(n, nxFloor, alpha)));
}

/**
 * Σⱼ C(n,j) (1−x−j/n)^(n−j) (x+j/n)^(j−1) for j = 0 … ⌊n(1−x)⌋, less the zero term when n·x is
 * whole, with x = (nxFloor + alpha)/n so that both bases are formed from exact integers.
 */
function birnbaumTingeySum(n: number, nxFloor: number, alpha: number): number {
  const nTerms = n - nxFloor;
  let binomialMantissa = 1;
  let binomialExponent = 0;
  let sum = 0;
  for (let j = 0; j < nTerms; j++) {
    const lower = (n - nxFloor - j - alpha) / n; // 1 − x − j/n
    const upper = (nxFloor + j + alpha) / n; // x + j/n
    const logTerm =
      Math.log(binomialMantissa) + binomialExponent * Math.LN2 + (n - j) * Math.log(lower) + (j - 1) * Math.log(upper);
    const term = Math.exp(logTerm);
    sum += term;
    // SciPy's early exit: the remaining terms cannot move the sum.
    if (term !== 0) {
      if (4 * (nTerms - j) * term < Number.EPSILON * sum && j !== nTerms - 1) break;
    } else if (j > n / 2) {
      break;
    }
    binomialMantissa *= (n - j) / (j + 1);
    if (binomialMantissa > SCALE_UP) {
      binomialMantissa *= SCALE_DOWN;
      binomialExponent += SCALE_EXPONENT;
    } else if (binomialMantissa < SCALE_DOWN) {
      binomialMantissa *= SCALE_UP;
      binomialExponent -= SCALE_EXPONENT;
    }
  }
  return sum;
}

/** ⌊n·x⌋ and n·x − ⌊n·x⌋ from the exact product (Dekker's two-product), as cephes' `modNX` does. */
function splitProduct(n: number, x: number): { floor: number; fraction: number } {
  const hi = n * x;
  const lo = twoProductError(n, x, hi);
  let floor = Math.floor(hi);
  let fraction = hi - floor + lo;
  if (fraction < 0) {
    floor -= 1;
    fraction += 1;
  }
  if (fraction >= 1) {
    floor += 1;
    fraction = 0;
  }
  return { floor, fraction };
}

/** Veltkamp splitting factor 2^27 + 1. */
const SPLITTER = 134217729;

/** The rounding error of a·b = hi, exactly (Dekker). */
function twoProductError(a: number, b: number, hi: number): number {
  const ca = SPLITTER * a;
  const aHi = ca - (ca - a);
  const aLo = a - aHi;
  const cb = SPLITTER * b;
  const bHi = cb - (cb - b);
  const bLo = b - bHi;
  return aLo * bLo - (hi - aHi * bHi - aLo * bHi - aHi * bLo);
}
