import { describe, expect, it } from 'vitest';
import { count } from './format';

describe('count', () => {
  it("writes what toLocaleString('en-US') writes for integers of every length and sign", () => {
    const values = [0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -1_234_567, 123_456_789_012];
    for (let d = 1; d <= 15; d++) values.push(10 ** d - 1, 10 ** d, -(10 ** d) + 1);
    for (const n of values) expect(count(n)).toBe(n.toLocaleString('en-US'));
  });
});
