/**
 * Exact power-of-two scaling for the Kolmogorov recursions, which keep a float and a separate binary
 * exponent so intermediate values far outside double range still carry full precision (SciPy's
 * `_E128` bookkeeping and `np.ldexp`).
 */

/** Rescale by 2^±128 whenever a running value leaves [2^-128, 2^128]. */
export const SCALE_EXPONENT = 128;
export const SCALE_UP = 2 ** SCALE_EXPONENT;
export const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

/** Largest power-of-two step that is itself a finite, normal double. */
const MAX_STEP = 1000;

/** x · 2^exponent, stepping so no intermediate overflows or underflows before the result would. */
export function ldexp(x: number, exponent: number): number {
  let result = x;
  let left = exponent;
  while (left !== 0 && result !== 0 && Number.isFinite(result)) {
    const step = Math.max(-MAX_STEP, Math.min(MAX_STEP, left));
    result *= 2 ** step;
    left -= step;
  }
  return result;
}
