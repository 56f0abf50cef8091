import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { splitRows } from './split';

describe('splitRows', () => {
  it('is deterministic from its seed and covers every row once', () => {
    const a = splitRows(100, { test: 0.2, validation: 0.1, seed: 1 });
    const b = splitRows(100, { test: 0.2, validation: 0.1, seed: 1 });
    const c = splitRows(100, { test: 0.2, validation: 0.1, seed: 2 });
    expect(a).toEqual(b);
    expect(a.test).not.toEqual(c.test);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([70, 10, 20]);
    expect(new Set([...a.train, ...a.validation, ...a.test]).size).toBe(100);
  });

  it('keeps class shares when stratified', () => {
    const strata = Int32Array.from({ length: 200 }, (_, i) => (i < 150 ? 0 : 1));
    const s = splitRows(200, { test: 0.2, validation: 0, seed: 3, strata });
    const minorityInTest = [...s.test].filter((i) => strata[i] === 1).length;
    expect(s.test.length).toBe(40);
    expect(minorityInTest).toBe(10);
  });

  it('refuses too few rows and bad shares with a clear error', () => {
    expect(() => splitRows(3, { test: 0.2, validation: 0.1, seed: 1 })).toThrow(FlywheelError);
    expect(() => splitRows(3, { test: 0.2, validation: 0.1, seed: 1 })).toThrow(/3 row\(s\) are too few/);
    expect(() => splitRows(100, { test: 0.6, validation: 0.5, seed: 1 })).toThrow(/leave rows to train on/);
  });
});
