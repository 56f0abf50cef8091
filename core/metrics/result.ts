/**
 * What an evaluation produces, as plain JSON: it is stored in the bundle manifest, sent over HTTP and
 * drawn by the UI. A metric that is undefined for the data (ROC AUC with a class absent, R² of one
 * row) is `null` with its reason beside it, never NaN or Infinity, which JSON cannot carry.
 */
import type { ClassificationMetricName, MetricName, RegressionMetricName } from './registry';

/** Scalar metric values by name, as gates read them. */
export type MetricValues = Readonly<Partial<Record<MetricName, number | null>>>;

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

export interface ClassificationMetrics {
  task: 'classification';
  /** Rows evaluated. */
  count: number;
  values: Record<ClassificationMetricName, number | null>;
  /** Why each null value is undefined. */
  reasons: Partial<Record<ClassificationMetricName, string>>;
  labels: string[];
  /** `confusionMatrix[t][p]`: rows whose true class is t and predicted (argmax) class is p. */
  confusionMatrix: number[][];
  perClass: ClassMetrics[];
}

export interface RegressionMetrics {
  task: 'regression';
  count: number;
  values: Record<RegressionMetricName, number | null>;
  reasons: Partial<Record<RegressionMetricName, string>>;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

/** Metrics of the rows sharing one value of a categorical column. */
export interface SliceMetrics<M = Metrics> {
  /** The category, or `(missing)` for rows without a value. */
  slice: string;
  /** Rows in the slice. */
  size: number;
  metrics: M;
}

/** The scalar values of a full result or of an already flat record. */
export function metricValues(metrics: Metrics | MetricValues): MetricValues {
  return isMetrics(metrics) ? metrics.values : metrics;
}

/** Why a metric is null in `metrics`, when it says. */
export function metricReason(metrics: Metrics | MetricValues, name: MetricName): string | undefined {
  return isMetrics(metrics) ? (metrics.reasons as Partial<Record<MetricName, string>>)[name] : undefined;
}

function isMetrics(m: Metrics | MetricValues): m is Metrics {
  const candidate = m as { task?: unknown; values?: unknown };
  return typeof candidate.task === 'string' && typeof candidate.values === 'object' && candidate.values !== null;
}
