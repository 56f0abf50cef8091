import { describe, expect, it } from 'vitest';
import type { MimeBundle } from '../../../workers/protocol';
import type { Notebook } from '../db';
import { fromIpynb, toIpynb } from './ipynb';

const interrupted: MimeBundle = {
  'application/vnd.flywheel.error+json': { name: 'Interrupted', message: 'interrupted: the kernel was restarted and its variables are gone' },
  'text/plain': 'Interrupted: interrupted: the kernel was restarted and its variables are gone',
};
const atLine: MimeBundle = {
  'application/vnd.flywheel.error+json': { name: 'ReferenceError', message: 'x is not defined', line: 3, column: 1 },
  'text/plain': 'ReferenceError: x is not defined (line 3)',
};
const richError = { ...atLine, 'text/markdown': '**failed**' } as MimeBundle;

const NB: Notebook = {
  id: 'nb1',
  title: 'Penguins',
  createdAt: 1,
  updatedAt: 2,
  cells: [
    { id: 'm1', kind: 'markdown', source: '# Title\n\nSome *text*.\n', outputs: [], status: 'ok' },
    {
      id: 'c1',
      kind: 'code',
      source: "const t = await load('sample:penguins');\nt.rowCount",
      status: 'ok',
      executionCount: 3,
      durationMs: 12.5,
      outputs: [
        { 'text/plain': '344' },
        { 'text/plain': 'two\nlines\n' },
        { 'application/vnd.flywheel.table+json': { columns: ['a', 'b'], rows: [[1, 'x'], [null, true]], total: 2 }, 'text/plain': '2 rows' },
        { 'application/vnd.flywheel.chart+json': { mark: 'dot', data: [{ x: 1, y: 2 }], x: 'x', y: 'y' }, 'text/plain': 'dot chart of y by x' },
        { 'image/png': 'iVBORw0KGgo=' },
        { 'text/markdown': '## out', 'text/html': '<b>out</b>' },
      ],
    },
    { id: 'c2', kind: 'code', source: 'while (true) {}', status: 'error', executionCount: 4, outputs: [interrupted] },
    { id: 'c3', kind: 'code', source: '\n\nx', status: 'error', outputs: [atLine, richError] },
    { id: 'p1', kind: 'pipeline', source: '{\n  "data": "sample:penguins",\n  "target": "Species"\n}', status: 'stale', durationMs: 900, outputs: [{ 'application/vnd.flywheel.run+json': { runId: 'r1', metrics: { accuracy: 0.97 } }, 'text/markdown': '**accuracy** 0.97' } as MimeBundle] },
    { id: 'c4', kind: 'code', source: '', status: 'running', outputs: [] },
  ],
};

let next = 0;
const newId = () => `new${++next}`;

describe('ipynb', () => {
  it('writes nbformat 4.5 with the Flywheel kernelspec', () => {
    const doc = toIpynb(NB);
    expect(doc.nbformat).toBe(4);
    expect(doc.nbformat_minor).toBe(5);
    expect(doc.metadata.kernelspec).toEqual({ name: 'flywheel-js', display_name: 'JavaScript (Flywheel)', language: 'javascript' });
    expect(doc.metadata.language_info).toEqual({ name: 'javascript' });
    expect(doc.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'code', 'code', 'code']);
    expect(doc.cells[0].source).toEqual(['# Title\n', '\n', 'Some *text*.\n']);
    expect(doc.cells[0].outputs).toBeUndefined();
    expect(doc.cells[4].metadata.flywheel?.kind).toBe('pipeline');
    expect(doc.cells[1].execution_count).toBe(3);
  });

  it('converts MIME bundles to Jupyter outputs', () => {
    const [, code, loop, err] = toIpynb(NB).cells;
    expect(code.outputs![0]).toEqual({ output_type: 'display_data', data: { 'text/plain': ['344'] }, metadata: {} });
    // JSON MIME types stay JSON objects, as nbformat stores them.
    expect(code.outputs![2]).toMatchObject({ data: { 'application/vnd.flywheel.table+json': { columns: ['a', 'b'] } } });
    expect(loop.outputs![0]).toEqual({ output_type: 'error', ename: 'Interrupted', evalue: 'interrupted: the kernel was restarted and its variables are gone', traceback: ['Interrupted: interrupted: the kernel was restarted and its variables are gone'] });
    expect(err.outputs![0]).toMatchObject({ output_type: 'error', ename: 'ReferenceError', traceback: ['ReferenceError: x is not defined', '    at cell line 3, column 1'] });
    // An error bundle with more than `error` can hold is kept whole as display_data.
    expect(err.outputs![1].output_type).toBe('display_data');
  });

  it('round-trips every cell and output through JSON text', () => {
    const back = fromIpynb(JSON.parse(JSON.stringify(toIpynb(NB))), 'fallback', 99, newId);
    expect(back.title).toBe('Penguins');
    expect(back.cells).toEqual(NB.cells.map((c) => (c.status === 'running' ? { ...c, status: 'idle' } : c)));
  });

  it('reads foreign notebooks: streams, execute results, Jupyter tracebacks, raw cells', () => {
    const doc = {
      nbformat: 4,
      nbformat_minor: 2,
      metadata: { kernelspec: { name: 'python3' } },
      cells: [
        { cell_type: 'raw', metadata: {}, source: 'raw text' },
        {
          cell_type: 'code',
          metadata: {},
          execution_count: 7,
          source: ['print(1)\n', '1/0'],
          outputs: [
            { output_type: 'stream', name: 'stdout', text: ['1\n'] },
            { output_type: 'execute_result', execution_count: 7, data: { 'text/plain': ['42'], 'application/json': '{"a":1}' }, metadata: {} },
            { output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m'] },
          ],
        },
      ],
    };
    const nb = fromIpynb(doc, 'analysis', 5, newId);
    expect(nb.title).toBe('analysis');
    expect(nb.cells[0]).toMatchObject({ kind: 'markdown', source: 'raw text', status: 'idle' });
    expect(nb.cells[1]).toMatchObject({ kind: 'code', source: 'print(1)\n1/0', executionCount: 7 });
    expect(nb.cells[1].outputs).toEqual([
      { 'text/plain': '1\n' },
      { 'text/plain': '42', 'application/json': { a: 1 } },
      { 'application/vnd.flywheel.error+json': { name: 'ZeroDivisionError', message: 'division by zero' }, 'text/plain': 'ZeroDivisionError: division by zero' },
    ]);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(2);
  });

  it('refuses what is not a notebook, naming the path', () => {
    expect(() => fromIpynb({ foo: 1 }, 'x', 0, newId)).toThrow(/cells: not a Jupyter notebook/);
    expect(() => fromIpynb({ nbformat: 3, cells: [] }, 'x', 0, newId)).toThrow(/nbformat: only nbformat 4/);
    expect(() => fromIpynb({ nbformat: 4, cells: [{ cell_type: 'widget', source: '' }] }, 'x', 0, newId)).toThrow(/cells\[0\]\.cell_type/);
    expect(() => fromIpynb({ nbformat: 4, cells: [{ cell_type: 'code', source: '', outputs: [{ output_type: 'nope' }] }] }, 'x', 0, newId)).toThrow(/cells\[0\]\.outputs\[0\]\.output_type/);
  });

  it('gives duplicate or invalid cell ids fresh ones', () => {
    const nb = fromIpynb({ nbformat: 4, cells: [{ id: 'a', cell_type: 'markdown', source: '' }, { id: 'a', cell_type: 'markdown', source: '' }, { id: 'bad id!', cell_type: 'markdown', source: '' }] }, 'x', 0, newId);
    const ids = nb.cells.map((c) => c.id);
    expect(ids[0]).toBe('a');
    expect(new Set(ids).size).toBe(3);
  });
});
