/**
 * Model quality with defaults only (`flywheel train --data … --target …`, the built CLI: the model search, `model.type:
 * auto`, budget 60 s) on every sample of the project and on scikit-learn's bundled tabular datasets,
 * against scikit-learn's default models fitted in the same run on the same split (the pipeline's own
 * split row indices) and the same transformed matrices. The bar (issue 18): accuracy within 0.02 and
 * R² within 0.03 of the best scikit-learn model on each set, better on average, and each search within
 * its budget on this machine.
 *
 * `QUALITY_ONLY=iris,cars npm run bench quality` runs some sets only; `QUALITY_JSON=file` also writes
 * the figures as JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../build/bundle-cli';
import { loadSource } from '../core/data/sources';
import { splitRows } from '../core/data/split';
import { takeRows } from '../core/data/table';
import { encodeTable, fitTransform } from '../core/features';
import { parsePipelineSpec, prepareTable } from '../core/pipeline';
import { REFIT_MEMBERS } from '../core/pipeline/refit-members';
import type { EnsembleRecord } from '../core/model/merge-members';
import { describeConfig } from '../core/search/space';
import type { SearchReport } from '../core/search/types';
import { nodeSourceIO } from '../cli/node-io';
import { useNodeBackend } from '../cli/tfjs-node';
import { fmt, markdownTable, type BenchResult } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Debian's python3-sklearn installs into the system Python, which a pyenv shim on PATH may hide. */
const PYTHONS = ['/usr/bin/python3', 'python3'];
const SKLEARN_MODELS = ['linear', 'hgb', 'rf', 'mlp'] as const;
type SklearnModel = (typeof SKLEARN_MODELS)[number];
/** The bar: how far below the best scikit-learn model Flywheel may be, per metric. */
const TOLERANCE = { accuracy: 0.02, r2: 0.03 } as const;

interface Case {
  name: string;
  data: string;
  target: string;
}

const SAMPLES: Case[] = [
  { name: 'penguins', data: 'sample:penguins', target: 'Species' },
  { name: 'seattle-weather', data: 'sample:seattle-weather', target: 'weather' },
  { name: 'cars', data: 'sample:cars', target: 'Miles_per_Gallon' },
  { name: 'flights-20k', data: 'sample:flights-20k', target: 'delay' },
];

interface Row {
  name: string;
  rows: number;
  metric: 'accuracy' | 'r2';
  flywheel: number;
  sklearn: Record<SklearnModel, number> | null;
  best: number;
  bestModel: string;
  met: boolean | null;
  searchSeconds: number;
  trainSeconds: number;
  budgetReached: boolean;
  trials: number;
  chosen: string;
  validation: string;
}

function python(script: string, args: string[], input?: string): string | null {
  for (const py of PYTHONS) {
    try {
      return execFileSync(py, [path.join(here, script), ...args], {
        input,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'ignore'],
        maxBuffer: 1 << 28,
      });
    } catch {
      // try the next interpreter
    }
  }
  return null;
}

/** What bench/quality reads of `flywheel train`'s report.json. */
interface CliReport {
  metrics: Record<string, number>;
  search: SearchReport | null;
  lineage: { ensemble?: EnsembleRecord | null; timings: Record<string, number> };
}

/**
 * `flywheel train --data … --target …` with no model options, as a user runs it: the built CLI in a
 * fresh process (its trial threads bundled, one per core), a data folder of its own, no step cache.
 */
function trainWithCli(c: Case): CliReport {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flywheel-quality-run-'));
  try {
    const out = path.join(dir, 'out');
    try {
      execFileSync(
        process.execPath,
        [
          path.join(here, '..', 'cli', 'bin.js'),
          'train',
          '--data',
          c.data,
          '--target',
          c.target,
          '--out',
          out,
          '--no-cache',
        ],
        {
          env: { ...process.env, FLYWHEEL_DATA: path.join(dir, 'data') },
          stdio: ['ignore', 'ignore', 'pipe'],
          maxBuffer: 1 << 26,
        },
      );
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`flywheel train on ${c.name} failed: ${stderr.slice(-2000) || String(e)}`);
    }
    return JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as CliReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sklearnCases(): Case[] {
  const out = python('sklearn-datasets.py', [path.join(os.tmpdir(), 'flywheel-quality')]);
  if (!out) return [];
  return (JSON.parse(out) as { name: string; file: string; target: string }[]).map((d) => ({
    name: `sklearn ${d.name}`,
    data: d.file,
    target: d.target,
  }));
}

export async function bench(): Promise<BenchResult> {
  await bundleCli();
  // The CLI trains on tfjs wasm (tfjs-node does not install here); the label says so.
  const backend = await useNodeBackend('wasm');
  const only = process.env.QUALITY_ONLY?.split(',').filter(Boolean);
  const cases = [...SAMPLES, ...sklearnCases()].filter(
    (c) => !only || only.some((o) => c.name === o || c.name === `sklearn ${o}`),
  );
  const results: Row[] = [];
  const load0 = os.loadavg()[0];
  for (const c of cases) {
    const result = trainWithCli(c);
    const search = result.search;
    const metric = search?.metric ?? ('accuracy' in result.metrics ? 'accuracy' : 'r2');
    const flywheel = result.metrics[metric] ?? NaN;
    const trainMs = result.lineage.timings.train ?? NaN;
    const m = await sameMatrices(c.data, c.target);
    const ref = sklearnOn(m);
    const scores = ref ? (Object.fromEntries(SKLEARN_MODELS.map((k) => [k, ref[k].score])) as Row['sklearn']) : null;
    const [bestModel, best] = scores ? Object.entries(scores).reduce((a, b) => (b[1] > a[1] ? b : a)) : ['n/a', NaN];
    results.push({
      name: c.name,
      rows: m.rows,
      metric,
      flywheel,
      sklearn: scores,
      best,
      bestModel,
      met: scores ? flywheel >= best - TOLERANCE[metric] : null,
      searchSeconds: (search?.elapsedMs ?? NaN) / 1000,
      trainSeconds: trainMs / 1000,
      budgetReached: search?.budgetReached ?? false,
      trials: search?.leaderboard.length ?? 0,
      chosen: search
        ? `#${search.chosenTrial} ${describeConfig(search.chosen)}${result.lineage.ensemble ? `, ensemble of ${result.lineage.ensemble.members} refits` : ''}`
        : 'fixed',
      validation: search ? (search.validation === 'k-fold' ? `${search.folds}-fold CV` : 'validation split') : '',
    });
    console.error(
      `${c.name}: flywheel ${fmt(flywheel, 3)} best sklearn ${fmt(best, 3)} (${bestModel}) · search ${fmt(results.at(-1)!.searchSeconds, 1)} s · ${results.at(-1)!.chosen}`,
    );
  }
  const load1 = os.loadavg()[0];
  if (process.env.QUALITY_JSON) writeFileSync(process.env.QUALITY_JSON, JSON.stringify(results, null, 2));
  return {
    title: 'Model search quality (defaults only) against scikit-learn',
    markdown: render(results, backend, load0, load1),
  };
}

function render(results: Row[], backend: string, load0: number, load1: number): string {
  const cell = (v: number, best: number) => (v === best ? `**${fmt(v, 3)}**` : fmt(v, 3));
  const table = results.map((r) => [
    r.name,
    r.rows,
    r.metric,
    cell(r.flywheel, Math.max(r.flywheel, r.best)),
    ...SKLEARN_MODELS.map((k) => (r.sklearn ? cell(r.sklearn[k], Math.max(r.flywheel, r.best)) : 'n/a')),
    r.sklearn ? `${r.flywheel - r.best >= 0 ? '+' : ''}${fmt(r.flywheel - r.best, 3)}` : 'n/a',
    r.met === null ? 'n/a' : r.met ? '✅' : '❌',
    `${fmt(r.searchSeconds, 1)} s${r.budgetReached ? ' (budget reached)' : ''}`,
    `${fmt(r.trainSeconds, 1)} s`,
    `${r.validation}, ${r.trials} candidates; ${r.chosen}`,
  ]);
  const withRef = results.filter((r) => r.sklearn);
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const averages = withRef.length
    ? [
        'mean over sets',
        '',
        '',
        fmt(mean(withRef.map((r) => r.flywheel)), 3),
        ...SKLEARN_MODELS.map((k) => fmt(mean(withRef.map((r) => r.sklearn![k])), 3)),
        `${fmt(mean(withRef.map((r) => r.flywheel - r.best)), 3)}`,
        `${withRef.filter((r) => r.met).length} / ${withRef.length}`,
        '',
        '',
        '',
      ]
    : [];
  return [
    `Defaults only: \`flywheel train --data … --target … --no-cache\` as a user runs it (the built CLI, a fresh process per set), i.e. \`model.type: auto\` with a 60 s budget (75 % for the search, the rest for training the choice), trials on one worker thread per core (${os.availableParallelism()} here), tfjs ${backend} backend. Test metric on the pipeline's own test split (20 %, stratified for classes, seed 42). scikit-learn ${'1.2'} fitted in the same run on the same transformed matrices (the pipeline's default \`transform\`: numeric columns standardised, a skewed one mapped through its quantiles onto a normal, dates to parts including the hour when they have times), on the pipeline's training and validation rows together (everything Flywheel learns from; below 2,000 rows Flywheel's final model trains on both for as many epochs as its cross-validation folds needed, ${REFIT_MEMBERS} times on their own seeds, averaged into one model (\`REFIT_MEMBERS\`), above it on the training rows, early-stopping on the validation rows, also ${REFIT_MEMBERS} times but averaged only when the average's validation loss is no worse than the first's), at their defaults: \`linear\` = StandardScaler + LogisticRegression (max_iter 1000) or Ridge, \`hgb\` = HistGradientBoosting, \`rf\` = RandomForest (100 trees), \`mlp\` = StandardScaler + MLP (100,). Bar: accuracy within ${TOLERANCE.accuracy} and R² within ${TOLERANCE.r2} of the best scikit-learn model. Δ = Flywheel − best scikit-learn model. "search" is the search's wall time, "train step" the whole model step (search + final training) against the 60 s budget.`,
    '',
    `Machine load: ${os.cpus().length} cores shared with other engineers' work; 1-minute load average ${fmt(load0, 2)} at the start, ${fmt(load1, 2)} at the end — wall times are pessimistic.`,
    '',
    markdownTable(
      [
        'data → target',
        'rows',
        'metric',
        'Flywheel',
        'sklearn linear',
        'sklearn HGB',
        'sklearn RF',
        'sklearn MLP',
        'Δ vs best',
        'bar',
        'search',
        'train step',
        'chosen model',
      ],
      averages.length ? [...table, averages] : table,
    ),
  ].join('\n');
}

interface Matrices {
  task: string;
  rows: number;
  width: number;
  xTrain: number[];
  xTest: number[];
  yTrain: number[];
  yTest: number[];
}

/**
 * The pipeline's own split (the same `splitRows` call with the spec's defaults, so the same row
 * indices) and transform (fitted on its training rows), as core/pipeline/run.ts computes them.
 * scikit-learn trains on the training and validation rows, and is tested on the test rows.
 */
async function sameMatrices(data: string, target: string): Promise<Matrices> {
  const spec = parsePipelineSpec({ data, target });
  const { table } = await loadSource(data, nodeSourceIO);
  const prepared = prepareTable(table, spec);
  const strata = prepared.task === 'classification' && spec.split.stratify ? (prepared.y as Int32Array) : undefined;
  const split = splitRows(prepared.table.rowCount, { ...spec.split, strata });
  const learn = Int32Array.from([...split.train, ...split.validation]);
  const { transform } = fitTransform(takeRows(prepared.table, split.train), prepared.features, spec.transform);
  return {
    task: prepared.task,
    rows: prepared.table.rowCount,
    width: transform.width,
    xTrain: Array.from(encodeTable(transform, takeRows(prepared.table, learn))),
    xTest: Array.from(encodeTable(transform, takeRows(prepared.table, split.test))),
    yTrain: Array.from(learn, (i) => prepared.y[i]),
    yTest: Array.from(split.test, (i) => prepared.y[i]),
  };
}

function sklearnOn(m: Matrices): Record<SklearnModel, { score: number; seconds: number }> | null {
  const out = python('sklearn-reference.py', [], JSON.stringify(m));
  return out ? JSON.parse(out) : null;
}
