import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it('uses decimal units with one decimal below ten', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(14_200)).toBe('14 KB');
    expect(formatBytes(9_950)).toBe('9.9 KB');
    expect(formatBytes(3_100_000)).toBe('3.1 MB');
    expect(formatBytes(2e12)).toBe('2000 GB');
  });
});
