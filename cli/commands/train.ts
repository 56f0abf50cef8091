import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FlywheelError, errorMessage } from '../../core/errors';
import { metricReason, metricValues, type MetricName } from '../../core/metrics';
import { parsePipelineSpec, runPipeline, type RunEvent } from '../../core/pipeline';
import { isFixedModel } from '../../core/model/spec';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command, type Io } from '../command';
import { dataDir } from '../data-folder';
import { fileCache } from '../file-cache';
import { num } from '../format';
import { leaderboardText } from '../search-table';
import { budgetMs, workerCount } from '../search-options';
import { nodeTrialPool } from '../trial-pool';
import { nodeSourceIO } from '../node-io';
import { progressLine } from '../progress';
import { backendFlag, useNodeBackend } from '../tfjs-node';
import { trainingCodeVersion } from '../version';
import { writeFileAtomic } from '../../edge/store/atomic-write';

export const trainCommand: Command = {
  name: 'train',
  summary: 'run a pipeline: writes DIR/bundle.zip and DIR/report.json',
  usage: `flywheel train (PIPELINE.json | --data SRC --target COL) [--test SRC] [--model auto|mlp|linear] [--budget 60s] [--workers N] [--epochs N] [--backend wasm|cpu] [--no-cache] --out DIR [--json]

Runs ingest → validate → transform → train → evaluate → gate → package. Metrics are on the test
split, or on the --test rows when given. --model auto (the default unless the pipeline names a model)
searches linear models and MLPs within --budget (model.budget, default 60s; the search keeps 3/4 of it,
training the chosen model the rest) on --workers threads (default: every core), prints the
leaderboard and trains the best; --model mlp or linear trains that model as the pipeline sets it.
An unchanged pipeline, run by unchanged training code, reuses its trained model (cache in the data
folder); --no-cache trains afresh. Exits 1 when a gate fails.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        target: { type: 'string' },
        test: { type: 'string' },
        model: { type: 'string' },
        budget: { type: 'string' },
        workers: { type: 'string' },
        epochs: { type: 'string' },
        backend: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        'data-dir': { type: 'string' },
      },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    const spec = await specFrom(positionals, values);
    const workers = workerCount(values.workers);
    const backend = await useNodeBackend(backendFlag(values.backend));
    const trialPool = nodeTrialPool(workers, backend);
    // A pipeline that searches starts the threads now, while its data loads; any other never does.
    if (searches(spec)) trialPool.start();
    const result = await runPipeline(spec, {
      io: nodeSourceIO,
      backend,
      codeVersion: trainingCodeVersion(),
      cache: values['no-cache'] ? undefined : fileCache(path.join(dataDir(values['data-dir']), 'cache')),
      onEvent: reporter(io),
      trialPool,
    }).finally(() => trialPool.close());
    const out = path.resolve(values.out);
    await mkdir(out, { recursive: true });
    const report = {
      name: result.spec.name,
      bundle: result.bundle.id,
      task: result.bundle.manifest.task,
      metrics: metricValues(result.metrics),
      details: result.metrics,
      slices: result.slices,
      gates: result.gates,
      lineage: result.lineage,
      anomalies: result.anomalies,
      warnings: result.warnings,
      history: result.history,
      search: result.search,
    };
    await writeFileAtomic(path.join(out, 'bundle.zip'), result.bundle.bytes);
    await writeFileAtomic(path.join(out, 'report.json'), JSON.stringify(report, null, 2));
    if (values.json) io.out(JSON.stringify(report));
    else {
      if (result.search) io.out(`\n${leaderboardText(result.search)}`);
      io.out(
        `\n${result.spec.name}: ${Object.entries(report.metrics)
          .map(([k, v]) => `${k} ${num(v)}`)
          .join(', ')}`,
      );
      // A metric that cannot be computed on the test rows says why (roc_auc with a class absent).
      for (const [k, v] of Object.entries(report.metrics)) {
        const why = v === null ? metricReason(result.metrics, k as MetricName) : undefined;
        if (why) io.out(`${k} —: ${why}`);
      }
      io.out(`gates: ${result.gates.summary}`);
      io.out(`wrote ${path.join(out, 'bundle.zip')} and report.json`);
    }
    return result.gates.passed ? EXIT_OK : EXIT_FAILED;
  },
};

async function specFrom(positionals: string[], v: Record<string, string | boolean | undefined>): Promise<unknown> {
  let spec: Record<string, unknown>;
  if (positionals.length === 1) {
    if (v.data !== undefined || v.target !== undefined)
      throw new UsageError(
        `--data and --target are for training without a pipeline file: ${positionals[0]} names its own data and target (--test, --model, --budget and --epochs do apply to it)`,
      );
    try {
      spec = JSON.parse(await readFile(positionals[0], 'utf8'));
    } catch (e) {
      throw new FlywheelError('bad_spec', `could not read the pipeline ${positionals[0]}: ${errorMessage(e)}`, [
        { path: positionals[0], message: 'unreadable' },
      ]);
    }
  } else if (positionals.length === 0 && v.data && v.target) spec = { data: v.data, target: v.target };
  else throw new UsageError('give a PIPELINE.json, or --data SRC and --target COL');
  if (v.test)
    spec.data = {
      source: typeof spec.data === 'string' ? spec.data : (spec.data as { source: string }).source,
      test: v.test,
    };
  if (v.model !== undefined) {
    if (typeof v.model !== 'string' || !MODEL_TYPES.includes(v.model))
      throw new UsageError(`--model "${v.model}" is not one of ${MODEL_TYPES.join(', ')}`);
    spec.model = { ...(spec.model as object), type: v.model };
  }
  if (v.budget !== undefined) {
    if (v.model !== undefined && v.model !== 'auto')
      throw new UsageError(`--budget is the model search's budget: it goes with --model auto, not --model ${v.model}`);
    budgetMs(v.budget as string);
    spec.model = { ...(spec.model as object), budget: v.budget };
  }
  if (v.epochs) spec.train = { ...(spec.train as object), epochs: Number(v.epochs) };
  return spec;
}

const MODEL_TYPES = ['auto', 'mlp', 'linear'];

/** Whether a pipeline will search for its model; an invalid one is left for runPipeline to explain. */
function searches(spec: unknown): boolean {
  try {
    return !isFixedModel(parsePipelineSpec(spec).model);
  } catch {
    return false;
  }
}

function reporter(io: Io): (e: RunEvent) => void {
  let bar: ReturnType<typeof progressLine> | null = null;
  let searching: ReturnType<typeof progressLine> | null = null;
  let best = -Infinity;
  return (e) => {
    if (e.type === 'trial') {
      searching ??= progressLine(io, 'searching');
      // The best any candidate scored yet, at whichever rung (early rungs train fewer epochs).
      best = Math.max(best, e.record.score);
      searching.update(e.done / e.planned, undefined, `${e.done}/${e.planned} trials, best ${best.toFixed(3)}`);
    }
    if (e.type === 'search') searching?.done();
    if (e.type === 'epoch') {
      bar ??= progressLine(io, 'training');
      const m = e.metrics;
      const note = `epoch ${m.epoch + 1}/${e.epochs} loss ${num(m.loss)}${m.val_loss !== undefined ? ` val_loss ${num(m.val_loss)}` : ''}`;
      bar.update((m.epoch + 1) / e.epochs, undefined, note);
    }
    if (e.type === 'step-end') {
      if (e.step === 'train') {
        searching?.done();
        bar?.done();
      }
      io.err(
        `${e.failed ? '✗' : e.cached ? '↺' : '✓'} ${e.step.padEnd(9)} ${e.summary} (${(e.ms / 1000).toFixed(1)}s)\n`,
      );
    }
    if (e.type === 'log' && e.level === 'warn') io.err(`! ${e.message}\n`);
  };
}
