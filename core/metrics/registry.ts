/**
 * Every metric Flywheel computes, described once: its task, its direction and how to show it. Gates
 * read the direction from here (so "improve by 0.01" means up for accuracy and down for RMSE), the UI
 * reads the labels, and the gate schema refuses names that are not listed.
 */
export type MetricTask = 'classification' | 'regression';

export const CLASSIFICATION_METRIC_NAMES = [
  'accuracy',
  'balanced_accuracy',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'roc_auc',
  'log_loss',
] as const;

export const REGRESSION_METRIC_NAMES = ['mae', 'rmse', 'r2', 'mape', 'max_error', 'explained_variance'] as const;

export type ClassificationMetricName = (typeof CLASSIFICATION_METRIC_NAMES)[number];
export type RegressionMetricName = (typeof REGRESSION_METRIC_NAMES)[number];
export type MetricName = ClassificationMetricName | RegressionMetricName;

export const METRIC_NAMES: readonly MetricName[] = [...CLASSIFICATION_METRIC_NAMES, ...REGRESSION_METRIC_NAMES];

export interface MetricInfo {
  readonly name: MetricName;
  readonly task: MetricTask;
  /** Whether a larger value is a better model; gates measure improvement in this direction. */
  readonly higherIsBetter: boolean;
  /** Short label for tables and charts. */
  readonly label: string;
  /** The scikit-learn call whose definition this follows. */
  readonly sklearn: string;
}

function info(name: MetricName, task: MetricTask, higherIsBetter: boolean, label: string, sklearn: string): MetricInfo {
  return { name, task, higherIsBetter, label, sklearn };
}

export const METRIC_REGISTRY: Readonly<Record<MetricName, MetricInfo>> = {
  accuracy: info('accuracy', 'classification', true, 'Accuracy', 'accuracy_score'),
  balanced_accuracy: info('balanced_accuracy', 'classification', true, 'Balanced accuracy', 'balanced_accuracy_score'),
  precision_macro: info(
    'precision_macro',
    'classification',
    true,
    'Precision (macro)',
    "precision_score(average='macro', zero_division=0)",
  ),
  recall_macro: info(
    'recall_macro',
    'classification',
    true,
    'Recall (macro)',
    "recall_score(average='macro', zero_division=0)",
  ),
  f1_macro: info('f1_macro', 'classification', true, 'F1 (macro)', "f1_score(average='macro', zero_division=0)"),
  precision_weighted: info(
    'precision_weighted',
    'classification',
    true,
    'Precision (weighted)',
    "precision_score(average='weighted', zero_division=0)",
  ),
  recall_weighted: info(
    'recall_weighted',
    'classification',
    true,
    'Recall (weighted)',
    "recall_score(average='weighted', zero_division=0)",
  ),
  f1_weighted: info(
    'f1_weighted',
    'classification',
    true,
    'F1 (weighted)',
    "f1_score(average='weighted', zero_division=0)",
  ),
  roc_auc: info(
    'roc_auc',
    'classification',
    true,
    'ROC AUC',
    "roc_auc_score (binary; multiclass: multi_class='ovr', average='macro')",
  ),
  log_loss: info('log_loss', 'classification', false, 'Log loss', 'log_loss'),
  mae: info('mae', 'regression', false, 'MAE', 'mean_absolute_error'),
  rmse: info('rmse', 'regression', false, 'RMSE', 'mean_squared_error(squared=False)'),
  r2: info('r2', 'regression', true, 'R²', 'r2_score'),
  mape: info('mape', 'regression', false, 'MAPE', 'mean_absolute_percentage_error'),
  max_error: info('max_error', 'regression', false, 'Max error', 'max_error'),
  explained_variance: info('explained_variance', 'regression', true, 'Explained variance', 'explained_variance_score'),
};

export function isMetricName(name: string): name is MetricName {
  return Object.prototype.hasOwnProperty.call(METRIC_REGISTRY, name);
}

/** The description of a metric; names come from a typed spec, so this never misses. */
export function metricInfo(name: MetricName): MetricInfo {
  return METRIC_REGISTRY[name];
}
