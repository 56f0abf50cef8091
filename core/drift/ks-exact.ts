/**
 * Exact two-sided p-values of the two-sample Kolmogorov–Smirnov test, P(D ≥ h/lcm(n1, n2)) under
 * the null, by counting lattice paths as SciPy's `_attempt_exact_2kssamp` does: a Horner-style
 * alternating sum for equal sizes (`_compute_prob_outside_square`) and Viehmann's numerically stable
 * "1 − p inside" recursion (Hodges' inside method) otherwise (`_compute_outer_prob_inside_method`).
 */

/** P(D_{n,n} ≥ h/n) for two samples of the same size n, 0 < h ≤ n. */
export function probOutsideSquare(n: number, h: number): number {
  // 2·Σ (−1)^(k−1) C(2n, n−kh)/C(2n, n), each ratio a product of h factors, nested so no term cancels.
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D ≥ h/lcm) for sizes m ≠ n with g = gcd(m, n): the share of monotone lattice paths from (0,0)
 * to (m,n) that touch |x/m − y/n| ≥ h/lcm. Keeps one sliding column of the recursion.
 */
export function probOutsideInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let curLength = maxJ - minJ;
  const a = new Float64Array(Math.min(2 * maxJ + 2, n + 1)).fill(1);
  a.fill(0, minJ, maxJ);
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = curLength;
    minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    let value = minJ === 0 ? 0 : 1;
    for (let jj = 0; jj < maxJ - minJ; jj++) {
      const j = jj + minJ;
      value = (a[jj + minJ - lastMinJ] * i + value * j) / (i + j);
      a[jj] = value;
    }
    curLength = maxJ - minJ;
    if (lastLength > curLength) a.fill(1, maxJ - minJ, maxJ - minJ + (lastLength - curLength));
  }
  return a[maxJ - minJ - 1];
}
