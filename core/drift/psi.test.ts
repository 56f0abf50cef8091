import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { populationStabilityIndex, sharesWithoutZeros } from './psi';

// Expected values: Evidently's PSI in NumPy — shares x/x.sum() with zeros replaced by
// (min(nonzero)/10**6 if min(nonzero) <= 0.0001 else 0.0001), then np.sum((r - c) * np.log(r / c)).
const CASES: [reference: number[], current: number[], psi: number][] = [
  [[50, 30, 20], [45, 35, 20], 0.012975559774254224],
  [[50, 30, 20], [20, 30, 50], 0.549774439124493],
  [[1000, 0, 10], [900, 50, 0], 0.3760805387014433],
  [[1000000, 1, 0], [5, 5, 5], 13.815496742441],
];

describe('populationStabilityIndex agrees with Evidently', () => {
  it.each(CASES)('%j vs %j', (reference, current, psi) => {
    expectClose(populationStabilityIndex(reference, current), psi, 1e-13);
  });

  it('is 0 for the same distribution', () => {
    expect(populationStabilityIndex([10, 10], [20, 20])).toBe(0);
  });

  it('fills empty bins with 0.0001, or a millionth of a smaller share', () => {
    expect(Array.from(sharesWithoutZeros([1, 0, 1]))).toEqual([0.5, 0.0001, 0.5]);
    const tiny = sharesWithoutZeros([1e6, 1, 0]);
    expect(tiny[2]).toBe(1 / (1e6 + 1) / 1e6);
  });
});
