import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { regressionMetrics } from './regression';
import { REGRESSION_CASES, REGRESSION_FLOAT32_CASE } from './regression.reference';

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
  it.each(REGRESSION_CASES)('$name', ({ yTrue, yPred, values }) => {
    const m = regressionMetrics(Float64Array.from(yTrue), Float64Array.from(yPred));
    expect(m.count).toBe(yTrue.length);
    for (const [name, expected] of Object.entries(values)) {
      expectClose(m.values[name as keyof typeof values], expected, name);
    }
  });

  it('widens float32 input (sklearn on the same values as float64)', () => {
    const { yTrue, yPred, values } = REGRESSION_FLOAT32_CASE;
    const m = regressionMetrics(Float32Array.from(yTrue), Float32Array.from(yPred));
    for (const [name, expected] of Object.entries(values)) {
      expectClose(m.values[name as keyof typeof values], expected, name);
    }
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
    expect(() => regressionMetrics(Float64Array.from([1, 2]), Float64Array.from([1]))).toThrow(
      /yPred has 1 values but yTrue has 2/,
    );
    expect(() => regressionMetrics(new Float64Array(0), new Float64Array(0))).toThrow(/at least one row/);
  });
});
