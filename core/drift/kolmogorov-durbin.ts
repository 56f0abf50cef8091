/**
 * Pr(Dₙ ≤ d) for the one-sample two-sided Kolmogorov statistic by Durbin's matrix method in the
 * Marsaglia–Tsang–Wang form (SciPy's `_kolmogn_DMTW`): the (k,k) entry of Hⁿ, for a (2k−1)-square H,
 * times n!/nⁿ. Used where the CDF is small (n·d² small), where it is exact and cheap.
 */
import { SCALE_DOWN, SCALE_EXPONENT, SCALE_UP, ldexp } from './scaled-float';

export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  // v[j] = (1 − h^(j+1)) / (j+1)!, w[j] = 1/j!; the last entry of v gets the corner correction.
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * factorial;
  }
  const corner = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  v[m - 1] = (1 + corner) * factorial;

  let H: Float64Array = new Float64Array(m * m);
  for (let col = 1; col < m; col++) {
    for (let row = col - 1; row < m; row++) H[row * m + col] = w[row - col + 1];
  }
  for (let row = 0; row < m; row++) H[row * m] = v[row];
  for (let col = 0; col < m; col++) H[(m - 1) * m + col] = v[m - 1 - col];

  let power: Float64Array = identity(m);
  let exponent = 0;
  let hExponent = 0;
  const centre = (k - 1) * m + (k - 1);
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2 === 1) {
      power = multiply(power, H, m);
      exponent += hExponent;
    }
    H = multiply(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[centre]) > SCALE_UP) {
      for (let i = 0; i < H.length; i++) H[i] *= SCALE_DOWN;
      hExponent += SCALE_EXPONENT;
    }
  }

  let p = power[centre];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  return clipProbability(ldexp(p, exponent));
}

function identity(m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) out[i * m + i] = 1;
  return out;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l];
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += ail * b[l * m + j];
    }
  }
  return out;
}

function clipProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}
