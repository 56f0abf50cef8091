import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../../../core/data/table-from-cells';
import { profileTable } from '../../../core/features';
import type { MimeBundle } from '../../../workers/protocol';
import type { Notebook } from '../db';
import { fromIpynb, notebookLanguage, toIpynb, type Ipynb, type IpynbCell } from './ipynb';

/** A notebook as Jupyter writes it (made with nbformat's own v4 builders): Python kernel, every output type. */
const PYTHON_FIXTURE = new URL('./fixtures/python-analysis.ipynb', import.meta.url);
/** Debian's python3-nbformat lives with the system Python, which a pyenv or venv python3 may hide. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Jupyter's own validator, on the document as it would be saved; throws with nbformat's message. */
function validateWithNbformat(doc: unknown): void {
  execFileSync(
    PYTHON,
    ['-c', 'import sys, nbformat; nbformat.validate(nbformat.reads(sys.stdin.read(), as_version=4))'],
    { input: JSON.stringify(doc), stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

const interrupted: MimeBundle = {
  'application/vnd.flywheel.error+json': {
    name: 'Interrupted',
    message: 'interrupted: the kernel was restarted and its variables are gone',
  },
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
        {
          'application/vnd.flywheel.table+json': {
            columns: ['a', 'b'],
            rows: [
              [1, 'x'],
              [null, true],
            ],
            total: 2,
          },
          'text/plain': '2 rows',
        },
        {
          'application/vnd.flywheel.chart+json': { mark: 'dot', data: [{ x: 1, y: 2 }], x: 'x', y: 'y' },
          'text/plain': 'dot chart of y by x',
        },
        { 'image/png': 'iVBORw0KGgo=' },
        { 'text/markdown': '## out', 'text/html': '<b>out</b>' },
      ],
    },
    { id: 'c2', kind: 'code', source: 'while (true) {}', status: 'error', executionCount: 4, outputs: [interrupted] },
    { id: 'c3', kind: 'code', source: '\n\nx', status: 'error', outputs: [atLine, richError] },
    {
      id: 'p1',
      kind: 'pipeline',
      source: '{\n  "data": "sample:penguins",\n  "target": "Species"\n}',
      status: 'stale',
      durationMs: 900,
      outputs: [
        {
          'application/vnd.flywheel.run+json': { runId: 'r1', metrics: { accuracy: 0.97 } },
          'text/markdown': '**accuracy** 0.97',
        } as MimeBundle,
      ],
    },
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
    expect(doc.metadata.kernelspec).toEqual({
      name: 'flywheel-js',
      display_name: 'JavaScript (Flywheel)',
      language: 'javascript',
    });
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
    expect(code.outputs![2]).toMatchObject({
      data: { 'application/vnd.flywheel.table+json': { columns: ['a', 'b'] } },
    });
    expect(loop.outputs![0]).toEqual({
      output_type: 'error',
      ename: 'Interrupted',
      evalue: 'interrupted: the kernel was restarted and its variables are gone',
      traceback: ['Interrupted: interrupted: the kernel was restarted and its variables are gone'],
    });
    expect(err.outputs![0]).toMatchObject({
      output_type: 'error',
      ename: 'ReferenceError',
      traceback: ['ReferenceError: x is not defined', '    at cell line 3, column 1'],
    });
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
      metadata: { kernelspec: { name: 'python3', language: 'python' } },
      cells: [
        { cell_type: 'raw', metadata: {}, source: 'raw text' },
        {
          cell_type: 'code',
          metadata: { tags: ['slow'] },
          execution_count: 7,
          source: ['print(1)\n', '1/0'],
          outputs: [
            { output_type: 'stream', name: 'stdout', text: ['1\n'] },
            {
              output_type: 'execute_result',
              execution_count: 7,
              data: { 'text/plain': ['42'], 'application/json': '{"a":1}' },
              metadata: {},
            },
            {
              output_type: 'error',
              ename: 'ZeroDivisionError',
              evalue: 'division by zero',
              traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m'],
            },
          ],
        },
      ],
    };
    const nb = fromIpynb(doc, 'analysis', 5, newId);
    expect(nb.title).toBe('analysis');
    expect(notebookLanguage(nb)).toBe('python');
    expect(nb.cells[0]).toMatchObject({ kind: 'raw', source: 'raw text', status: 'idle' });
    expect(nb.cells[1]).toMatchObject({
      kind: 'code',
      source: 'print(1)\n1/0',
      executionCount: 7,
      metadata: { tags: ['slow'] },
    });
    expect(nb.cells[1].outputs).toEqual([
      { 'application/vnd.flywheel.stream+json': { name: 'stdout', text: '1\n' } },
      {
        'text/plain': '42',
        'application/json': { a: 1 },
        'application/vnd.flywheel.output+json': { type: 'execute_result' },
      },
      {
        'application/vnd.flywheel.error+json': {
          name: 'ZeroDivisionError',
          message: 'division by zero',
          traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m'],
        },
        'text/plain': 'ZeroDivisionError: division by zero',
      },
    ]);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(2);
  });

  it('round-trips a notebook Jupyter wrote (Python kernel) and nbformat validates the export', () => {
    const original = JSON.parse(readFileSync(PYTHON_FIXTURE, 'utf8')) as Ipynb;
    const nb = fromIpynb(structuredClone(original), 'python-analysis', 0, newId);
    expect(nb.cells.map((c) => c.kind)).toEqual(['markdown', 'raw', 'code', 'code', 'code']);
    expect(nb.cells[0].attachments?.['islands.png']?.['image/png']).toMatch(/^iVBOR/);
    expect(nb.cells[3].outputs[0]['application/vnd.flywheel.output+json']).toEqual({
      type: 'display_data',
      metadata: { 'image/png': { width: 540, height: 413 }, needs_background: 'light' },
    });
    const back = JSON.parse(JSON.stringify(toIpynb(nb)));
    validateWithNbformat(back);
    expect(back.metadata.kernelspec).toEqual(original.metadata.kernelspec);
    expect(back.metadata.language_info).toEqual(original.metadata.language_info);
    // Every cell comes back as Jupyter wrote it; Flywheel only adds its own metadata key.
    const withoutFlywheel = (c: IpynbCell) => ({
      ...c,
      metadata: Object.fromEntries(Object.entries(c.metadata).filter(([k]) => k !== 'flywheel')),
    });
    expect(back.cells.map(withoutFlywheel)).toEqual(original.cells);
  });

  it('exports tables, profiles and charts with HTML and SVG copies Jupyter renders, and validates', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>';
    const profile = profileTable(
      tableFromRecords([
        { n: 1, s: 'a' },
        { n: 3, s: 'b' },
      ]),
    );
    const nb: Notebook = {
      ...NB,
      cells: [
        ...NB.cells,
        {
          id: 'pr',
          kind: 'code',
          source: 'profile(t)',
          status: 'ok',
          executionCount: 3,
          outputs: [
            {
              'application/vnd.flywheel.profile+json': profile,
              'text/plain': 'Profile',
              'application/vnd.flywheel.output+json': { type: 'execute_result' },
            },
          ],
        },
      ],
    };
    const doc = JSON.parse(JSON.stringify(toIpynb(nb, { chartSvg: () => svg })));
    validateWithNbformat(doc);
    const outputs = doc.cells[1].outputs;
    expect(outputs[2].data['text/html'].join('')).toContain('<th>a</th><th>b</th>');
    expect(outputs[2].metadata).toEqual({ flywheel: { derived: ['text/html'] } });
    expect(outputs[3].data['image/svg+xml'].join('')).toBe(svg);
    const pr = doc.cells[doc.cells.length - 1];
    expect(pr.outputs[0]).toMatchObject({ output_type: 'execute_result', execution_count: null });
    expect(pr.outputs[0].data['text/html'].join('')).toContain('<td>s</td><td>string</td>');
    // Cells 'c1' and 'pr' both say 3 (the kernel restarted between them): only the first keeps it.
    const counts = doc.cells.map((c: IpynbCell) => c.execution_count).filter((n: unknown) => typeof n === 'number');
    expect(new Set(counts).size).toBe(counts.length);
    // The copies are dropped on import: Flywheel reads its own data back.
    expect(fromIpynb(doc, 'x', 0, newId).cells.map((c) => c.outputs)).toEqual(nb.cells.map((c) => c.outputs));
  });

  it('refuses what is not a notebook, naming the path', () => {
    expect(() => fromIpynb({ foo: 1 }, 'x', 0, newId)).toThrow(/cells: not a Jupyter notebook/);
    expect(() => fromIpynb({ nbformat: 3, cells: [] }, 'x', 0, newId)).toThrow(/nbformat: only nbformat 4/);
    expect(() => fromIpynb({ nbformat: 4, cells: [{ cell_type: 'widget', source: '' }] }, 'x', 0, newId)).toThrow(
      /cells\[0\]\.cell_type/,
    );
    expect(() =>
      fromIpynb(
        { nbformat: 4, cells: [{ cell_type: 'code', source: '', outputs: [{ output_type: 'nope' }] }] },
        'x',
        0,
        newId,
      ),
    ).toThrow(/cells\[0\]\.outputs\[0\]\.output_type/);
  });

  it('gives duplicate or invalid cell ids fresh ones', () => {
    const nb = fromIpynb(
      {
        nbformat: 4,
        cells: [
          { id: 'a', cell_type: 'markdown', source: '' },
          { id: 'a', cell_type: 'markdown', source: '' },
          { id: 'bad id!', cell_type: 'markdown', source: '' },
        ],
      },
      'x',
      0,
      newId,
    );
    const ids = nb.cells.map((c) => c.id);
    expect(ids[0]).toBe('a');
    expect(new Set(ids).size).toBe(3);
  });
});
