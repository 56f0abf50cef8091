/**
 * Reference values of histogram.test.ts: edges = np.histogram_bin_edges(a, bins='sturges') and
 * counts = np.histogram(a, edges)[0] (tests/reference/drift.py).
 */
import type { SampleSpec } from './test-samples';

export const STURGES_HISTOGRAM_CASES = {
  normalish: {
    sample: { normalish: [20, 100, 3, 2] },
    edges: [
      -3.0952189788222313, -1.79093810840277, -0.48665723798330873, 0.8176236324361525, 2.121904502855614,
      3.426185373275075, 4.730466243694536, 6.034747114113998, 7.339027984533459,
    ],
    counts: [1, 6, 14, 21, 18, 19, 15, 6],
  },
  /** A constant sample: NumPy widens it to one bin of width 1. */
  constant: { sample: [5, 5, 5], edges: [4.5, 5.5], counts: [3] },
} satisfies Record<string, { sample: SampleSpec; edges: number[]; counts: number[] }>;
