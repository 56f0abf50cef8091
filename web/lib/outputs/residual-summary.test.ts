import { describe, expect, it } from 'vitest';
import { summarise } from './residual-summary';

describe('residual summary', () => {
  it('computes bias, MAE and numpy-style quantiles', () => {
    const residual = [-2, -1, 0, 1, 5];
    const s = summarise(residual.map((r, i) => ({ predicted: i, residual: r })));
    expect(s.rows).toBe(5);
    expect(s.mean).toBeCloseTo(0.6, 12);
    expect(s.mae).toBeCloseTo(1.8, 12);
    expect(s.maxAbs).toBe(5);
    // numpy.percentile([-2, -1, 0, 1, 5], [5, 25, 50, 75, 95]) → [-1.8, -1, 0, 1, 4.2]
    expect(s.quantiles.p5).toBeCloseTo(-1.8, 12);
    expect(s.quantiles.p25).toBe(-1);
    expect(s.quantiles.p50).toBe(0);
    expect(s.quantiles.p75).toBe(1);
    expect(s.quantiles.p95).toBeCloseTo(4.2, 12);
  });
});
