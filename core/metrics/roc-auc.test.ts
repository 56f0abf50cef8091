import { describe, expect, it } from 'vitest';
import { oneVsRestAuc, rocAuc } from './roc-auc';
import { ROC_AUC_CASES } from './roc-auc.reference';

/** A binary probability matrix [1 - s, s] from scores of class 1. */
function binary(scores: number[]): Float64Array {
  return Float64Array.from(scores.flatMap((s) => [1 - s, s]));
}

describe('rocAuc', () => {
  it.each(ROC_AUC_CASES)('counts a tie as half a correctly ranked pair: $s', ({ y, s, auc }) => {
    expect(rocAuc(Int32Array.from(y), binary(s), ['no', 'yes']).value).toBeCloseTo(auc, 12);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    const y = Int32Array.from([0, 0, 1, 1]);
    expect(rocAuc(y, binary([0.1, 0.2, 0.8, 0.9]), ['n', 'y']).value).toBe(1);
    expect(rocAuc(y, binary([0.9, 0.8, 0.2, 0.1]), ['n', 'y']).value).toBe(0);
  });

  it('names the absent class rather than the one holding every row', () => {
    // Class "a" has every row; "b" and "c" have none: the reason must name "b", the first absent one.
    const result = rocAuc(Int32Array.from([0, 0]), Float64Array.from([0.5, 0.3, 0.2, 0.6, 0.2, 0.2]), ['a', 'b', 'c']);
    expect(result.value).toBeNull();
    expect(result.reason).toContain('"b"');
  });

  it('oneVsRestAuc is null without positives or without negatives', () => {
    const proba = Float64Array.from([0.5, 0.5, 0.4, 0.6]);
    expect(oneVsRestAuc(Int32Array.from([1, 1]), proba, 2, 1)).toBeNull();
    expect(oneVsRestAuc(Int32Array.from([0, 0]), proba, 2, 1)).toBeNull();
  });
});
