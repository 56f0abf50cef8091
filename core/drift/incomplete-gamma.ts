/**
 * The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), which give the
 * chi-square and normal tails. Numerical Recipes' split: the power series converges fast for
 * x < a + 1 (and P is then the small side), the Legendre continued fraction (modified Lentz) for
 * x ≥ a + 1 (where Q is the small side), so whichever side is tiny keeps its relative precision.
 */
import { FlywheelError } from '../errors';
import { logGamma } from './log-gamma';

/** Stop when a term changes the result by less than this fraction: about one ulp. */
const RELATIVE_TOLERANCE = 1e-16;
/** Both expansions need ~10·√a steps; this bound only guards against an argument that is NaN-like. */
const MAX_ITERATIONS = 1_000_000;
/** Lentz's stand-in for a zero denominator. */
const TINY = 1e-300;

/** P(a, x): the regularized lower incomplete gamma function, for a > 0 and x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return Number.NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/** Q(a, x) = 1 − P(a, x): the regularized upper incomplete gamma function, for a > 0 and x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

/** e^(−x) x^a / Γ(a), the factor both expansions share, in logs so neither part overflows. */
function prefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * RELATIVE_TOLERANCE) return sum * prefactor(a, x);
  }
  throw notConverged(a, x);
}

function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < RELATIVE_TOLERANCE * 2) return h * prefactor(a, x);
  }
  throw notConverged(a, x);
}

function notConverged(a: number, x: number): FlywheelError {
  return new FlywheelError('internal', `incomplete gamma did not converge for a=${a}, x=${x}`);
}
