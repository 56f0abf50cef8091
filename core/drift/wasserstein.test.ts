import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { normalishSample, sampleOf } from './test-samples';
import { normedWassersteinDistance, populationStd, wassersteinDistance } from './wasserstein';
import { WASSERSTEIN_CASES, type WassersteinCase } from './wasserstein.reference';

describe('wassersteinDistance agrees with scipy.stats.wasserstein_distance', () => {
  it.each([
    ['small samples (50 vs 60)', WASSERSTEIN_CASES.small, 1e-13],
    ['samples with ties', WASSERSTEIN_CASES.ties, 1e-13],
    ['large samples (3000 vs 4000)', WASSERSTEIN_CASES.large, 1e-12],
  ] satisfies [string, WassersteinCase, number][])('%s', (_, c, relative) => {
    const a = sampleOf(c.a);
    const b = sampleOf(c.b);
    expectClose(wassersteinDistance(a, b), c.distance, relative);
    expectClose(normedWassersteinDistance(a, b), c.normed, relative);
  });

  it('floors a constant reference’s std at 0.001, as Evidently does', () => {
    const c = WASSERSTEIN_CASES.constantReference;
    expectClose(wassersteinDistance(sampleOf(c.a), sampleOf(c.b)), c.distance, 1e-13);
    expectClose(normedWassersteinDistance(sampleOf(c.a), sampleOf(c.b)), c.normed, 1e-13);
  });

  it('is 0 between a sample and itself, symmetric, and a shift moves it by the shift', () => {
    const a = normalishSample(3, 100);
    expect(wassersteinDistance(a, a)).toBe(0);
    const b = normalishSample(4, 70);
    expect(wassersteinDistance(a, b)).toBeCloseTo(wassersteinDistance(b, a), 14);
    expectClose(
      wassersteinDistance(
        a,
        a.map((x) => x + 3),
      ),
      3,
      1e-12,
    );
  });

  it('computes NumPy’s population std (ddof = 0)', () => {
    expect(populationStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(1.25), 15);
  });

  it('refuses an empty sample', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(/at least one value/);
  });
});
