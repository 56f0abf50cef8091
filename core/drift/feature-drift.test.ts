import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { expectClose } from '../../tests/support/expect-close';
import { featureDrift } from './feature-drift';
import { histogramOf } from './histogram';
import { integerSample, normalishSample } from './test-samples';
import type { NumericFeatureData } from './types';

// Expected values come from SciPy 1.17.1 on the Python twins of the samples (test-samples.ts), run
// through Evidently's stattests as its source writes them (ks_2samp, wasserstein_distance / np.std,
// chisquare with scaled expectations, jensenshannon, get_binned_data + PSI).

/** Evenly spaced bin edges, as a training profile would fix them: np.linspace(-4, 4, 17). */
const EDGES = Array.from({ length: 17 }, (_, i) => i * 0.5 - 4);

function numeric(sample: Float64Array, count?: number): NumericFeatureData {
  return { type: 'numeric', sample, histogram: histogramOf(sample, EDGES), ...(count === undefined ? {} : { count }) };
}

describe('featureDrift: Evidently’s default methods', () => {
  it('numeric, reference ≤ 1000 rows: KS, drift when p ≤ 0.05, PSI over Sturges bins', () => {
    // ks_2samp(normalish(30, 500), normalish(31, 300, 0.3)); PSI from get_binned_data (sturges, > 20 values)
    const r = featureDrift('x', { type: 'numeric', sample: normalishSample(30, 500) }, { type: 'numeric', sample: normalishSample(31, 300, 0.3) });
    expect(r.method).toBe('ks');
    expect(r.statistic).toBe(0.12066666666666667);
    expectClose(r.p_value!, 0.007855519346077611, 1e-10);
    expect(r.threshold).toBe(0.05);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, 0.1406838355703467, 1e-12);
    expect([r.reference_size, r.current_size]).toEqual([500, 300]);
  });

  it('numeric, large reference: normed Wasserstein (≥ 0.1), PSI over the baseline’s bins', () => {
    // wasserstein_distance(ref, cur) / np.std(ref), ref = normalish(32, 5000), cur = normalish(33, 800);
    // PSI on np.histogram(·, np.linspace(-4, 4, 17)) counts
    const reference = numeric(normalishSample(32, 5000), 20_000);
    const quiet = featureDrift('x', reference, numeric(normalishSample(33, 800)));
    expect(quiet.method).toBe('wasserstein');
    expectClose(quiet.statistic!, 0.0741913422773446, 1e-12);
    expect(quiet.p_value).toBeNull();
    expect(quiet.drifted).toBe(false);
    expectClose(quiet.psi!, 0.03436007584030504, 1e-12);
    // cur = normalish(34, 800, 0.5, 1.3): 3 values land above the last edge, in an overflow bin
    const shifted = featureDrift('x', reference, numeric(normalishSample(34, 800, 0.5, 1.3)));
    expectClose(shifted.statistic!, 0.565321709587337, 1e-12);
    expect(shifted.drifted).toBe(true);
    expectClose(shifted.psi!, 0.4359937756416543, 1e-12);
  });

  it('Jensen–Shannon on the baseline’s bins when asked for a numeric feature', () => {
    // jensenshannon(ref_counts, cur_counts + [overflow]) for the shifted case above
    const r = featureDrift('x', numeric(normalishSample(32, 5000), 20_000), numeric(normalishSample(34, 800, 0.5, 1.3)), {
      method: 'jensenshannon',
    });
    expectClose(r.statistic!, 0.21911245724340217, 1e-12);
    expect(r.drifted).toBe(true);
  });

  it('categorical, small reference: chi-square, drift when p < 0.05', () => {
    // chisquare([20, 30, 50], [50, 30, 20] scaled to 100)
    const r = featureDrift('c', { type: 'categorical', counts: { a: 50, b: 30, c: 20 } }, { type: 'categorical', counts: { a: 20, b: 30, c: 50 } });
    expect(r.method).toBe('chisquare');
    expect(r.statistic).toBe(63);
    expectClose(r.p_value!, 2.087967911645931e-14, 1e-10);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, 0.549774439124493, 1e-13);
  });

  it('binary categorical, small reference: the z-test on the share of the second category', () => {
    // sorted keys ['no', 'yes']: other = yes; z-test (40/100 vs 55/120)
    const r = featureDrift('b', { type: 'categorical', counts: { yes: 40, no: 60 } }, { type: 'categorical', counts: { yes: 55, no: 65 } });
    expect(r.method).toBe('z');
    expectClose(r.statistic!, -0.8697650418763532, 1e-14);
    expectClose(r.p_value!, 0.3844288193282097, 1e-12);
    expect(r.drifted).toBe(false);
  });

  it('categorical, large reference: Jensen–Shannon (≥ 0.1); the unseen bucket counts as a category', () => {
    // jensenshannon([0, 600, 400, 200], [5, 30, 50, 40]) over keys ['__other__', 'x', 'y', 'z']
    const r = featureDrift(
      'c',
      { type: 'categorical', counts: { x: 600, y: 400, z: 200 } },
      { type: 'categorical', counts: { x: 30, y: 50, z: 40, __other__: 5 } },
    );
    expect(r.method).toBe('jensenshannon');
    expectClose(r.statistic!, 0.2258287022721464, 1e-13);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, 0.5420693865961435, 1e-13);
  });

  it('numeric with ≤ 5 distinct values is compared as categories (chi-square on value counts)', () => {
    // value counts of integers(34, 300, 4) vs integers(35, 200, 4): [87, 76, 58, 79] vs [58, 38, 59, 45]
    const r = featureDrift('k', { type: 'numeric', sample: integerSample(34, 300, 4) }, { type: 'numeric', sample: integerSample(35, 200, 4) });
    expect(r.method).toBe('chisquare');
    expectClose(r.statistic!, 14.975229157573112, 1e-13);
    expectClose(r.p_value!, 0.0018379401763734835, 1e-10);
    expectClose(r.psi!, 0.06721069439703227, 1e-12);
  });

  it('a value the reference never had is certain drift under chi-square', () => {
    // integers(35, 200, 5) has 4s; integers(34, 300, 4) has none -> chisquare statistic inf, p 0
    const r = featureDrift('k', { type: 'numeric', sample: integerSample(34, 300, 4) }, { type: 'numeric', sample: integerSample(35, 200, 5) });
    expect(r.p_value).toBe(0);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, 1.5079280887281725, 1e-12);
  });

  it('numeric with few values and a large reference: Jensen–Shannon on value counts', () => {
    // value counts of integers(36, 3000, 3) vs integers(37, 400, 3): [1020, 1005, 975] vs [134, 131, 135]
    const r = featureDrift('k', { type: 'numeric', sample: integerSample(36, 3000, 3) }, { type: 'numeric', sample: integerSample(37, 400, 3) });
    expect(r.method).toBe('jensenshannon');
    expectClose(r.statistic!, 0.009457905450541771, 1e-12);
    expect(r.drifted).toBe(false);
    expectClose(r.psi!, 0.0007156481043344907, 1e-12);
  });

  it('numeric with two values and a small reference: the z-test', () => {
    // value counts [200, 200] vs [149, 151]
    const r = featureDrift('k', { type: 'numeric', sample: integerSample(38, 400, 2) }, { type: 'numeric', sample: integerSample(39, 300, 2) });
    expect(r.method).toBe('z');
    expectClose(r.statistic!, -0.08728751237068386, 1e-13);
    expectClose(r.p_value!, 0.9304429798182664, 1e-12);
  });

  it('ignores missing (non-finite) values, as Evidently drops them', () => {
    const clean = featureDrift('x', { type: 'numeric', sample: normalishSample(30, 500) }, { type: 'numeric', sample: normalishSample(31, 300, 0.3) });
    const dirty = featureDrift(
      'x',
      { type: 'numeric', sample: [...normalishSample(30, 500), Number.NaN, Infinity] },
      { type: 'numeric', sample: [Number.NaN, ...normalishSample(31, 300, 0.3)] },
    );
    expect(dirty).toEqual(clean);
  });
});

describe('featureDrift: overrides', () => {
  const reference = { type: 'categorical' as const, counts: { a: 50, b: 30, c: 20 } };
  const current = { type: 'categorical' as const, counts: { a: 45, b: 35, c: 20 } };

  it('takes another method and threshold per feature', () => {
    // PSI of [50, 30, 20] vs [45, 35, 20] = 0.012975559774254224
    const r = featureDrift('c', reference, current, { method: 'psi', threshold: 0.01 });
    expect(r.method).toBe('psi');
    expectClose(r.statistic!, 0.012975559774254224, 1e-13);
    expect(r.threshold).toBe(0.01);
    expect(r.drifted).toBe(true);
    expect(featureDrift('c', reference, current, { method: 'psi' }).drifted).toBe(false);
  });

  it('compares at the threshold as Evidently does: KS p ≤ t, chi-square p < t, distances ≥ t', () => {
    const sample = normalishSample(30, 500);
    const same = { type: 'numeric' as const, sample };
    expect(featureDrift('x', same, same, { threshold: 1 })).toMatchObject({ method: 'ks', p_value: 1, drifted: true });
    expect(featureDrift('c', reference, reference, { threshold: 1 })).toMatchObject({ method: 'chisquare', p_value: 1, drifted: false });
    expect(featureDrift('c', reference, reference, { method: 'jensenshannon', threshold: 0 })).toMatchObject({ statistic: 0, drifted: true });
  });

  it('refuses a method that does not fit the feature, an unknown one, or a bad threshold', () => {
    expect(() => featureDrift('c', reference, current, { method: 'ks' })).toThrow(/"ks" does not apply to categorical/);
    // @ts-expect-error: a name that is not a method, as it could arrive from JSON
    expect(() => featureDrift('c', reference, current, { method: 'anderson' })).toThrow(/unknown drift method "anderson"/);
    expect(() => featureDrift('c', reference, current, { threshold: -1 })).toThrow(FlywheelError);
  });

  it('refuses a reference and current of different types, naming the feature', () => {
    expect(() => featureDrift('age', { type: 'numeric', sample: [1, 2] }, current)).toThrow(/feature "age": reference is numeric but current is categorical/);
  });

  it('refuses a reference count that is not a count', () => {
    expect(() => featureDrift('x', { type: 'numeric', sample: [1, 2], count: Number.NaN }, { type: 'numeric', sample: [1] })).toThrow(
      /feature "x": reference count is NaN/,
    );
  });

  it('refuses histograms over different bins', () => {
    const ref = numeric(normalishSample(32, 5000), 20_000);
    const cur: NumericFeatureData = { type: 'numeric', sample: normalishSample(33, 800), histogram: histogramOf(normalishSample(33, 800), [0, 1, 2]) };
    expect(() => featureDrift('x', ref, cur)).toThrow(/histogram bins differ/);
  });
});

describe('featureDrift: thin data is reported, not thrown', () => {
  const reference = { type: 'numeric' as const, sample: normalishSample(30, 500) };

  it('an empty window: not drifted, with a reason', () => {
    const r = featureDrift('x', reference, { type: 'numeric', sample: [] });
    expect(r).toMatchObject({ method: 'ks', statistic: null, p_value: null, psi: null, drifted: false, reason: 'no current values' });
  });

  it('a window below the minimum size: not drifted, with a reason; the minimum can be lowered', () => {
    const tiny = { type: 'numeric' as const, sample: normalishSample(31, 10, 5) };
    expect(featureDrift('x', reference, tiny)).toMatchObject({ drifted: false, reason: 'only 10 current values (at least 30 needed)' });
    const judged = featureDrift('x', reference, tiny, { minCurrentSize: 5 });
    expect(judged.reason).toBeUndefined();
    expect(judged.drifted).toBe(true);
  });

  it('an empty reference: not drifted, with a reason', () => {
    const r = featureDrift('c', { type: 'categorical', counts: {} }, { type: 'categorical', counts: { a: 100 } });
    expect(r).toMatchObject({ drifted: false, reason: 'no reference values' });
  });
});
