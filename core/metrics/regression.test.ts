import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { regressionMetrics } from './regression';
import type { RegressionMetrics } from './result';

// Expected numbers: scikit-learn 1.2.1 (/usr/bin/python3) on float64 arrays: mean_absolute_error,
// mean_squared_error(squared=False), r2_score, mean_absolute_percentage_error, max_error,
// explained_variance_score, each called as f(y_true, y_pred).
const cases: { name: string; yTrue: number[]; yPred: number[]; values: RegressionMetrics['values'] }[] = [
  {
    name: 'a zero in y_true (MAPE divides by float64 eps)',
    yTrue: [3, -0.5, 2, 7, 4.25, 0],
    yPred: [2.5, 0, 2, 8, 4, 0.1],
    values: { mae: 0.39166666666666666, rmse: 0.5119407517802557, r2: 0.9596471531676023, mape: 75059993789508.5, max_error: 1, explained_variance: 0.9627372360331462 },
  },
  {
    name: 'constant y_true, imperfect prediction (R² and explained variance forced to 0)',
    yTrue: [2, 2, 2],
    yPred: [2, 2.5, 1],
    values: { mae: 0.5, rmse: 0.6454972243679028, r2: 0, mape: 0.25, max_error: 1, explained_variance: 0 },
  },
  {
    name: 'constant y_true, perfect prediction (forced to 1)',
    yTrue: [2, 2, 2],
    yPred: [2, 2, 2],
    values: { mae: 0, rmse: 0, r2: 1, mape: 0, max_error: 0, explained_variance: 1 },
  },
  {
    name: 'one row (sklearn: R² is NaN with a warning)',
    yTrue: [5],
    yPred: [4],
    values: { mae: 1, rmse: 1, r2: null, mape: 0.2, max_error: 1, explained_variance: 1 },
  },
];

function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  // Relative, because MAPE with a zero target is ~1e14.
  expect(Math.abs((actual as number) - expected), what).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

describe('regressionMetrics agrees with scikit-learn 1.2.1', () => {
  it.each(cases)('$name', ({ yTrue, yPred, values }) => {
    const m = regressionMetrics(Float64Array.from(yTrue), Float64Array.from(yPred));
    expect(m.count).toBe(yTrue.length);
    for (const [name, expected] of Object.entries(values)) {
      expectClose(m.values[name as keyof typeof values], expected, name);
    }
  });

  it('widens float32 input (sklearn on the same values as float64)', () => {
    // sklearn inputs: np.array([...], dtype=np.float32).astype(np.float64).
    const m = regressionMetrics(Float32Array.from([1.1, 2.2, 3.3, 4.4]), Float32Array.from([1, 2.5, 3, 4.9]));
    expectClose(m.values.mae, 0.29999998211860657, 'mae');
    expectClose(m.values.rmse, 0.33166245926691706, 'rmse');
    expectClose(m.values.r2, 0.927272737518814, 'r2');
    expectClose(m.values.mape, 0.1079545403232916, 'mape');
    expectClose(m.values.explained_variance, 0.9338843068352854, 'explained_variance');
  });

  it('says why R² is null and stays valid JSON', () => {
    const m = regressionMetrics(Float64Array.from([5]), Float64Array.from([4]));
    expect(m.reasons.r2).toMatch(/fewer than two rows/);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('regressionMetrics refuses bad input', () => {
  it('names the row of a non-finite prediction', () => {
    let caught: unknown;
    try {
      regressionMetrics(Float64Array.from([1, 2, 3]), Float64Array.from([1, NaN, 3]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FlywheelError);
    expect((caught as FlywheelError).details[0].path).toBe('yPred[1]');
  });

  it('refuses mismatched lengths and no rows', () => {
    expect(() => regressionMetrics(Float64Array.from([1, 2]), Float64Array.from([1]))).toThrow(/yPred has 1 values but yTrue has 2/);
    expect(() => regressionMetrics(new Float64Array(0), new Float64Array(0))).toThrow(/at least one row/);
  });
});
