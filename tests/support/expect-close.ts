/** Test helper: SciPy agreement within a relative tolerance (or an absolute one near zero). */
import { expect } from 'vitest';

export function expectClose(actual: number, expected: number, relative = 1e-10, absolute = 0): void {
  if (actual === expected) return;
  const error = Math.abs(actual - expected);
  const ok = error <= absolute || error <= relative * Math.abs(expected);
  expect(ok, `${actual} vs ${expected}: error ${error} (relative ${error / Math.abs(expected)})`).toBe(true);
}
