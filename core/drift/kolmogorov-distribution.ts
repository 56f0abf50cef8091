/**
 * The survival function of the one-sample two-sided Kolmogorov–Smirnov statistic Dₙ,
 * `scipy.stats.kstwo.sf(d, n)`, which `ks_2samp` uses for its asymptotic p-value. Follows SciPy's
 * `_kolmogn` (Simard & L'Ecuyer 2011) regime by regime: closed forms at the ends of the support,
 * 2·smirnov in the upper tail, Durbin's matrix for small n·d², Pomeranz for small n, and Pelz–Good
 * for large n, so every case uses the same method SciPy does.
 */
import { kolmogorovCdfDurbin } from './kolmogorov-durbin';
import { kolmogorovCdfPelzGood } from './kolmogorov-pelz-good';
import { kolmogorovCdfPomeranz } from './kolmogorov-pomeranz';
import { smirnovSf } from './smirnov';

/** Up to this n SciPy computes exact probabilities (product formula, Durbin, Pomeranz). */
const SMALL_N = 140;
/** n·d² boundaries between SciPy's regimes (Simard & L'Ecuyer's choices). */
const DURBIN_MAX_NXX = 0.754693;
const POMERANZ_MAX_NXX = 4;
const SMIRNOV_MIN_NXX = 2.2;
const ZERO_SF_MIN_NXX = 370;
const ONE_CDF_MIN_NXX = 18;
/** Large-n Durbin applies while n ≤ 100000 and n·d^1.5 ≤ 1.4. */
const DURBIN_LARGE_MAX_N = 100_000;
const DURBIN_LARGE_MAX_NX15 = 1.4;
const LOG_2PI = Math.log(2 * Math.PI);
/** Stirling-series coefficients for ln(n!/nⁿ), highest power first (SciPy's `_STIRLING_COEFFS`). */
const STIRLING_COEFFICIENTS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953,
  0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

/** P(Dₙ ≥ d) for a sample of n values against a continuous distribution. */
export function kolmogorovSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    // Ruben–Gambino: for 1/2n ≤ d ≤ 1/n the CDF is n!/nⁿ (2t − 1)ⁿ.
    if (t <= 0.5) return 1;
    const cdf = n <= SMALL_N ? productCdf(n, t) : Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - d, n));
  if (d >= 0.5) return clip(2 * smirnovSf(n, d));

  const nxx = t * d;
  if (n <= SMALL_N) {
    if (nxx <= DURBIN_MAX_NXX) return clip(1 - kolmogorovCdfDurbin(n, d));
    if (nxx <= POMERANZ_MAX_NXX) return clip(1 - kolmogorovCdfPomeranz(n, d));
    return clip(2 * smirnovSf(n, d));
  }
  if (nxx >= ZERO_SF_MIN_NXX) return 0;
  if (nxx >= SMIRNOV_MIN_NXX) return clip(2 * smirnovSf(n, d));
  let cdf: number;
  if (nxx >= ONE_CDF_MIN_NXX) cdf = 1;
  else if (n <= DURBIN_LARGE_MAX_N && n * Math.pow(d, 1.5) <= DURBIN_LARGE_MAX_NX15) cdf = kolmogorovCdfDurbin(n, d);
  else cdf = kolmogorovCdfPelzGood(n, d);
  return clip(1 - clip(cdf));
}

function productCdf(n: number, t: number): number {
  let product = 1;
  for (let i = 1; i <= n; i++) product *= i * (1 / n) * (2 * t - 1);
  return product;
}

/** ln(n!/nⁿ) by Stirling's series. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING_COEFFICIENTS) poly = poly * y + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
