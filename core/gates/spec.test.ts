import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { parseGates } from './spec';

function specError(value: unknown, path?: string): FlywheelError {
  try {
    parseGates(value, path);
  } catch (e) {
    expect(e).toBeInstanceOf(FlywheelError);
    expect((e as FlywheelError).code).toBe('bad_spec');
    return e as FlywheelError;
  }
  throw new Error('expected parseGates to throw');
}

const paths = (e: FlywheelError): string[] => e.details.map((d) => d.path);

describe('parseGates', () => {
  it('accepts the gates the README shows and keeps each threshold', () => {
    const gates = parseGates([
      { metric: 'accuracy', min: 0.8 },
      { metric: 'accuracy', vsChampion: { minDelta: -0.01 } },
      { metric: 'rmse', max: 2, vsChampion: { minRatio: 0.98 } },
    ]);
    expect(gates).toEqual([
      { metric: 'accuracy', min: 0.8 },
      { metric: 'accuracy', vsChampion: { minDelta: -0.01 } },
      { metric: 'rmse', max: 2, vsChampion: { minRatio: 0.98 } },
    ]);
  });

  it('names an unknown metric and lists the known ones', () => {
    const e = specError([
      { metric: 'accuracy', min: 0.5 },
      { metric: 'acuracy', min: 0.8 },
    ]);
    expect(paths(e)).toEqual(['gates[1].metric']);
    expect(e.details[0].message).toContain('"acuracy"');
    expect(e.details[0].message).toContain('balanced_accuracy');
    expect(e.message).toMatch(/^gates\[1\]\.metric: /);
  });

  it('refuses a gate without any threshold', () => {
    const e = specError([{ metric: 'accuracy' }]);
    expect(paths(e)).toEqual(['gates[0]']);
    expect(e.details[0].message).toMatch(/at least one of min, max or vsChampion/);
  });

  it('refuses vsChampion with both or neither of minDelta and minRatio', () => {
    expect(paths(specError([{ metric: 'r2', vsChampion: { minDelta: 0, minRatio: 1 } }]))).toEqual([
      'gates[0].vsChampion',
    ]);
    expect(specError([{ metric: 'r2', vsChampion: {} }]).details[0].message).toMatch(
      /exactly one of minDelta or minRatio/,
    );
  });

  it('names a mistyped value, an unknown field and every problem at once', () => {
    const e = specError([
      { metric: 'mae', vsChampion: { minDelta: '0.1' } },
      { metric: 'mae', minimum: 3, max: 1 },
    ]);
    expect(paths(e)).toEqual(['gates[0].vsChampion.minDelta', 'gates[1].minimum']);
    expect(e.message).toMatch(/and 1 more/);
  });

  it('refuses min above max, and non-finite numbers', () => {
    expect(paths(specError([{ metric: 'accuracy', min: 0.9, max: 0.8 }]))).toEqual(['gates[0].min']);
    expect(paths(specError([{ metric: 'accuracy', min: Number.NaN }]))).toEqual(['gates[0].min']);
    expect(paths(specError([{ metric: 'accuracy', max: Infinity }]))).toEqual(['gates[0].max']);
  });

  it('prefixes paths with where the gates sit in the document', () => {
    expect(paths(specError({ metric: 'accuracy' }, 'policy.gates'))).toEqual(['policy.gates']);
    expect(paths(specError([{ metric: 'x', min: 1 }], 'policy.gates'))).toEqual(['policy.gates[0].metric']);
  });
});
