/**
 * Reference values of wasserstein.test.ts: distance = scipy.stats.wasserstein_distance(a, b) and
 * Evidently's normed score distance / max(np.std(a), 0.001), on the samples of test-samples.ts
 * (tests/reference/drift.py).
 */
import type { SampleSpec } from './test-samples';

export interface WassersteinCase {
  a: SampleSpec;
  b: SampleSpec;
  distance: number;
  normed: number;
}

export const WASSERSTEIN_CASES = {
  small: {
    a: { normalish: [1, 50] },
    b: { normalish: [2, 60, 0.5, 2] },
    distance: 0.7491000974349058,
    normed: 0.7445673179325205,
  },
  ties: {
    a: { integers: [5, 200, 10] },
    b: { integers: [6, 150, 12] },
    distance: 1.0616666666666665,
    normed: 0.3755019718466401,
  },
  large: {
    a: { normalish: [10, 3000] },
    b: { normalish: [11, 4000, 0.05] },
    distance: 0.05738451014231739,
    normed: 0.05792179461474808,
  },
  /** A constant reference: its std is floored at 0.001, as Evidently does. */
  constantReference: { a: [2, 2, 2, 2, 2], b: [2, 2.5], distance: 0.25, normed: 250 },
} satisfies Record<string, WassersteinCase>;
