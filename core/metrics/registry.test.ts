import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification';
import {
  CLASSIFICATION_METRIC_NAMES,
  METRIC_NAMES,
  METRIC_REGISTRY,
  REGRESSION_METRIC_NAMES,
  isMetricName,
  metricInfo,
} from './registry';
import { regressionMetrics } from './regression';

describe('metric registry', () => {
  it('describes exactly the metrics each task computes', () => {
    const cls = classificationMetrics(Int32Array.from([0, 1]), Float32Array.from([0.7, 0.3, 0.4, 0.6]), ['a', 'b']);
    const reg = regressionMetrics(Float64Array.from([1, 2]), Float64Array.from([1, 3]));
    expect(Object.keys(cls.values).sort()).toEqual([...CLASSIFICATION_METRIC_NAMES].sort());
    expect(Object.keys(reg.values).sort()).toEqual([...REGRESSION_METRIC_NAMES].sort());
    expect(Object.keys(METRIC_REGISTRY).sort()).toEqual([...METRIC_NAMES].sort());
    for (const name of CLASSIFICATION_METRIC_NAMES) expect(metricInfo(name).task).toBe('classification');
    for (const name of REGRESSION_METRIC_NAMES) expect(metricInfo(name).task).toBe('regression');
  });

  it('knows which metrics are better lower', () => {
    const lower = METRIC_NAMES.filter((name) => !metricInfo(name).higherIsBetter).sort();
    expect(lower).toEqual(['log_loss', 'mae', 'mape', 'max_error', 'rmse']);
  });

  it('recognises only its own names', () => {
    expect(isMetricName('f1_macro')).toBe(true);
    expect(isMetricName('toString')).toBe(false);
    expect(isMetricName('f1')).toBe(false);
  });
});
