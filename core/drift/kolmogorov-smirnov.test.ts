import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { expectClose } from '../../tests/support/expect-close';
import { ks2Samp } from './kolmogorov-smirnov';
import { integerSample, normalishSample } from './test-samples';

// Expected values: r = scipy.stats.ks_2samp(a, b) (SciPy 1.17.1, method='auto'), (r.statistic, r.pvalue),
// with a, b from the Python twins of normalishSample / integerSample (see test-samples.ts).
describe('ks2Samp agrees with scipy.stats.ks_2samp', () => {
  it('exact, unequal sizes (50 vs 60)', () => {
    // ks_2samp(normalish(1, 50), normalish(2, 60, 0.5))
    const r = ks2Samp(normalishSample(1, 50), normalishSample(2, 60, 0.5));
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(0.4533333333333333);
    expectClose(r.pValue, 1.4276982830087712e-5, 1e-12);
  });

  it('exact, equal sizes (80 vs 80)', () => {
    // ks_2samp(normalish(3, 80), normalish(4, 80, 0.3))
    const r = ks2Samp(normalishSample(3, 80), normalishSample(4, 80, 0.3));
    expect(r.statistic).toBe(0.2375);
    expectClose(r.pValue, 0.021626029395464805, 1e-12);
  });

  it('handles ties as SciPy does', () => {
    // ks_2samp(integers(5, 200, 10), integers(6, 150, 12))
    const r = ks2Samp(integerSample(5, 200, 10), integerSample(6, 150, 12));
    expect(r.statistic).toBe(0.18666666666666668);
    expectClose(r.pValue, 0.004479907502056654, 1e-12);
  });

  it('identical samples: D = 0, p = 1', () => {
    // ks_2samp(a, a) with a = normalish(14, 100)
    const a = normalishSample(14, 100);
    expect(ks2Samp(a, a)).toEqual({ statistic: 0, pValue: 1, method: 'exact' });
  });

  it('disjoint samples: D = 1 and the exact tiny p-value', () => {
    // ks_2samp(normalish(8, 40), normalish(9, 30, 100))
    const r = ks2Samp(normalishSample(8, 40), normalishSample(9, 30, 100));
    expect(r.statistic).toBe(1);
    expectClose(r.pValue, 3.6135170070159586e-20, 1e-12);
  });

  it('stays exact up to 10 000 values per side, as SciPy auto does (3000 vs 4000)', () => {
    // ks_2samp(normalish(10, 3000), normalish(11, 4000, 0.05))
    const r = ks2Samp(normalishSample(10, 3000), normalishSample(11, 4000, 0.05));
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(0.02725);
    expectClose(r.pValue, 0.1542588718086824, 1e-10);
  });

  it('switches to the kstwo distribution above 10 000 values (12000 vs 11000)', () => {
    // ks_2samp(normalish(12, 12000), normalish(13, 11000, 0.03))
    const r = ks2Samp(normalishSample(12, 12000), normalishSample(13, 11000, 0.03));
    expect(r.method).toBe('asymp');
    expectClose(r.statistic, 0.020628787878787858, 1e-15);
    expectClose(r.pValue, 0.014916206809310127, 1e-10);
  });

  it('asymptotic on request (3000 vs 4000)', () => {
    // ks_2samp(normalish(10, 3000), normalish(11, 4000, 0.05), method='asymp')
    const r = ks2Samp(normalishSample(10, 3000), normalishSample(11, 4000, 0.05), 'asymp');
    expect(r.method).toBe('asymp');
    expectClose(r.statistic, 0.027249999999999996, 1e-15);
    expectClose(r.pValue, 0.1539585921956188, 1e-10);
  });

  it('one value each side', () => {
    // ks_2samp([1.0], [2.0])
    expect(ks2Samp([1], [2])).toEqual({ statistic: 1, pValue: 1, method: 'exact' });
  });

  it('refuses an empty sample with bad_input', () => {
    expect(() => ks2Samp([], [1, 2])).toThrow(FlywheelError);
    expect(() => ks2Samp([1], [])).toThrow(/at least one value/);
  });
});
