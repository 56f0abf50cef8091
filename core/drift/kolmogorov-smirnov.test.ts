import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { expectClose } from '../../tests/support/expect-close';
import { ks2Samp } from './kolmogorov-smirnov';
import { KS_CASES, type KsCase } from './kolmogorov-smirnov.reference';
import { sampleOf } from './test-samples';

function run(c: KsCase) {
  return ks2Samp(sampleOf(c.a), sampleOf(c.b), c.mode);
}

describe('ks2Samp agrees with scipy.stats.ks_2samp', () => {
  it('exact, unequal sizes (50 vs 60)', () => {
    const c = KS_CASES.exactUnequal;
    const r = run(c);
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(c.statistic);
    expectClose(r.pValue, c.pValue, 1e-12);
  });

  it('exact, equal sizes (80 vs 80)', () => {
    const c = KS_CASES.exactEqual;
    const r = run(c);
    expect(r.statistic).toBe(c.statistic);
    expectClose(r.pValue, c.pValue, 1e-12);
  });

  it('handles ties as SciPy does', () => {
    const c = KS_CASES.ties;
    const r = run(c);
    expect(r.statistic).toBe(c.statistic);
    expectClose(r.pValue, c.pValue, 1e-12);
  });

  it('identical samples: D = 0, p = 1', () => {
    const c = KS_CASES.identical;
    expect(run(c)).toEqual({ statistic: c.statistic, pValue: c.pValue, method: 'exact' });
  });

  it('disjoint samples: D = 1 and the exact tiny p-value', () => {
    const c = KS_CASES.disjoint;
    const r = run(c);
    expect(r.statistic).toBe(c.statistic);
    expectClose(r.pValue, c.pValue, 1e-12);
  });

  it('stays exact up to 10 000 values per side, as SciPy auto does (3000 vs 4000)', () => {
    const c = KS_CASES.large;
    const r = run(c);
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(c.statistic);
    expectClose(r.pValue, c.pValue, 1e-10);
  });

  it('switches to the kstwo distribution above 10 000 values (12000 vs 11000)', () => {
    const c = KS_CASES.beyondExact;
    const r = run(c);
    expect(r.method).toBe('asymp');
    expectClose(r.statistic, c.statistic, 1e-15);
    expectClose(r.pValue, c.pValue, 1e-10);
  });

  it('asymptotic on request (3000 vs 4000)', () => {
    const c = KS_CASES.asymptotic;
    const r = run(c);
    expect(r.method).toBe('asymp');
    expectClose(r.statistic, c.statistic, 1e-15);
    expectClose(r.pValue, c.pValue, 1e-10);
  });

  it('one value each side', () => {
    const c = KS_CASES.singleValues;
    expect(run(c)).toEqual({ statistic: c.statistic, pValue: c.pValue, method: 'exact' });
  });

  it('refuses an empty sample with bad_input', () => {
    expect(() => ks2Samp([], [1, 2])).toThrow(FlywheelError);
    expect(() => ks2Samp([1], [])).toThrow(/at least one value/);
  });
});
