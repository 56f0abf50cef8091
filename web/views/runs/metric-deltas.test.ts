import { describe, expect, it } from 'vitest';
import { formatDelta, metricRows } from './metric-deltas';

describe('metricRows', () => {
  it('judges deltas against the first run in each metric direction', () => {
    const rows = metricRows([
      { accuracy: 0.9, log_loss: 0.3 },
      { accuracy: 0.95, log_loss: 0.4 },
      { accuracy: 0.9, log_loss: 0.2 },
    ]);
    expect(rows.map((r) => r.name)).toEqual(['accuracy', 'log_loss']);
    expect(rows[0]).toMatchObject({ label: 'Accuracy', higherIsBetter: true, verdicts: [null, 'better', 'same'] });
    expect(rows[0].deltas[1]).toBeCloseTo(0.05, 12);
    expect(rows[1]).toMatchObject({ higherIsBetter: false, verdicts: [null, 'worse', 'better'] });
  });

  it('orders registry metrics first, keeps unknown ones unjudged and missing values null', () => {
    const rows = metricRows([
      { zeta: 1, rmse: 2, mae: 1 },
      { zeta: 2, rmse: 1 },
    ]);
    expect(rows.map((r) => r.name)).toEqual(['mae', 'rmse', 'zeta']);
    expect(rows[0]).toMatchObject({ values: [1, null], deltas: [null, null], verdicts: [null, null] });
    expect(rows[1]).toMatchObject({ deltas: [null, -1], verdicts: [null, 'better'] });
    expect(rows[2]).toMatchObject({ higherIsBetter: null, deltas: [null, 1], verdicts: [null, null] });
  });

  it('treats a null metric (undefined for the data) as missing', () => {
    expect(metricRows([{ roc_auc: null }, { roc_auc: 0.8 }])[0]).toMatchObject({
      values: [null, 0.8],
      deltas: [null, null],
    });
    expect(metricRows([undefined, { r2: 0.5 }])[0].values).toEqual([null, 0.5]);
  });
});

describe('formatDelta', () => {
  it('shows the sign and 4 significant digits', () => {
    expect(formatDelta(0.012345)).toBe('+0.01235');
    expect(formatDelta(-0.5)).toBe('−0.5');
    expect(formatDelta(0)).toBe('±0');
    expect(formatDelta(null)).toBe('');
  });
});
