/**
 * Reference values of class-weights.test.ts: scikit-learn 1.2.1
 * compute_class_weight('balanced', classes=classes, y=y), as tests/reference/class_weights.py computes them.
 */
export const CLASS_WEIGHT_CASES: { classes: number[]; y: number[]; weights: number[] }[] = [
  { classes: [0, 1, 2], y: [0, 1, 2, 0, 0, 2, 0, 1, 0, 0, 2, 0], weights: [0.5714285714285714, 2, 1.3333333333333333] },
  /** Label 2 has no rows: sklearn is given only the classes present. */
  { classes: [0, 1, 3], y: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3], weights: [0.4444444444444444, 4, 2] },
];
