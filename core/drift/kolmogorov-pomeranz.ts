/**
 * Pr(Dₙ ≤ d) for the one-sample two-sided Kolmogorov statistic by Pomeranz's recursion (SciPy's
 * `_kolmogn_Pomeranz`): 2n+1 steps, each a short convolution with truncated exponential series.
 * SciPy uses it for n ≤ 140 in the middle of the distribution.
 */
import { SCALE_DOWN, SCALE_EXPONENT, SCALE_UP, ldexp } from './scaled-float';

export function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const nPowers = 2 * (ll + 1);
  // (g/n)^m/m!, (2g/n)^m/m!, ((1−2g)/n)^m/m!
  const gPower = powerSeries(g / n, nPowers);
  const twoGPower = powerSeries((2 * g) / n, nPowers);
  const oneMinusTwoGPower = powerSeries((1 - 2 * g) / n, nPowers);

  let v0 = new Float64Array(nPowers);
  let v1 = new Float64Array(nPowers);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1, j2] = rowBounds(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = rowBounds(i, n, ll, ceilF, roundF);
    const powers = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const width = j2 - k1 + 1;
    if (width <= 0) continue;
    // conv = convolve(v0[k1−v0Start : +width], powers[:width]); keep conv[j1−k1 : j2−k1+1].
    const offset = k1 - v0Start;
    const aLength = Math.min(width, nPowers - offset);
    const bLength = Math.min(width, nPowers);
    const convStart = j1 - k1;
    const convLength = j2 - j1 + 1;
    let max = 0;
    for (let c = 0; c < convLength; c++) {
      const index = convStart + c;
      let sum = 0;
      const lo = Math.max(0, index - bLength + 1);
      const hi = Math.min(aLength - 1, index);
      for (let a = lo; a <= hi; a++) sum += v0[offset + a] * powers[index - a];
      v1[c] = sum;
      if (sum > max) max = sum;
    }
    if (max > 0 && max < SCALE_DOWN) {
      for (let c = 0; c < v1.length; c++) v1[c] *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
    v1Start = v0Start + j1 - k1;
  }

  let answer = v1[n - v1Start];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      exponent += SCALE_EXPONENT;
    }
    answer *= m;
  }
  return Math.min(1, Math.max(0, ldexp(answer, exponent)));
}

function powerSeries(base: number, length: number): Float64Array {
  const out = new Float64Array(length);
  out[0] = 1;
  for (let m = 1; m < length; m++) out[m] = (out[m - 1] * base) / m;
  return out;
}

/** The column interval [j1, j2] that row i of the recursion touches (Pomeranz's bounds). */
function rowBounds(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}
