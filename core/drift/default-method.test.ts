import { describe, expect, it } from 'vitest';
import { defaultDriftMethod } from './default-method';

// Evidently's _get_default_stattest (src/evidently/legacy/calculations/stattests/registry.py).
describe('defaultDriftMethod follows Evidently', () => {
  it.each([
    ['numeric', 1000, 6, 'ks'],
    ['numeric', 1000, 5, 'chisquare'],
    ['numeric', 1000, 3, 'chisquare'],
    ['numeric', 1000, 2, 'z'],
    ['numeric', 1001, 6, 'wasserstein'],
    ['numeric', 1001, 5, 'jensenshannon'],
    ['categorical', 1000, 3, 'chisquare'],
    ['categorical', 1000, 2, 'z'],
    ['categorical', 1000, 1, 'z'],
    ['categorical', 1001, 2, 'jensenshannon'],
    ['categorical', 50_000, 40, 'jensenshannon'],
  ] as const)('%s, reference %d rows, %d distinct values → %s', (type, size, distinct, method) => {
    expect(defaultDriftMethod(type, size, distinct)).toBe(method);
  });
});
