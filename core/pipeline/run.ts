import Papa from 'papaparse';
import { writeBundle, type Bundle, type Lineage } from '../bundle';
import { loadSource, type SourceIO } from '../data/sources';
import { column, selectColumns, takeRows, toRows, type Table } from '../data/table';
import { splitRows } from '../data/split';
import { encodeTable, fitTransform, profileTable, validateTable, type Anomaly } from '../features';
import { evaluateGates, type GateReport } from '../gates';
import { hashJson } from '../hash';
import { createPredictor } from '../infer';
import {
  classificationMetrics,
  regressionMetrics,
  metricValues,
  classificationMetricsBySlice,
  regressionMetricsBySlice,
  type Metrics,
} from '../metrics';
import { decodeOutputs, regressionHead, type Head } from '../model/head';
import { isFixedModel } from '../model/spec';
import type { TrainingProbe } from '../model/measure';
import type { RunEvent, StepName } from './events';
import { labelsAgainst, prepareTable } from './prepare';
import { parsePipelineSpec, type PipelineSpec } from './spec';
import { decodeTrained, encodeTrained, type StepCache } from './step-cache';
import { trainStep, type TrainedModel } from './train-step';
import type { SearchReport, TrialPool } from '../search/types';
import { DEFAULT_CANDIDATES, describeConfig } from '../search/space';

/** Test rows shipped in the bundle for the edge to re-check a challenger: enough for stable accuracy, small enough to ship. */
const HOLDOUT_ROWS = 500;

export interface PipelineContext {
  io: SourceIO;
  cache?: StepCache;
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
  /** The serving champion's metrics, for `vsChampion` gates. */
  champion?: { metrics: Record<string, number | null>; version: string } | null;
  codeVersion: string;
  /** The tfjs backend the caller selected, recorded in the lineage. */
  backend: string;
  /**
   * Called after the transform, before training, with the actual model and data: picks the backend
   * (the browser measures a few steps on each). What it returns is recorded in the lineage.
   */
  selectBackend?: (
    probe: TrainingProbe,
  ) => Promise<{ backend: string; measurements?: Record<string, number>; detail?: string }>;
  clock?: () => Date;
  /** Where model-search trials run for `model.type: auto` (default: in turn on this thread). */
  trialPool?: TrialPool;
  /** Caps the spec's search budget (ms): a retrain job's own budget. */
  maxSearchMs?: number;
}

export interface RunResult {
  spec: PipelineSpec;
  bundle: Bundle;
  metrics: Metrics;
  slices: Record<string, unknown>;
  gates: GateReport;
  history: TrainedModel['history'];
  anomalies: Anomaly[];
  lineage: Lineage;
  warnings: string[];
  /** The model search's leaderboard and choice, for `model.type: auto`. */
  search: SearchReport | null;
}

/**
 * Runs a pipeline end to end — ingest → validate → transform → train → evaluate → gate → package —
 * and returns the bundle with its report. The train step is cached by a hash of everything it
 * depends on, so re-running an unchanged pipeline trains nothing and says so.
 */
export async function runPipeline(input: unknown, ctx: PipelineContext): Promise<RunResult> {
  const spec = parsePipelineSpec(input);
  const emit = ctx.onEvent ?? (() => {});
  const timings: Record<string, number> = {};
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    emit({ type: 'log', level: 'warn', message });
  };
  async function step<T>(
    name: StepName,
    fn: () => Promise<{ value: T; summary: string; cached?: boolean; failed?: boolean }>,
  ): Promise<T> {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    emit({ type: 'step-start', step: name });
    const t0 = performance.now();
    const { value, summary, cached = false, failed = false } = await fn();
    timings[name] = performance.now() - t0;
    emit({ type: 'step-end', step: name, ms: timings[name], cached, summary, ...(failed ? { failed } : {}) });
    return value;
  }

  const loaded = await step('ingest', async () => {
    const l = await loadSource(spec.data.source, ctx.io);
    return { value: l, summary: `${l.table.rowCount} rows × ${l.table.columns.length} columns from ${l.name}` };
  });
  const dataHash = await hashTable(loaded.table);

  const checked = await step('validate', async () => {
    const prepared = prepareTable(loaded.table, spec);
    if (prepared.dropped) warn(`${prepared.dropped} row(s) without a target value were left out`);
    let anomalies: Anomaly[] = [];
    let external: Table | null = null;
    if (spec.data.test) {
      external = (await loadSource(spec.data.test, ctx.io)).table;
      anomalies = validateTable(external, { columns: prepared.features }).filter((a) => a.kind !== 'unexpected_column');
      for (const a of anomalies) warn(`test data: ${a.message}`);
    }
    return {
      value: { prepared, anomalies, external },
      summary: `${prepared.task}, ${prepared.features.length} features${prepared.labels.length ? `, ${prepared.labels.length} classes` : ''}`,
    };
  });
  const { prepared, external } = checked;

  const data = await step('transform', async () => {
    const strata = prepared.task === 'classification' && spec.split.stratify ? (prepared.y as Int32Array) : undefined;
    const split = splitRows(prepared.table.rowCount, {
      test: external ? 0 : spec.split.test,
      validation: spec.split.validation,
      seed: spec.split.seed,
      strata,
    });
    const train = takeRows(prepared.table, split.train);
    const { transform, dropped } = fitTransform(train, prepared.features, spec.transform);
    for (const d of dropped) warn(`feature "${d.name}" left out: ${d.reason}`);
    const pick = (idx: Int32Array) =>
      prepared.task === 'classification'
        ? Int32Array.from(idx, (i) => prepared.y[i])
        : Float64Array.from(idx, (i) => prepared.y[i]);
    const test = external ?? takeRows(prepared.table, split.test);
    const yTest = external
      ? prepared.task === 'classification'
        ? labelsAgainst(column(external, spec.target), prepared.labels, spec.data.test!)
        : Float64Array.from(
            column(external, spec.target).kind === 'number'
              ? (column(external, spec.target) as { values: Float64Array }).values
              : [],
          )
      : pick(split.test);
    const yTrain = pick(split.train);
    // A constant regression target is reported by trainModel's warnings, not twice.
    const head: Head =
      prepared.task === 'classification'
        ? { task: 'classification', labels: prepared.labels }
        : regressionHead(yTrain).head;
    return {
      value: {
        split,
        transform,
        head,
        train,
        test,
        yTrain,
        yTest,
        x: encodeTable(transform, train),
        xVal: encodeTable(transform, takeRows(prepared.table, split.validation)),
        yVal: pick(split.validation),
        xTest: encodeTable(transform, test),
      },
      summary: `${split.train.length} train / ${split.validation.length} validation / ${test.rowCount} test rows → ${transform.width} inputs`,
    };
  });

  let backend = ctx.backend;
  let backendMeasurements: Record<string, number> | undefined;
  let backendDetail: string | undefined;
  if (ctx.selectBackend) {
    const choice = await ctx.selectBackend({
      // A search's candidates are not known yet: measure its first (the MLP Flywheel trained before search).
      model: isFixedModel(spec.model) ? spec.model : DEFAULT_CANDIDATES[0].model,
      train: spec.train,
      head: data.head,
      inputDim: data.transform.width,
      x: data.x,
      y: data.yTrain,
      rows: data.train.rowCount,
    });
    backend = choice.backend;
    backendMeasurements = choice.measurements;
    backendDetail = choice.detail;
  }
  const trainKey = await hashJson({
    dataHash,
    test: spec.data.test,
    task: prepared.task,
    features: spec.features,
    split: spec.split,
    transform: spec.transform,
    model: spec.model,
    train: spec.train,
    codeVersion: ctx.codeVersion,
    backend,
  });
  const trained = await step('train', async () => {
    const hit = await ctx.cache?.get(`train-${trainKey}`);
    if (hit) {
      const t = decodeTrained(hit);
      return {
        value: t,
        cached: true,
        summary: `unchanged since the last run: reused the model trained for ${t.epochsRun} epochs (cache ${trainKey.slice(0, 12)})`,
      };
    }
    const t = await trainStep(
      spec,
      {
        head: data.head,
        x: data.x,
        y: data.yTrain,
        rows: data.train.rowCount,
        xVal: data.xVal,
        yVal: data.yVal,
        valRows: data.split.validation.length,
        inputDim: data.transform.width,
      },
      emit,
      { signal: ctx.signal, pool: ctx.trialPool, maxBudgetMs: ctx.maxSearchMs },
    );
    t.warnings.forEach(warn);
    await ctx.cache?.set(`train-${trainKey}`, encodeTrained(t));
    return {
      value: t,
      summary: trainSummary(t, backend),
    };
  });

  const evaluation = await step('evaluate', async () => {
    const predictor = await createPredictor({ modelJson: trained.modelJson, weights: trained.weights });
    const raw = predictor.predict(data.xTest, data.test.rowCount);
    predictor.dispose();
    let metrics: Metrics;
    const slices: Record<string, unknown> = {};
    if (data.head.task === 'classification') {
      const out = decodeOutputs(raw, data.test.rowCount, data.head);
      metrics = classificationMetrics(data.yTest as Int32Array, out.proba, data.head.labels);
      for (const s of spec.slices) {
        const col = column(data.test, s);
        if (col.kind === 'string')
          slices[s] = classificationMetricsBySlice(
            col.codes,
            col.dictionary as string[],
            data.yTest as Int32Array,
            out.proba,
            data.head.labels,
          );
      }
    } else {
      const out = decodeOutputs(raw, data.test.rowCount, data.head);
      metrics = regressionMetrics(data.yTest as Float64Array, out.values);
      for (const s of spec.slices) {
        const col = column(data.test, s);
        if (col.kind === 'string')
          slices[s] = regressionMetricsBySlice(
            col.codes,
            col.dictionary as string[],
            data.yTest as Float64Array,
            out.values,
          );
      }
    }
    const v = metricValues(metrics);
    const headline =
      data.head.task === 'classification'
        ? `accuracy ${fmt(v.accuracy)}, macro F1 ${fmt(v.f1_macro)}`
        : `R² ${fmt(v.r2)}, RMSE ${fmt(v.rmse)}`;
    return { value: { metrics, slices }, summary: `${headline} on ${data.test.rowCount} test rows` };
  });

  const gates = await step('gate', async () => {
    const report = evaluateGates(spec.gates, evaluation.metrics, ctx.champion?.metrics ?? null);
    return { value: report, summary: report.summary, failed: !report.passed };
  });

  const lineage: Lineage = {
    dataHash,
    specHash: await hashJson(spec),
    codeVersion: ctx.codeVersion,
    backend,
    ...(backendMeasurements ? { backendMeasurements } : {}),
    ...(backendDetail ? { backendDetail } : {}),
    parentVersion: ctx.champion?.version ?? null,
    timings,
    rows: { train: data.split.train.length, validation: data.split.validation.length, test: data.test.rowCount },
    source: loaded.name,
    ...(trained.search ? { search: trained.search } : {}),
    ...(trained.ensemble ? { ensemble: trained.ensemble } : {}),
  };
  const bundle = await step('package', async () => {
    const featureNames = data.transform.features.map((f) => f.name);
    const inputs = prepared.features.filter((f) => featureNames.includes(f.name));
    const holdout = toRows(selectColumns(data.test, [...featureNames, spec.target]), HOLDOUT_ROWS);
    const b = await writeBundle({
      manifest: {
        name: spec.name,
        task: prepared.task,
        signature: {
          inputs,
          output:
            prepared.task === 'classification'
              ? { task: 'classification', target: spec.target, labels: prepared.labels }
              : { task: 'regression', target: spec.target },
        },
        transform: data.transform,
        head: data.head,
        baseline: profileTable(selectColumns(data.train, featureNames), { seed: spec.split.seed }),
        metrics: metricValues(evaluation.metrics),
        gates,
        lineage: { ...lineage, timings: { ...timings } },
        spec,
        createdAt: (ctx.clock?.() ?? new Date()).toISOString(),
      },
      modelJson: trained.modelJson,
      weights: trained.weights,
      holdoutCsv: Papa.unparse(holdout),
    });
    return { value: b, summary: `bundle ${b.id.slice(0, 12)} (${(b.bytes.byteLength / 1024).toFixed(0)} KiB)` };
  });
  return {
    spec,
    bundle,
    metrics: evaluation.metrics,
    slices: evaluation.slices,
    gates,
    history: trained.history,
    anomalies: checked.anomalies,
    lineage,
    warnings,
    search: trained.search,
  };
}

/** The train step's line: the search and its choice, then how the final model trained. */
function trainSummary(t: TrainedModel, backend: string): string {
  const s = t.search;
  const searched = s
    ? `searched ${s.leaderboard.length} candidates in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.validation === 'k-fold' ? `${s.folds}-fold CV` : 'validation split'}${s.budgetReached ? ', budget reached' : ''}), chose trial ${s.chosenTrial}: ${describeConfig(s.chosen)}; `
    : '';
  const refit = s?.refitEpochs
    ? `refit on training + validation rows${t.ensemble ? `, an ensemble of ${t.ensemble.members} refits (seeds ${t.ensemble.seeds.join(', ')})` : ''}: `
    : '';
  return `${searched}${refit}${t.epochsRun} epochs${t.ensemble ? ' each' : ''}${t.stoppedEarly ? ` (early stop, best epoch ${t.bestEpoch + 1})` : ''}, ${Math.round(t.samplesPerSec)} samples/s on ${backend}`;
}

function fmt(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toFixed(4);
}

/** A content hash of a table's columns (names, values, dictionaries), independent of where it came from. */
async function hashTable(table: Table): Promise<string> {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const c of table.columns) {
    parts.push(enc.encode(`${c.name}\u0000${c.kind}\u0000`));
    if (c.kind === 'number') parts.push(new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength));
    else {
      parts.push(new Uint8Array(c.codes.buffer, c.codes.byteOffset, c.codes.byteLength));
      parts.push(enc.encode(c.dictionary.join('\u0000')));
    }
  }
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.byteLength;
  }
  const digest = await crypto.subtle.digest('SHA-256', all);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
