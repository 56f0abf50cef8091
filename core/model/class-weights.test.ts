import { describe, it, expect } from 'vitest';
import { classWeightVector, rowWeights } from './class-weights';

const labels = ['a', 'b', 'c'];

describe('classWeightVector', () => {
  it('matches scikit-learn compute_class_weight("balanced")', () => {
    // sklearn 1.2.1: compute_class_weight('balanced', classes=[0, 1, 2], y=[0,1,2,0,0,2,0,1,0,0,2,0])
    //   -> [0.57142857, 2.0, 1.33333333]
    const w = classWeightVector('balanced', labels, Int32Array.of(0, 1, 2, 0, 0, 2, 0, 1, 0, 0, 2, 0));
    expect(w?.[0]).toBeCloseTo(0.57142857, 8);
    expect(w?.[1]).toBeCloseTo(2, 12);
    expect(w?.[2]).toBeCloseTo(1.33333333, 8);
  });

  it('counts only the classes present, as scikit-learn on the present classes, and gives an absent one 1', () => {
    // sklearn 1.2.1: compute_class_weight('balanced', classes=[0, 1, 3], y=[0]*9 + [1, 3, 3]) -> [0.44444444, 4.0, 2.0]
    const y = Int32Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3);
    const w = classWeightVector('balanced', ['a', 'b', 'c', 'd'], y);
    expect(Array.from(w ?? []).map((v) => +v.toFixed(8))).toEqual([0.44444444, 4, 1, 2]);
  });

  it('is null for "none" and fills unnamed labels with 1 in a record', () => {
    expect(classWeightVector('none', labels, Int32Array.of(0))).toBeNull();
    expect(Array.from(classWeightVector({ c: 5 }, labels, Int32Array.of(0)) ?? [])).toEqual([1, 1, 5]);
  });

  it('names a record key that is not a label', () => {
    expect(() => classWeightVector({ a: 2, zebra: 3 }, labels, Int32Array.of(0))).toThrow(/"zebra", not among the labels "a", "b", "c"/);
  });
});

describe('rowWeights', () => {
  it('gives each row its class weight', () => {
    expect(Array.from(rowWeights(Float64Array.of(0.5, 2), Int32Array.of(1, 0, 1)))).toEqual([2, 0.5, 2]);
  });
});
