import { describe, it, expect } from 'vitest';
import { FlywheelError } from '../errors';
import { assertHead, decodeOutputs, encodeTargets, regressionHead, type ClassificationHead } from './head';

const three: ClassificationHead = { task: 'classification', labels: ['a', 'b', 'c'] };

describe('encodeTargets', () => {
  it('one-hot encodes class indices', () => {
    expect(Array.from(encodeTargets(Int32Array.of(2, 0), 2, three))).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('standardises regression targets', () => {
    const out = encodeTargets(Float64Array.of(1, 5), 2, { task: 'regression', targetMean: 3, targetStd: 2 });
    expect(Array.from(out)).toEqual([-1, 1]);
  });

  it('names the row of a class index out of range', () => {
    expect(() => encodeTargets(Int32Array.of(0, 3), 2, three)).toThrow(/y row 1: class index 3 is not one of 0..2/);
  });
});

describe('decodeOutputs', () => {
  it('takes the arg-max label and returns the probabilities', () => {
    const raw = Float32Array.of(0.2, 0.5, 0.3, 0.7, 0.2, 0.1);
    const out = decodeOutputs(raw, 2, three);
    expect(Array.from(out.labelIndex)).toEqual([1, 0]);
    expect(out.proba).toBe(raw);
  });

  it('de-standardises regression outputs', () => {
    const out = decodeOutputs(Float32Array.of(-1, 0.5), 2, { task: 'regression', targetMean: 10, targetStd: 4 });
    expect(Array.from(out.values)).toEqual([6, 12]);
  });

  it('refuses an output of the wrong size', () => {
    expect(() => decodeOutputs(new Float32Array(5), 2, three)).toThrow(/5 values, expected 2 rows × 3 units/);
  });
});

describe('regressionHead', () => {
  it('uses the population std, as StandardScaler', () => {
    // numpy: np.std([1, 2, 3, 4]) == 1.118033988749895
    const { head, warnings } = regressionHead(Float64Array.of(1, 2, 3, 4));
    expect(head.targetMean).toBe(2.5);
    expect(head.targetStd).toBeCloseTo(1.118033988749895, 12);
    expect(warnings).toEqual([]);
  });

  it('trains a constant target with std 1 and says so', () => {
    const { head, warnings } = regressionHead(Float64Array.of(7, 7, 7));
    expect(head).toEqual({ task: 'regression', targetMean: 7, targetStd: 1 });
    expect(warnings[0]).toMatch(/constant \(7\) on all 3 rows/);
  });
});

describe('assertHead', () => {
  it('needs two distinct labels and a positive std', () => {
    expect(() => assertHead({ task: 'classification', labels: ['only'] })).toThrow(FlywheelError);
    expect(() => assertHead({ task: 'classification', labels: ['x', 'x'] })).toThrow(/"x" appears twice/);
    expect(() => assertHead({ task: 'regression', targetMean: 0, targetStd: 0 })).toThrow(/positive std/);
    expect(() => assertHead(three)).not.toThrow();
  });
});
