/**
 * Inputs and scikit-learn 1.2.1 reference values of slices.test.ts, as tests/reference/metrics.py
 * computes them: log_loss on the "north" rows (region 0) with float32 probabilities [1 − s, s]
 * widened to float64 and labels=[0, 1]; mean_absolute_error per regression group.
 */
export const SLICES_REFERENCE = {
  yTrue: [0, 0, 1, 1, 0, 1, 0, 1, 1, 0],
  scores: [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.6, 0.7],
  /** Rows by region code: north (0) 0,2,5,8; south (1) 1,4,6,9; missing (−1) 3,7. */
  region: [0, 1, 0, -1, 1, 0, 1, -1, 0, 1],
  northLogLoss: 0.6455747480326227,
  regression: { groups: [0, 1, 0, 1, 0], yTrue: [1, 2, 4, 5, 7], yPred: [1.5, 2, 4, 5.5, 6], mae: [0.5, 0.25] },
};
