import { describe, expect, it } from 'vitest';
import type { Cell } from '../db';
import { dependentsOf, markDependentsStale } from './staleness';

function cell(id: string, source: string, status: Cell['status'] = 'ok', kind: Cell['kind'] = 'code'): Cell {
  return { id, kind, source, outputs: [], status };
}

describe('staleness', () => {
  const cells = [
    cell('a', 'const x = 1;'),
    cell('b', 'const y = x + 1;'),
    cell('md', 'uses x and y in prose', 'ok', 'markdown'),
    cell('c', 'function f() { return y * 2 }'),
    cell('d', 'f()'),
    cell('e', 'const z = 5; z'),
  ];

  it('follows references transitively, in notebook order', () => {
    expect(dependentsOf(cells, 'a')).toEqual(['b', 'c', 'd']);
    expect(dependentsOf(cells, 'c')).toEqual(['d']);
    expect(dependentsOf(cells, 'e')).toEqual([]);
  });

  it('counts names a cell declared before an edit', () => {
    const edited = cells.map((c) => (c.id === 'a' ? { ...c, source: 'const renamed = 1;' } : c));
    expect(dependentsOf(edited, 'a')).toEqual([]);
    expect(dependentsOf(edited, 'a', ['x'])).toEqual(['b', 'c', 'd']);
  });

  it('marks only cells that show an output stale', () => {
    const nb = [
      cell('a', 'let x = 1'),
      cell('b', 'x + 1', 'ok'),
      cell('c', 'x * 2', 'idle'),
      cell('d', 'x - 1', 'error'),
    ];
    expect(markDependentsStale(nb, 'a')).toEqual(['b', 'd']);
    expect(nb.map((c) => c.status)).toEqual(['ok', 'stale', 'idle', 'stale']);
  });

  it('ignores cells that do not parse', () => {
    expect(dependentsOf([cell('a', 'const x = 1'), cell('b', 'x +')], 'a')).toEqual([]);
  });
});
