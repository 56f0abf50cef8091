import { describe, it, expect } from 'vitest';
import { classWeightVector, rowWeights } from './class-weights';
import { CLASS_WEIGHT_CASES } from './class-weights.reference';

const labels = ['a', 'b', 'c'];

/** sklearn's weights for `classes` laid out over `k` labels, 1 for a label with no rows. */
function overLabels(k: number, classes: number[], weights: number[]): number[] {
  const out = new Array<number>(k).fill(1);
  classes.forEach((c, i) => (out[c] = weights[i]));
  return out;
}

describe('classWeightVector', () => {
  it('matches scikit-learn compute_class_weight("balanced")', () => {
    const { classes, y, weights } = CLASS_WEIGHT_CASES[0];
    const w = classWeightVector('balanced', labels, Int32Array.from(y));
    expect(Array.from(w ?? [])).toEqual(overLabels(3, classes, weights).map((v) => expect.closeTo(v, 12)));
  });

  it('counts only the classes present, as scikit-learn on the present classes, and gives an absent one 1', () => {
    const { classes, y, weights } = CLASS_WEIGHT_CASES[1];
    const w = classWeightVector('balanced', ['a', 'b', 'c', 'd'], Int32Array.from(y));
    expect(Array.from(w ?? [])).toEqual(overLabels(4, classes, weights).map((v) => expect.closeTo(v, 12)));
  });

  it('is null for "none" and fills unnamed labels with 1 in a record', () => {
    expect(classWeightVector('none', labels, Int32Array.of(0))).toBeNull();
    expect(Array.from(classWeightVector({ c: 5 }, labels, Int32Array.of(0)) ?? [])).toEqual([1, 1, 5]);
  });

  it('names a record key that is not a label', () => {
    expect(() => classWeightVector({ a: 2, zebra: 3 }, labels, Int32Array.of(0))).toThrow(
      /"zebra", not among the labels "a", "b", "c"/,
    );
  });
});

describe('rowWeights', () => {
  it('gives each row its class weight', () => {
    expect(Array.from(rowWeights(Float64Array.of(0.5, 2), Int32Array.of(1, 0, 1)))).toEqual([2, 0.5, 2]);
  });
});
