import { describe, expect, it } from 'vitest';
import { datasetDrift, driftReport } from './dataset-drift';
import { normalishSample } from './test-samples';
import type { FeatureDriftInput, FeatureDriftResult } from './types';

function verdict(feature: string, drifted: boolean, reason?: string): FeatureDriftResult {
  return {
    feature,
    type: 'numeric',
    method: 'ks',
    statistic: reason ? null : 0.2,
    p_value: reason ? null : drifted ? 0.01 : 0.5,
    threshold: 0.05,
    drifted,
    psi: null,
    reference_size: 100,
    current_size: reason ? 0 : 100,
    ...(reason ? { reason } : {}),
  };
}

describe('datasetDrift', () => {
  it('is drifted when the share of drifted features reaches 0.5 (Evidently’s >=)', () => {
    const r = datasetDrift([verdict('a', true), verdict('b', false)]);
    expect(r).toMatchObject({ number_of_features: 2, number_of_drifted: 1, drift_share: 0.5, dataset_drift: true });
    expect(datasetDrift([verdict('a', true), verdict('b', false), verdict('c', false)]).dataset_drift).toBe(false);
  });

  it('takes another share', () => {
    const features = [verdict('a', true), verdict('b', false), verdict('c', false)];
    expect(datasetDrift(features, { driftShare: 0.3 }).dataset_drift).toBe(true);
    expect(() => datasetDrift(features, { driftShare: 0 })).toThrow(/driftShare/);
  });

  it('lists undecided features but leaves them out of the share', () => {
    const r = datasetDrift([
      verdict('a', true),
      verdict('b', false, 'no current values'),
      verdict('c', false, 'no current values'),
    ]);
    expect(r).toMatchObject({ number_of_features: 1, number_of_drifted: 1, drift_share: 1, dataset_drift: true });
    expect(r.features).toHaveLength(3);
    expect(datasetDrift([verdict('b', false, 'no current values')])).toMatchObject({
      drift_share: 0,
      dataset_drift: false,
    });
  });
});

describe('driftReport', () => {
  const inputs: FeatureDriftInput[] = [
    {
      feature: 'x',
      reference: { type: 'numeric', sample: normalishSample(30, 500) },
      current: { type: 'numeric', sample: normalishSample(31, 300, 0.3) },
    },
    {
      feature: 'y',
      reference: { type: 'numeric', sample: normalishSample(40, 500) },
      current: { type: 'numeric', sample: normalishSample(41, 300) },
    },
    {
      feature: 'c',
      reference: { type: 'categorical', counts: { a: 50, b: 50 } },
      current: { type: 'categorical', counts: { a: 3 } },
    },
  ];

  it('checks every feature with its overrides and gives the dataset verdict', () => {
    const r = driftReport(inputs, { features: { y: { threshold: 1 } } });
    expect(r.features.map((f) => [f.feature, f.method, f.drifted])).toEqual([
      ['x', 'ks', true],
      ['y', 'ks', true],
      ['c', 'z', false],
    ]);
    expect(r.features[2].reason).toMatch(/only 3 current values/);
    expect(r).toMatchObject({ number_of_features: 2, number_of_drifted: 2, dataset_drift: true });
  });

  it('applies a report-wide minimum size that a feature can override', () => {
    const r = driftReport(inputs, { minCurrentSize: 1, features: { c: { minCurrentSize: 10 } } });
    expect(r.features[2].reason).toMatch(/at least 10 needed/);
    expect(driftReport(inputs, { minCurrentSize: 1 }).features[2].reason).toBeUndefined();
  });
});
