import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from './json-position';
import { checkSpecText, dataSource, fileSources, setPath } from './spec-text';

describe('spec text', () => {
  it('accepts a valid spec and fills defaults', () => {
    const r = checkSpecText('{"data": "sample:penguins", "target": "Species"}');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.spec.train.epochs).toBe(100);
  });

  it('names the line of a JSON syntax error', () => {
    const r = checkSpecText('{\n  "data": "sample:penguins",\n  "target": \n}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0].path).toBe('line 4, column 1');
      expect(r.problems[0].message).toBe('not valid JSON: unexpected "}"');
    }
  });

  it('finds where JSON goes wrong', () => {
    const at = (t: string) => jsonErrorPosition(t);
    expect(at('{"a": [1, 2, {"b": "c"}], "d": -1.5e3}')).toBeNull();
    expect(at('{"a": 1,}')).toEqual({ line: 1, column: 9 });
    expect(at('{"a": tru}')).toEqual({ line: 1, column: 7 });
    expect(at('{\n "a": "x\n"}')).toEqual({ line: 2, column: 9 });
    expect(at('{"a": 1')).toEqual({ line: 1, column: 8 });
    expect(at('{} x')).toEqual({ line: 1, column: 4 });
  });

  it('names the JSON path of an invalid spec, keeping the parsed value', () => {
    const r = checkSpecText('{"data": "sample:penguins", "target": "Species", "train": {"epochs": "x"}}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.path)).toEqual(['train.epochs']);
      expect(r.value).not.toBeNull();
    }
    const root = checkSpecText('[1]');
    expect(!root.ok && root.problems[0].message).toBe('a pipeline spec is a JSON object');
  });

  it('sets and removes values by path, dropping emptied objects', () => {
    let t = setPath('{"data": "x", "target": "y"}', 'train.epochs', 5);
    expect(JSON.parse(t)).toEqual({ data: 'x', target: 'y', train: { epochs: 5 } });
    t = setPath(t, 'train.epochs', undefined);
    expect(JSON.parse(t)).toEqual({ data: 'x', target: 'y' });
  });

  it('finds the data source and the files a spec needs', () => {
    expect(dataSource({ data: 'sample:cars' })).toBe('sample:cars');
    expect(dataSource({ data: { source: 'a.csv', test: null } })).toBe('a.csv');
    expect(fileSources({ data: { source: 'a.csv', test: 'https://x/b.csv' } })).toEqual(['a.csv']);
    expect(fileSources({ data: 'sample:penguins' })).toEqual([]);
  });
});
