/**
 * What a code cell has in scope, documented once: the `?` help panel lists it and the editor's
 * autocomplete offers it, each entry with its signature and what it does.
 */
import { SAMPLES } from '../../../core/data/sources';

export interface CellApiEntry {
  /** The name as typed in a cell. */
  name: string;
  /** How it is called, e.g. `load(source)`. */
  signature: string;
  /** What it does and returns, in a sentence or two. */
  info: string;
  example: string;
  kind: 'function' | 'namespace';
}

export const CELL_API: readonly CellApiEntry[] = [
  {
    name: 'load',
    signature: 'await load(source) → Table',
    info: "Reads a dataset into a columnar Table: 'sample:penguins' (and the other samples), a URL, or a file saved in Data. The last expression of a cell shows it as a sortable table.",
    example: "const penguins = await load('sample:penguins');\npenguins",
    kind: 'function',
  },
  {
    name: 'profile',
    signature: 'profile(table) → TableProfile',
    info: 'Statistics per column (count, missing, mean, std, quantiles, histogram, top categories, distinct), as the Data view shows them. Synchronous; `await` on it is harmless.',
    example: 'profile(penguins)',
    kind: 'function',
  },
  {
    name: 'display',
    signature: 'display(value)',
    info: 'Shows a value under the cell, as many times as it is called: a Table or an array of row objects as a table, a chart spec as a chart, a profile, a MIME bundle ({"text/markdown": "…"}), else text.',
    example: "display({ 'text/markdown': '**done**' })",
    kind: 'function',
  },
  {
    name: 'chart',
    signature: 'display({ mark, data, x, y, z?, title? })',
    info: "A chart spec: mark is 'dot', 'line', 'bar' or 'area'; data is an array of row objects (flywheel.toRows(table)); x and y name columns; z (optional) colours one series per value.",
    example:
      "display({ mark: 'dot', data: flywheel.toRows(penguins), x: 'Flipper Length (mm)', y: 'Body Mass (g)', z: 'Species' })",
    kind: 'function',
  },
  {
    name: 'train',
    signature: 'await train(spec) → run result',
    info: 'Runs a pipeline spec (the JSON a pipeline cell holds) in the kernel, on its CPU backend; pipeline cells run on the fastest backend and record the run.',
    example: "const result = await train({ data: { source: 'sample:penguins' }, target: 'Species' })",
    kind: 'function',
  },
  {
    name: 'tf',
    signature: 'tf',
    info: 'TensorFlow.js core (@tensorflow/tfjs-core) on its CPU backend: tf.tensor, tf.matMul, tf.memory()…',
    example: 'tf.tensor([1, 2, 3]).square()',
    kind: 'namespace',
  },
  {
    name: 'flywheel',
    signature: 'flywheel',
    info: "Flywheel's core API: flywheel.toRows(table), flywheel.profileTable, flywheel.parsePipelineSpec, metrics, drift…",
    example: 'flywheel.toRows(penguins).slice(0, 3)',
    kind: 'namespace',
  },
  {
    name: 'console',
    signature: 'console.log(…) / console.warn(…)',
    info: 'console.log and console.info print under the cell (stdout); console.warn and console.error print as stderr, tinted red. Export keeps them as Jupyter stream outputs.',
    example: "console.log('rows', penguins.rowCount)",
    kind: 'namespace',
  },
];

/** The sources `load()` accepts by name, for completion inside its quotes. */
export const SAMPLE_SOURCES: readonly string[] = Object.keys(SAMPLES).map((s) => `sample:${s}`);
