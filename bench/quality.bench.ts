/**
 * Model quality with the default pipeline on the shipped samples, against scikit-learn's MLP and
 * linear models fitted in the same run on the very same matrices (same split, same fitted transform),
 * when a python3 with scikit-learn is present. Targets (issue 3): penguins accuracy ≥ 0.97,
 * seattle-weather accuracy ≥ 0.80, cars Miles_per_Gallon R² ≥ 0.70.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSource } from '../core/data/sources';
import { splitRows } from '../core/data/split';
import { takeRows } from '../core/data/table';
import { encodeTable, fitTransform } from '../core/features';
import { parsePipelineSpec, prepareTable, runPipeline } from '../core/pipeline';
import { nodeSourceIO } from '../cli/node-io';
import { useNodeBackend } from '../cli/tfjs-node';
import { fmt, markdownTable, type BenchResult } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const CASES = [
  { data: 'sample:penguins', target: 'Species', metric: 'accuracy', target_: 0.97 },
  { data: 'sample:seattle-weather', target: 'weather', metric: 'accuracy', target_: 0.8 },
  { data: 'sample:cars', target: 'Miles_per_Gallon', metric: 'r2', target_: 0.7 },
] as const;

export async function bench(): Promise<BenchResult> {
  const backend = await useNodeBackend('wasm');
  const rows: (string | number)[][] = [];
  for (const c of CASES) {
    const t0 = performance.now();
    const result = await runPipeline(
      { data: c.data, target: c.target },
      { io: nodeSourceIO, backend, codeVersion: 'bench' },
    );
    const seconds = (performance.now() - t0) / 1000;
    const ours = result.bundle.manifest.metrics[c.metric] ?? NaN;
    const ref = sklearnOn(await sameMatrices(c.data, c.target));
    rows.push([
      `${c.data} → ${c.target}`,
      c.metric,
      fmt(ours, 3),
      ref ? fmt(ref.mlp, 3) : 'n/a',
      ref ? fmt(ref.linear, 3) : 'n/a',
      ref ? fmt(ours / ref.mlp, 3) : 'n/a',
      `≥ ${c.target_} ${ours >= c.target_ ? '✅' : '❌'}`,
      `${result.history.length} epochs, ${seconds.toFixed(1)} s`,
    ]);
  }
  return {
    title: 'Model quality (default pipeline)',
    markdown: [
      `Flywheel's default pipeline (MLP [64, 32], adam, early stopping; tfjs ${backend} backend) on the test split, and scikit-learn 1.2 fitted in the same run on the same transformed train/test matrices: MLPClassifier/MLPRegressor (64, 32) with early stopping, and LogisticRegression / Ridge. Ratio = Flywheel / sklearn MLP.`,
      '',
      markdownTable(
        ['data → target', 'metric', 'Flywheel', 'sklearn MLP', 'sklearn linear', 'ratio', 'target', 'training'],
        rows,
      ),
    ].join('\n'),
  };
}

interface Matrices {
  task: string;
  width: number;
  xTrain: number[];
  xTest: number[];
  yTrain: number[];
  yTest: number[];
}

/** The pipeline's own split and transform, recomputed with the same library calls and defaults. */
async function sameMatrices(data: string, target: string): Promise<Matrices> {
  const spec = parsePipelineSpec({ data, target });
  const { table } = await loadSource(data, nodeSourceIO);
  const prepared = prepareTable(table, spec);
  const strata = prepared.task === 'classification' ? (prepared.y as Int32Array) : undefined;
  const split = splitRows(prepared.table.rowCount, { ...spec.split, strata });
  const train = takeRows(prepared.table, split.train);
  const test = takeRows(prepared.table, split.test);
  const { transform } = fitTransform(train, prepared.features, spec.transform);
  return {
    task: prepared.task,
    width: transform.width,
    xTrain: Array.from(encodeTable(transform, train)),
    xTest: Array.from(encodeTable(transform, test)),
    yTrain: Array.from(split.train, (i) => prepared.y[i]),
    yTest: Array.from(split.test, (i) => prepared.y[i]),
  };
}

/** Debian's python3-sklearn installs into the system Python, which a pyenv shim on PATH may hide. */
const PYTHONS = ['/usr/bin/python3', 'python3'];

function sklearnOn(m: Matrices): { mlp: number; linear: number } | null {
  for (const python of PYTHONS) {
    try {
      return JSON.parse(
        execFileSync(python, [path.join(here, 'sklearn-reference.py')], {
          input: JSON.stringify(m),
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'ignore'],
        }),
      );
    } catch {
      // try the next interpreter
    }
  }
  return null;
}
