import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../metrics';
import { evaluateGates } from './evaluate';
import type { GateSpec } from './spec';

describe('evaluateGates: value thresholds', () => {
  const gates: GateSpec[] = [{ metric: 'accuracy', min: 0.8, max: 0.99 }];

  it('passes a value inside the bounds and reports both checks', () => {
    const report = evaluateGates(gates, { accuracy: 0.85 }, null);
    expect(report.passed).toBe(true);
    expect(report.checks.map((c) => [c.kind, c.threshold, c.candidate, c.passed])).toEqual([
      ['min', 0.8, 0.85, true],
      ['max', 0.99, 0.85, true],
    ]);
    expect(report.checks[0].reason).toBe('accuracy 0.85 meets the minimum 0.8');
    expect(report.summary).toBe('all 2 gate checks passed');
  });

  it('fails a value below the minimum or above the maximum', () => {
    const low = evaluateGates(gates, { accuracy: 0.7712 }, null);
    expect(low.passed).toBe(false);
    expect(low.checks[0].reason).toBe('accuracy 0.7712 is below the minimum 0.8');
    expect(low.summary).toBe('1 of 2 gate checks failed: accuracy min');
    const high = evaluateGates(gates, { accuracy: 0.995 }, null);
    expect(high.checks[1]).toMatchObject({ passed: false, reason: 'accuracy 0.995 is above the maximum 0.99' });
  });

  it('applies value thresholds with a champion present too, reporting its value', () => {
    const report = evaluateGates([{ metric: 'rmse', max: 1 }], { rmse: 1.2 }, { rmse: 0.9 });
    expect(report.checks[0]).toMatchObject({ candidate: 1.2, champion: 0.9, passed: false });
    expect(report.checks[0].delta).toBeCloseTo(-0.3, 12);
  });
});

describe('evaluateGates: change thresholds against the champion', () => {
  it('higher is better: minDelta -0.01 lets accuracy drop by at most 0.01, rounding included', () => {
    const gate: GateSpec[] = [{ metric: 'accuracy', vsChampion: { minDelta: -0.01 } }];
    // 0.80 - 0.81 is -0.010000000000000009 in floating point: still "at most 0.01 worse".
    const edge = evaluateGates(gate, { accuracy: 0.8 }, { accuracy: 0.81 });
    expect(edge.passed).toBe(true);
    expect(edge.checks[0]).toMatchObject({
      kind: 'minDelta',
      threshold: -0.01,
      candidate: 0.8,
      champion: 0.81,
      higherIsBetter: true,
    });
    expect(edge.checks[0].reason).toBe(
      'accuracy 0.8 vs champion 0.81: improvement -0.01 (higher is better: candidate − champion) meets the minimum -0.01',
    );
    const worse = evaluateGates(gate, { accuracy: 0.79 }, { accuracy: 0.81 });
    expect(worse.passed).toBe(false);
    expect(worse.checks[0].reason).toMatch(/improvement -0\.02 .* is below the minimum -0\.01/);
  });

  it('lower is better: improvement is champion − candidate', () => {
    const gate: GateSpec[] = [{ metric: 'rmse', vsChampion: { minDelta: -0.01 } }];
    const slightlyWorse = evaluateGates(gate, { rmse: 1.005 }, { rmse: 1 });
    expect(slightlyWorse.passed).toBe(true);
    expect(slightlyWorse.checks[0].delta).toBeCloseTo(-0.005, 12);
    expect(slightlyWorse.checks[0].reason).toContain('lower is better: champion − candidate');
    expect(evaluateGates(gate, { rmse: 1.02 }, { rmse: 1 }).passed).toBe(false);
    // A lower rmse is an improvement even against a demanding threshold.
    expect(
      evaluateGates([{ metric: 'log_loss', vsChampion: { minDelta: 0.05 } }], { log_loss: 0.3 }, { log_loss: 0.4 })
        .passed,
    ).toBe(true);
  });

  it('minRatio is 1 + improvement / |champion| in both directions', () => {
    const acc: GateSpec[] = [{ metric: 'accuracy', vsChampion: { minRatio: 0.98 } }];
    const accOk = evaluateGates(acc, { accuracy: 0.784 }, { accuracy: 0.8 });
    expect(accOk.passed).toBe(true);
    expect(accOk.checks[0].ratio).toBeCloseTo(0.98, 12);
    expect(evaluateGates(acc, { accuracy: 0.78 }, { accuracy: 0.8 }).passed).toBe(false);

    const rmse: GateSpec[] = [{ metric: 'rmse', vsChampion: { minRatio: 0.98 } }];
    const rmseOk = evaluateGates(rmse, { rmse: 2.04 }, { rmse: 2 });
    expect(rmseOk.passed).toBe(true);
    expect(rmseOk.checks[0].ratio).toBeCloseTo(0.98, 12);
    expect(evaluateGates(rmse, { rmse: 2.06 }, { rmse: 2 }).passed).toBe(false);

    // A negative R² champion: improving from -0.5 to -0.25 is a ratio of 1.5, not 0.5.
    const r2 = evaluateGates([{ metric: 'r2', vsChampion: { minRatio: 1.2 } }], { r2: -0.25 }, { r2: -0.5 });
    expect(r2.checks[0].ratio).toBeCloseTo(1.5, 12);
    expect(r2.passed).toBe(true);
  });

  it('with a champion value of 0 the ratio is null and only the sign decides', () => {
    const gate: GateSpec[] = [{ metric: 'mae', vsChampion: { minRatio: 0.9 } }];
    const worse = evaluateGates(gate, { mae: 0.1 }, { mae: 0 });
    expect(worse.checks[0]).toMatchObject({ ratio: null, passed: false });
    expect(worse.checks[0].reason).toMatch(/champion's value is 0/);
    expect(evaluateGates(gate, { mae: 0 }, { mae: 0 }).checks[0]).toMatchObject({ ratio: 1, passed: true });
  });

  it('passes change thresholds without a champion, and says so', () => {
    const report = evaluateGates(
      [{ metric: 'accuracy', min: 0.9, vsChampion: { minDelta: 0 } }],
      { accuracy: 0.85 },
      null,
    );
    expect(report.hasChampion).toBe(false);
    expect(report.checks[1]).toMatchObject({ kind: 'minDelta', champion: null, delta: null, passed: true });
    expect(report.checks[1].reason).toBe('no champion to compare with, so the change threshold passes');
    // The value threshold still applies.
    expect(report.passed).toBe(false);
  });

  it('passes a change threshold when the champion lacks the metric, and says so', () => {
    const report = evaluateGates(
      [{ metric: 'roc_auc', vsChampion: { minDelta: 0 } }],
      { roc_auc: 0.9 },
      { accuracy: 0.8 },
    );
    expect(report.checks[0]).toMatchObject({ passed: true, champion: null });
    expect(report.checks[0].reason).toMatch(/champion has no value for roc_auc/);
  });
});

describe('evaluateGates: missing candidate metrics and full results', () => {
  it('fails every check on a metric the candidate lacks', () => {
    const report = evaluateGates([{ metric: 'rmse', max: 1, vsChampion: { minDelta: 0 } }], { accuracy: 0.9 }, null);
    expect(report.passed).toBe(false);
    expect(report.checks.map((c) => [c.kind, c.passed, c.reason])).toEqual([
      ['max', false, 'the candidate has no value for rmse'],
      ['minDelta', false, 'the candidate has no value for rmse'],
    ]);
  });

  it('reads full Metrics results, quoting why a value is undefined', () => {
    // Candidate: class "c" absent from y_true, so its ROC AUC is null; the champion has all three.
    const candidate = classificationMetrics(
      Int32Array.from([0, 1, 0]),
      Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1]),
      ['a', 'b', 'c'],
    );
    const champion = classificationMetrics(
      Int32Array.from([0, 1, 2]),
      Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.5, 0.3, 0.2]),
      ['a', 'b', 'c'],
    );
    const report = evaluateGates(
      [
        { metric: 'accuracy', vsChampion: { minDelta: 0 } },
        { metric: 'roc_auc', min: 0.5 },
      ],
      candidate,
      champion,
    );
    expect(report.checks[0]).toMatchObject({ candidate: 1, champion: 2 / 3, passed: true });
    expect(report.checks[1].passed).toBe(false);
    expect(report.checks[1].reason).toMatch(
      /^the candidate has no value for roc_auc \(class "c" has no rows in y_true/,
    );
    expect(report.passed).toBe(false);
  });

  it('treats a non-finite value in a plain record as missing, and reports plain JSON', () => {
    const report = evaluateGates([{ metric: 'mae', max: 1 }], { mae: Number.NaN }, { mae: 0.5 });
    expect(report.checks[0]).toMatchObject({ candidate: null, passed: false });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('passes with no gates', () => {
    expect(evaluateGates([], {}, null)).toEqual({
      passed: true,
      hasChampion: false,
      checks: [],
      summary: 'no gates: passed',
    });
  });
});
