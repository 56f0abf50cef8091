import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FlywheelError, errorMessage } from '../../core/errors';
import { metricValues } from '../../core/metrics';
import { runPipeline, type RunEvent } from '../../core/pipeline';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command, type Io } from '../command';
import { dataDir } from '../data-folder';
import { fileCache } from '../file-cache';
import { num } from '../format';
import { nodeSourceIO } from '../node-io';
import { progressLine } from '../progress';
import { useNodeBackend } from '../tfjs-node';
import { trainingCodeVersion } from '../version';
import { writeFileAtomic } from '../../edge/store/atomic-write';

export const trainCommand: Command = {
  name: 'train',
  summary: 'run a pipeline: writes DIR/bundle.zip and DIR/report.json',
  usage: `flywheel train (PIPELINE.json | --data SRC --target COL) [--test SRC] [--model mlp|linear] [--epochs N] [--backend wasm|cpu] [--no-cache] --out DIR [--json]

Runs ingest → validate → transform → train → evaluate → gate → package. Metrics are on the test
split, or on the --test rows when given. An unchanged pipeline, run by unchanged training code, reuses its
trained model (cache in the data folder); --no-cache trains afresh. Exits 1 when a gate fails.`,
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
    const backend = await useNodeBackend((values.backend as 'wasm' | 'cpu' | undefined) ?? 'auto');
    const result = await runPipeline(spec, {
      io: nodeSourceIO,
      backend,
      codeVersion: trainingCodeVersion(),
      cache: values['no-cache'] ? undefined : fileCache(path.join(dataDir(values['data-dir']), 'cache')),
      onEvent: reporter(io),
    });
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
    };
    await writeFileAtomic(path.join(out, 'bundle.zip'), result.bundle.bytes);
    await writeFileAtomic(path.join(out, 'report.json'), JSON.stringify(report, null, 2));
    if (values.json) io.out(JSON.stringify(report));
    else {
      io.out(
        `\n${result.spec.name}: ${Object.entries(report.metrics)
          .map(([k, v]) => `${k} ${num(v)}`)
          .join(', ')}`,
      );
      io.out(`gates: ${result.gates.summary}`);
      io.out(`wrote ${path.join(out, 'bundle.zip')} and report.json`);
    }
    return result.gates.passed ? EXIT_OK : EXIT_FAILED;
  },
};

async function specFrom(positionals: string[], v: Record<string, string | boolean | undefined>): Promise<unknown> {
  let spec: Record<string, unknown>;
  if (positionals.length === 1) {
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
  if (v.model) spec.model = { ...(spec.model as object), type: v.model };
  if (v.epochs) spec.train = { ...(spec.train as object), epochs: Number(v.epochs) };
  return spec;
}

function reporter(io: Io): (e: RunEvent) => void {
  let bar: ReturnType<typeof progressLine> | null = null;
  let lastEpoch = '';
  return (e) => {
    if (e.type === 'step-start' && e.step === 'train') bar = progressLine(io, 'training');
    if (e.type === 'epoch') {
      const m = e.metrics;
      lastEpoch = `epoch ${m.epoch + 1}/${e.epochs} loss ${num(m.loss)}${m.val_loss !== undefined ? ` val_loss ${num(m.val_loss)}` : ''}`;
      bar?.update((m.epoch + 1) / e.epochs, undefined, lastEpoch);
    }
    if (e.type === 'step-end') {
      if (e.step === 'train') bar?.done();
      io.err(`${e.cached ? '↺' : '✓'} ${e.step.padEnd(9)} ${e.summary} (${(e.ms / 1000).toFixed(1)}s)\n`);
    }
    if (e.type === 'log' && e.level === 'warn') io.err(`! ${e.message}\n`);
  };
}
