import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration } from './time-format';

describe('formatAgo', () => {
  const now = Date.UTC(2026, 0, 20, 12);
  it('is coarse and turns into a date after a week', () => {
    expect(formatAgo(now - 5_000, now)).toBe('just now');
    expect(formatAgo(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(formatAgo(now - 2.5 * 3_600_000, now)).toBe('2 h ago');
    expect(formatAgo(now - 3 * 86_400_000, now)).toBe('3 d ago');
    expect(formatAgo(Date.UTC(2025, 11, 1), now)).toBe('2025-12-01');
    expect(formatAgo(now + 1000, now)).toBe('just now');
  });
});

describe('formatDuration', () => {
  it('picks the unit by size', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(NaN)).toBe('—');
  });
});
