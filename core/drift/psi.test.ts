import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { populationStabilityIndex, sharesWithoutZeros } from './psi';
import { PSI_CASES } from './psi.reference';

describe('populationStabilityIndex agrees with Evidently', () => {
  it.each(PSI_CASES)('%j vs %j', (reference, current, psi) => {
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
