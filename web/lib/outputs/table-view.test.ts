import { describe, expect, it } from 'vitest';
import { nextSort, pageCount, pageRows, sortedRows } from './table-view';

describe('table view', () => {
  const rows = [
    [3, 'b'],
    [null, 'a'],
    [1, 'c10'],
    [2, 'c9'],
  ];

  it('cycles ascending, descending, unsorted', () => {
    expect(nextSort(null, 1)).toEqual({ column: 1, descending: false });
    expect(nextSort({ column: 1, descending: false }, 1)).toEqual({ column: 1, descending: true });
    expect(nextSort({ column: 1, descending: true }, 1)).toBeNull();
    expect(nextSort({ column: 1, descending: true }, 0)).toEqual({ column: 0, descending: false });
  });

  it('sorts numbers numerically and text naturally, nulls last', () => {
    expect(sortedRows(rows, { column: 0, descending: false }).map((r) => r[0])).toEqual([1, 2, 3, null]);
    expect(sortedRows(rows, { column: 0, descending: true }).map((r) => r[0])).toEqual([3, 2, 1, null]);
    expect(sortedRows(rows, { column: 1, descending: false }).map((r) => r[1])).toEqual(['a', 'b', 'c9', 'c10']);
    expect(sortedRows(rows, null)).toBe(rows);
  });

  it('pages by 20', () => {
    const many = Array.from({ length: 45 }, (_, i) => i);
    expect(pageCount(45)).toBe(3);
    expect(pageCount(0)).toBe(1);
    expect(pageRows(many, 2)).toEqual([40, 41, 42, 43, 44]);
  });
});
