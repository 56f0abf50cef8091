import { describe, expect, it } from 'vitest';
import { alignCategoryCounts, alignValueCounts, mergeCategoryCounts } from './category-counts';

describe('category counts', () => {
  it('aligns both sides over the sorted union, dropping categories empty on both', () => {
    const r = alignCategoryCounts({ b: 2, a: 1, z: 0 }, { c: 3, a: 0 }, 'f');
    expect(r.keys).toEqual(['a', 'b', 'c']);
    expect(Array.from(r.reference)).toEqual([1, 2, 0]);
    expect(Array.from(r.current)).toEqual([0, 0, 3]);
  });

  it('orders categories by code point, as Python’s sorted does', () => {
    expect(alignCategoryCounts({ b: 1, B: 1, '\u{1F600}': 1, '\uFF61': 1 }, {}, 'f').keys).toEqual([
      'B',
      'b',
      '\uFF61',
      '\u{1F600}',
    ]);
  });

  it('refuses a negative or non-finite count, naming feature, side and category', () => {
    expect(() => alignCategoryCounts({ a: -1 }, {}, 'colour')).toThrow(/colour\.reference: count of "a" is -1/);
    expect(() => alignCategoryCounts({}, { a: Number.NaN }, 'colour')).toThrow(/colour\.current/);
  });

  it('counts distinct numeric values over both samples', () => {
    const r = alignValueCounts(Float64Array.from([2, 1, 2]), Float64Array.from([3, 2]));
    expect(r.keys).toEqual([1, 2, 3]);
    expect(Array.from(r.reference)).toEqual([1, 2, 0]);
    expect(Array.from(r.current)).toEqual([0, 1, 1]);
  });

  it('merges windows by summing per category', () => {
    expect(
      mergeCategoryCounts([
        { a: 1, b: 2 },
        { b: 3, c: 4 },
      ]),
    ).toEqual({ a: 1, b: 5, c: 4 });
  });
});
