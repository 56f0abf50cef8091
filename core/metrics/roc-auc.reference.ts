/** Reference values of roc-auc.test.ts: sklearn 1.2.1 roc_auc_score(y, s), as tests/reference/metrics.py computes them. */
export const ROC_AUC_CASES: { y: number[]; s: number[]; auc: number }[] = [
  { y: [0, 0, 1, 1, 1], s: [0.3, 0.3, 0.3, 0.7, 0.1], auc: 0.5 },
  { y: [0, 1, 0, 1], s: [0.5, 0.5, 0.5, 0.5], auc: 0.5 },
  { y: [1, 0, 1, 0, 1, 0], s: [0.9, 0.8, 0.8, 0.1, 0.8, 0.8], auc: 0.7777777777777778 },
];
