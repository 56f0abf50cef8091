/** Evaluation metrics with scikit-learn's definitions: classification, regression, per slice, and their registry. */
export * from './registry';
export * from './result';
export type { NumberArray, ProbabilityArray } from './check-inputs';
export { argmaxPredictions, confusionMatrix } from './confusion-matrix';
export { oneVsRestAuc, rocAuc } from './roc-auc';
export { LOG_LOSS_EPS, logLoss } from './log-loss';
export { classificationMetrics } from './classification';
export { MAPE_EPS, regressionMetrics } from './regression';
export { MISSING_SLICE, metricsBySlice, sliceRows, type SliceRows } from './slices';
export { classificationMetricsBySlice, regressionMetricsBySlice } from './task-slices';
