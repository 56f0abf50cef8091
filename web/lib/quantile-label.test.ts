import { describe, expect, it } from 'vitest';
import { mergeProfiles, profileTable, type NumericProfile } from '../../core/features';
import type { Table } from '../../core/data/table';
import { quantileLabel } from './quantile-label';

const column = (from: number, n: number): Table => ({
  rowCount: n,
  columns: [{ kind: 'number', name: 'x', values: Float64Array.from({ length: n }, (_, i) => from + i) }],
});

describe('quantileLabel', () => {
  it("shows an exact median as it is, and a merged large profile's median with ≈", () => {
    const a = profileTable(column(0, 10_000));
    const b = profileTable(column(10_000, 10_000), { binsFrom: a });
    const exact = quantileLabel(a.columns[0] as NumericProfile, '0.5', String);
    expect(exact).toEqual({ text: '4999.5' });
    const merged = quantileLabel(mergeProfiles(a, b).columns[0] as NumericProfile, '0.5', String);
    expect(merged.text).toMatch(/^≈\d+/);
    expect(Math.abs(Number(merged.text.slice(1)) - 9_999.5)).toBeLessThan(0.005 * 20_000);
    expect(merged.title).toContain('sketch');
    // Small parts merge exactly (every value is in the sample): no ≈.
    const small = mergeProfiles(
      profileTable(column(0, 100)),
      profileTable(column(100, 100), { binsFrom: profileTable(column(0, 100)) }),
    );
    expect(quantileLabel(small.columns[0] as NumericProfile, '0.5', String)).toEqual({ text: '99.5' });
  });
});
