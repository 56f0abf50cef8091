/**
 * Axis arithmetic for the hand-drawn SVG charts: "nice" tick values (1, 2, 5 × 10ⁿ steps, as d3 picks
 * them) and short number labels, so a histogram's axis reads 0, 20, 40 rather than 0, 17.3, 34.6.
 */

/** Up to about `count` evenly spaced round values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  if (min > max) [min, max] = [max, min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  // d3's thresholds: round the raw step to the nearest of 1, 2, 5, 10 on a log scale.
  const step =
    (fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.sqrt(2) ? 2 : 1) * power;
  const start = Math.ceil(min / step - 1e-9);
  const end = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  // Multiplying (not accumulating) keeps 0.1 × 3 from drifting to 0.30000000000000004 steps apart.
  for (let i = start; i <= end; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** A compact label: 1,234 · 12.3k · 4.5M · 0.0123 · —; at most 3 significant digits past a thousand. */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((n / 1e3).toPrecision(3))}k`;
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 1) return String(Number(n.toPrecision(3)));
  return String(Number(n.toPrecision(3)));
}

/** Share of row `t` in cell (t, p): how a confusion-matrix cell is shaded (recall per true class). */
export function rowShare(matrix: number[][], t: number, p: number): number {
  const total = matrix[t].reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : matrix[t][p] / total;
}
