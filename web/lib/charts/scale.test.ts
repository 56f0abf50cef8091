import { describe, expect, it } from 'vitest';
import { formatNumber, niceTicks } from './scale';

describe('niceTicks', () => {
  it('picks 1-2-5 steps inside the range', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(2700, 6300, 4)).toEqual([3000, 4000, 5000, 6000]);
    expect(niceTicks(-1, 1, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('keeps decimal steps exact', () => {
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('handles a single value, a reversed range and non-finite input', () => {
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(10, 0, 2)).toEqual([0, 5, 10]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });
});

describe('formatNumber', () => {
  it('shortens large numbers and rounds small ones to 3 significant digits', () => {
    expect(formatNumber(4202)).toBe('4,202');
    expect(formatNumber(12_345)).toBe('12.3k');
    expect(formatNumber(4_500_000)).toBe('4.5M');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(43.921)).toBe('43.9');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Infinity)).toBe('—');
  });
});
