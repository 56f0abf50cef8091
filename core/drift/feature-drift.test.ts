import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { expectClose } from '../../tests/support/expect-close';
import { featureDrift } from './feature-drift';
import { histogramOf } from './histogram';
import { FEATURE_DRIFT_CASES } from './feature-drift.reference';
import { normalishSample, sampleOf, type SampleSpec } from './test-samples';
import type { CategoricalFeatureData, NumericFeatureData } from './types';

/** Evenly spaced bin edges, as a training profile would fix them: np.linspace(-4, 4, 17). */
const EDGES = Array.from({ length: 17 }, (_, i) => i * 0.5 - 4);
const C = FEATURE_DRIFT_CASES;

function numeric(sample: Float64Array, count?: number): NumericFeatureData {
  return { type: 'numeric', sample, histogram: histogramOf(sample, EDGES), ...(count === undefined ? {} : { count }) };
}

/** A numeric side as raw values only (no histogram sketch). */
function values(spec: SampleSpec): NumericFeatureData {
  return { type: 'numeric', sample: sampleOf(spec) };
}

function categories(counts: Record<string, number>): CategoricalFeatureData {
  return { type: 'categorical', counts };
}

describe('featureDrift: Evidently’s default methods', () => {
  it('numeric, reference ≤ 1000 rows: KS, drift when p ≤ 0.05, PSI over Sturges bins', () => {
    const r = featureDrift('x', values(C.ks.reference), values(C.ks.current));
    expect(r.method).toBe('ks');
    expect(r.statistic).toBe(C.ks.statistic);
    expectClose(r.p_value!, C.ks.pValue, 1e-10);
    expect(r.threshold).toBe(0.05);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, C.ks.psi, 1e-12);
    expect([r.reference_size, r.current_size]).toEqual([500, 300]);
  });

  it('numeric, large reference: normed Wasserstein (≥ 0.1), PSI over the baseline’s bins', () => {
    const reference = numeric(sampleOf(C.wassersteinQuiet.reference), 20_000);
    const quiet = featureDrift('x', reference, numeric(sampleOf(C.wassersteinQuiet.current)));
    expect(quiet.method).toBe('wasserstein');
    expectClose(quiet.statistic!, C.wassersteinQuiet.statistic, 1e-12);
    expect(quiet.p_value).toBeNull();
    expect(quiet.drifted).toBe(false);
    expectClose(quiet.psi!, C.wassersteinQuiet.psi, 1e-12);
    // 3 current values land above the last edge, in an overflow bin
    const shifted = featureDrift(
      'x',
      numeric(sampleOf(C.wassersteinShifted.reference), 20_000),
      numeric(sampleOf(C.wassersteinShifted.current)),
    );
    expectClose(shifted.statistic!, C.wassersteinShifted.statistic, 1e-12);
    expect(shifted.drifted).toBe(true);
    expectClose(shifted.psi!, C.wassersteinShifted.psi, 1e-12);
  });

  it('Jensen–Shannon on the baseline’s bins when asked for a numeric feature', () => {
    const c = C.jensenShannonBinned;
    const r = featureDrift('x', numeric(sampleOf(c.reference), 20_000), numeric(sampleOf(c.current)), {
      method: 'jensenshannon',
    });
    expectClose(r.statistic!, c.statistic, 1e-12);
    expect(r.drifted).toBe(true);
  });

  it('categorical, small reference: chi-square, drift when p < 0.05', () => {
    const c = C.chiSquare;
    const r = featureDrift('c', categories(c.reference), categories(c.current));
    expect(r.method).toBe('chisquare');
    expect(r.statistic).toBe(c.statistic);
    expectClose(r.p_value!, c.pValue, 1e-10);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, c.psi, 1e-13);
  });

  it('binary categorical, small reference: the z-test on the share of the second category', () => {
    const c = C.zTest;
    const r = featureDrift('b', categories(c.reference), categories(c.current));
    expect(r.method).toBe('z');
    expectClose(r.statistic!, c.statistic, 1e-14);
    expectClose(r.p_value!, c.pValue, 1e-12);
    expect(r.drifted).toBe(false);
  });

  it('categorical, large reference: Jensen–Shannon (≥ 0.1); the unseen bucket counts as a category', () => {
    const c = C.jensenShannonCategories;
    const r = featureDrift('c', categories(c.reference), categories(c.current));
    expect(r.method).toBe('jensenshannon');
    expectClose(r.statistic!, c.statistic, 1e-13);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, c.psi, 1e-13);
  });

  it('numeric with ≤ 5 distinct values is compared as categories (chi-square on value counts)', () => {
    const c = C.chiSquareValues;
    const r = featureDrift('k', values(c.reference), values(c.current));
    expect(r.method).toBe('chisquare');
    expectClose(r.statistic!, c.statistic, 1e-13);
    expectClose(r.p_value!, c.pValue, 1e-10);
    expectClose(r.psi!, c.psi, 1e-12);
  });

  it('a value the reference never had is certain drift under chi-square', () => {
    const c = C.unseenValue;
    const r = featureDrift('k', values(c.reference), values(c.current));
    expect(r.statistic).toBe(c.statistic);
    expect(r.p_value).toBe(c.pValue);
    expect(r.drifted).toBe(true);
    expectClose(r.psi!, c.psi, 1e-12);
  });

  it('numeric with few values and a large reference: Jensen–Shannon on value counts', () => {
    const c = C.jensenShannonValues;
    const r = featureDrift('k', values(c.reference), values(c.current));
    expect(r.method).toBe('jensenshannon');
    expectClose(r.statistic!, c.statistic, 1e-12);
    expect(r.drifted).toBe(false);
    expectClose(r.psi!, c.psi, 1e-12);
  });

  it('numeric with two values and a small reference: the z-test', () => {
    const c = C.zTestValues;
    const r = featureDrift('k', values(c.reference), values(c.current));
    expect(r.method).toBe('z');
    expectClose(r.statistic!, c.statistic, 1e-13);
    expectClose(r.p_value!, c.pValue, 1e-12);
  });

  it('ignores missing (non-finite) values, as Evidently drops them', () => {
    const clean = featureDrift(
      'x',
      { type: 'numeric', sample: normalishSample(30, 500) },
      { type: 'numeric', sample: normalishSample(31, 300, 0.3) },
    );
    const dirty = featureDrift(
      'x',
      { type: 'numeric', sample: [...normalishSample(30, 500), Number.NaN, Infinity] },
      { type: 'numeric', sample: [Number.NaN, ...normalishSample(31, 300, 0.3)] },
    );
    expect(dirty).toEqual(clean);
  });
});

describe('featureDrift: overrides', () => {
  const reference = categories(C.psiOverride.reference);
  const current = categories(C.psiOverride.current);

  it('takes another method and threshold per feature', () => {
    const r = featureDrift('c', reference, current, { method: 'psi', threshold: 0.01 });
    expect(r.method).toBe('psi');
    expectClose(r.statistic!, C.psiOverride.statistic, 1e-13);
    expect(r.threshold).toBe(0.01);
    expect(r.drifted).toBe(true);
    expect(featureDrift('c', reference, current, { method: 'psi' }).drifted).toBe(false);
  });

  it('compares at the threshold as Evidently does: KS p ≤ t, chi-square p < t, distances ≥ t', () => {
    const sample = normalishSample(30, 500);
    const same = { type: 'numeric' as const, sample };
    expect(featureDrift('x', same, same, { threshold: 1 })).toMatchObject({ method: 'ks', p_value: 1, drifted: true });
    expect(featureDrift('c', reference, reference, { threshold: 1 })).toMatchObject({
      method: 'chisquare',
      p_value: 1,
      drifted: false,
    });
    expect(featureDrift('c', reference, reference, { method: 'jensenshannon', threshold: 0 })).toMatchObject({
      statistic: 0,
      drifted: true,
    });
  });

  it('refuses a method that does not fit the feature, an unknown one, or a bad threshold', () => {
    expect(() => featureDrift('c', reference, current, { method: 'ks' })).toThrow(/"ks" does not apply to categorical/);
    // @ts-expect-error: a name that is not a method, as it could arrive from JSON
    expect(() => featureDrift('c', reference, current, { method: 'anderson' })).toThrow(
      /unknown drift method "anderson"/,
    );
    expect(() => featureDrift('c', reference, current, { threshold: -1 })).toThrow(FlywheelError);
  });

  it('refuses a reference and current of different types, naming the feature', () => {
    expect(() => featureDrift('age', { type: 'numeric', sample: [1, 2] }, current)).toThrow(
      /feature "age": reference is numeric but current is categorical/,
    );
  });

  it('refuses a reference count that is not a count', () => {
    expect(() =>
      featureDrift('x', { type: 'numeric', sample: [1, 2], count: Number.NaN }, { type: 'numeric', sample: [1] }),
    ).toThrow(/feature "x": reference count is NaN/);
  });

  it('refuses histograms over different bins', () => {
    const ref = numeric(normalishSample(32, 5000), 20_000);
    const cur: NumericFeatureData = {
      type: 'numeric',
      sample: normalishSample(33, 800),
      histogram: histogramOf(normalishSample(33, 800), [0, 1, 2]),
    };
    expect(() => featureDrift('x', ref, cur)).toThrow(/histogram bins differ/);
  });
});

describe('featureDrift: thin data is reported, not thrown', () => {
  const reference = { type: 'numeric' as const, sample: normalishSample(30, 500) };

  it('an empty window: not drifted, with a reason', () => {
    const r = featureDrift('x', reference, { type: 'numeric', sample: [] });
    expect(r).toMatchObject({
      method: 'ks',
      statistic: null,
      p_value: null,
      psi: null,
      drifted: false,
      reason: 'no current values',
    });
  });

  it('a window below the minimum size: not drifted, with a reason; the minimum can be lowered', () => {
    const tiny = { type: 'numeric' as const, sample: normalishSample(31, 10, 5) };
    expect(featureDrift('x', reference, tiny)).toMatchObject({
      drifted: false,
      reason: 'only 10 current values (at least 30 needed)',
    });
    const judged = featureDrift('x', reference, tiny, { minCurrentSize: 5 });
    expect(judged.reason).toBeUndefined();
    expect(judged.drifted).toBe(true);
  });

  it('an empty reference: not drifted, with a reason', () => {
    const r = featureDrift('c', { type: 'categorical', counts: {} }, { type: 'categorical', counts: { a: 100 } });
    expect(r).toMatchObject({ drifted: false, reason: 'no reference values' });
  });
});
