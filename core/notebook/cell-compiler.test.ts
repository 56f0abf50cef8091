import { describe, expect, it } from 'vitest';
import { analyzeCell, cellPosition, CellSyntaxError, compileCell } from './cell-compiler';

type AsyncFn = () => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (body: string) => AsyncFn;

describe('compileCell', () => {
  it('keeps top-level names, supports await, and returns the last expression', async () => {
    const g = globalThis as Record<string, unknown>;
    const c = compileCell(
      'const a = 1;\nlet { b, c: [d] } = { b: 2, c: [3] };\nfunction f() { return a + b + d; }\nclass K {}\nawait Promise.resolve();\nf()',
    );
    expect(c.declared).toEqual(['a', 'b', 'd', 'f', 'K']);
    expect(await new AsyncFunction(c.body)()).toBe(6);
    expect([g.a, g.b, g.d, typeof g.f, typeof g.K]).toEqual([1, 2, 3, 'function', 'function']);
    for (const k of c.declared) delete g[k];
  });

  it('keeps lines aligned so an error points at its line in the cell', async () => {
    const c = compileCell('const q = 1;\n\nnope();');
    const err = await new AsyncFunction(c.body)().catch((e: Error) => e);
    expect(cellPosition((err as Error).stack)).toMatchObject({ line: 3 });
    delete (globalThis as Record<string, unknown>).q;
  });

  it('reports syntax errors with line and column', () => {
    try {
      compileCell('let a = 1;\nlet = ;');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CellSyntaxError);
      expect(e).toMatchObject({ line: 2 });
    }
  });
});

describe('analyzeCell', () => {
  it('lists top-level names and the free names a cell reads', () => {
    expect(analyzeCell('const total = price * qty;\nconsole.log(total, obj.field)')).toEqual({
      declared: ['total'],
      references: ['price', 'qty', 'console', 'obj'],
    });
    expect(analyzeCell('let = ;')).toBeNull();
  });
});
