import { describe, expect, it } from 'vitest';
import type { Prediction } from '../core/api/contract';
import { predictionJson } from './services';

describe('predictionJson', () => {
  it('writes what JSON.stringify writes, for regressors and classifiers alike', () => {
    const cases: Prediction[] = [
      { value: 1.5 },
      { value: -0 },
      { value: 1e-7 },
      { value: 123456789012345680000 },
      { value: 0.1 + 0.2 },
      { value: Number.NaN },
      { value: Number.POSITIVE_INFINITY },
      { label: 'Gentoo "G" \u2028', probabilities: { Adelie: 0.25, 'Gentoo "G" \u2028': 0.75 } },
    ];
    for (const p of cases) expect(predictionJson(p)).toBe(JSON.stringify(p));
  });
});
