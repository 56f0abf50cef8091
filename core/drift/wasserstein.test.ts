import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { integerSample, normalishSample } from './test-samples';
import { normedWassersteinDistance, populationStd, wassersteinDistance } from './wasserstein';

// Expected values: w = scipy.stats.wasserstein_distance(a, b) (SciPy 1.17.1) and Evidently's
// normed score w / max(np.std(a), 0.001), samples from the Python twins in test-samples.ts.
describe('wassersteinDistance agrees with scipy.stats.wasserstein_distance', () => {
  it('small samples (50 vs 60)', () => {
    // a = normalish(1, 50), b = normalish(2, 60, 0.5, 2)
    const a = normalishSample(1, 50);
    const b = normalishSample(2, 60, 0.5, 2);
    expectClose(wassersteinDistance(a, b), 0.7491000974349058, 1e-13);
    expectClose(normedWassersteinDistance(a, b), 0.7445673179325205, 1e-13);
  });

  it('samples with ties', () => {
    // a = integers(5, 200, 10), b = integers(6, 150, 12)
    const a = integerSample(5, 200, 10);
    const b = integerSample(6, 150, 12);
    expectClose(wassersteinDistance(a, b), 1.0616666666666665, 1e-13);
    expectClose(normedWassersteinDistance(a, b), 0.3755019718466401, 1e-13);
  });

  it('large samples (3000 vs 4000)', () => {
    // a = normalish(10, 3000), b = normalish(11, 4000, 0.05)
    const a = normalishSample(10, 3000);
    const b = normalishSample(11, 4000, 0.05);
    expectClose(wassersteinDistance(a, b), 0.05738451014231739, 1e-12);
    expectClose(normedWassersteinDistance(a, b), 0.05792179461474808, 1e-12);
  });

  it('floors a constant reference’s std at 0.001, as Evidently does', () => {
    // wasserstein_distance([2.0]*5, [2.0, 2.5]) / max(np.std([2.0]*5), 0.001)
    expectClose(normedWassersteinDistance([2, 2, 2, 2, 2], [2, 2.5]), 250, 1e-13);
  });

  it('is 0 between a sample and itself, symmetric, and a shift moves it by the shift', () => {
    const a = normalishSample(3, 100);
    expect(wassersteinDistance(a, a)).toBe(0);
    const b = normalishSample(4, 70);
    expect(wassersteinDistance(a, b)).toBeCloseTo(wassersteinDistance(b, a), 14);
    expectClose(wassersteinDistance(a, a.map((x) => x + 3)), 3, 1e-12);
  });

  it('computes NumPy’s population std (ddof = 0)', () => {
    expect(populationStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(1.25), 15);
  });

  it('refuses an empty sample', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(/at least one value/);
  });
});
