import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { zipSync, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../core/bundle';
import { FlywheelError } from '../core/errors';
import { encodeTable } from '../core/features';
import { createPredictor } from '../core/infer';
import { memoryCache, runPipeline, type RunEvent } from '../core/pipeline';
import { loadSource } from '../core/data/sources';
import { cellValue } from '../core/data/table';
import type { Manifest } from '../core/bundle';
import { nodeSourceIO } from './node-io';
import { useNodeBackend } from './tfjs-node';

/** README, "Loading a bundle in stock tfjs": numeric and one-hot features, as a user outside Flywheel would write it. */
function encodeAsReadmeSays(manifest: Manifest, row: Record<string, unknown>): number[] {
  return manifest.transform.features.flatMap((f) => {
    const v = row[f.name];
    const missing = v === null || v === undefined || v === '' || Number.isNaN(v);
    if (f.kind === 'numeric') return [((missing ? f.fill : Number(v)) - f.scaling.center) / f.scaling.scale];
    if (f.kind === 'onehot') {
      const at = missing ? -1 : f.categories.indexOf(String(v));
      return [...f.categories.map((_, i) => (i === at ? 1 : 0)), at === -1 ? 1 : 0];
    }
    throw new Error(`penguins has no ${f.kind} feature`);
  });
}

// A fixed model: these tests are not about the search (cli/train-search.test.ts is).
const quick = { data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { epochs: 15 } };

/** Node's IO with some files served from memory. */
function ioWith(files: Record<string, string>) {
  return {
    ...nodeSourceIO,
    readFile: async (f: string) => (f in files ? new TextEncoder().encode(files[f]) : nodeSourceIO.readFile(f)),
  };
}

const blobs = (n: number, label: (i: number) => string, extra = (_i: number) => '') =>
  Array.from(
    { length: n },
    (_, i) => `${i % 2 ? 2 + (i % 7) / 10 : -2 - (i % 5) / 10},${(i * 37) % 11},${label(i)}${extra(i)}`,
  ).join('\n');

async function errorOf(p: Promise<unknown>): Promise<FlywheelError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FlywheelError);
    return e as FlywheelError;
  }
  throw new Error('expected a FlywheelError');
}

describe('runPipeline (Node, CPU backend)', () => {
  it('trains penguins, caches the train step, and writes a bundle stock tfjs loads and predicts the same', async () => {
    const backend = await useNodeBackend('cpu');
    const cache = memoryCache();
    const events: RunEvent[] = [];
    const ctx = { io: nodeSourceIO, backend, codeVersion: 'test', cache, onEvent: (e: RunEvent) => events.push(e) };
    const first = await runPipeline(quick, ctx);
    expect(first.bundle.manifest.metrics.accuracy).toBeGreaterThan(0.9);
    expect(events.filter((e) => e.type === 'step-end').map((e) => e.type === 'step-end' && e.step)).toEqual([
      'ingest',
      'validate',
      'transform',
      'train',
      'evaluate',
      'gate',
      'package',
    ]);
    expect(events.some((e) => e.type === 'epoch')).toBe(true);

    events.length = 0;
    const second = await runPipeline(quick, ctx);
    const trainEnd = events.find((e) => e.type === 'step-end' && e.step === 'train');
    expect(trainEnd).toMatchObject({ cached: true });
    expect(events.some((e) => e.type === 'epoch')).toBe(false);
    expect(second.bundle.manifest.metrics).toEqual(first.bundle.manifest.metrics);

    const bundle = await readBundle(first.bundle.bytes);
    expect(bundle.id).toBe(first.bundle.id);
    const stock = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: bundle.modelJson.modelTopology as object,
        weightSpecs: bundle.modelJson.weightsManifest[0].weights as tf.io.WeightsManifestEntry[],
        weightData: bundle.weights.slice().buffer,
      }),
    );
    const { table } = await loadSource('sample:penguins', nodeSourceIO);
    const x = encodeTable(bundle.manifest.transform, table);
    const expected = (
      stock.predict(tf.tensor2d(x, [table.rowCount, bundle.manifest.transform.width])) as tf.Tensor
    ).dataSync();
    const lean = await createPredictor({ modelJson: bundle.modelJson as never, weights: bundle.weights });
    expect(lean.kind).toBe('lean');
    const got = lean.predict(x, table.rowCount);
    let maxDiff = 0;
    for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
    expect(maxDiff).toBeLessThan(1e-5);
    // The README's recipe for stock tfjs users, written from its text, encodes the raw rows the same.
    const raw = Array.from({ length: table.rowCount }, (_, r) =>
      Object.fromEntries(table.columns.map((c) => [c.name, cellValue(c, r)])),
    );
    const byRecipe = raw.flatMap((row) => encodeAsReadmeSays(bundle.manifest, row));
    expect(byRecipe.length).toBe(x.length);
    expect(Math.max(...byRecipe.map((v, i) => Math.abs(v - x[i])))).toBeLessThan(1e-5);
    stock.dispose();
  });

  it('refuses a tampered bundle, naming the file', async () => {
    await useNodeBackend('cpu');
    const { bundle } = await runPipeline(
      { ...quick, train: { epochs: 2 } },
      { io: nodeSourceIO, backend: 'cpu', codeVersion: 'test' },
    );
    const files = unzipSync(bundle.bytes);
    files['weights.bin'][0] ^= 0xff;
    const e = await errorOf(readBundle(zipSync(files), 'p.zip'));
    expect(e.code).toBe('bad_bundle');
    expect(e.message).toBe('p.zip: weights.bin does not match its sha256 in the manifest (tampered or corrupt)');
    expect((await errorOf(readBundle(new TextEncoder().encode('not a zip'), 'x.zip'))).message).toBe(
      'x.zip: is not a zip file',
    );
  });

  it.each([
    [{ data: 'sample:penguins' }, 'target'],
    [{ ...quick, split: { test: 2 } }, 'split.test'],
    [{ ...quick, train: { epochs: 'many' } }, 'train.epochs'],
    [{ ...quick, model: { type: 'forest' } }, 'model.type'],
    [{ ...quick, bogus: 1 }, '(root)'],
  ])('refuses an invalid spec before any work, naming %#', async (spec, path) => {
    const e = await errorOf(runPipeline(spec, { io: nodeSourceIO, backend: 'cpu', codeVersion: 'test' }));
    expect(e.code).toBe('bad_spec');
    expect(e.details.map((d) => d.path)).toContain(path);
  });

  it('names an unknown target, a single class, and too few rows', async () => {
    const ctx = { io: nodeSourceIO, backend: 'cpu', codeVersion: 'test' };
    expect((await errorOf(runPipeline({ data: 'sample:penguins', target: 'Beak' }, ctx))).message).toMatch(
      /^target "Beak" is not a column; columns are Species, Island/,
    );
    const one = { rows: Array.from({ length: 20 }, (_, i) => ({ x: i, y: 'a' })) };
    expect(
      (
        await errorOf(
          runPipeline(
            { data: 'x', target: 'y' },
            {
              ...ctx,
              io: {
                ...nodeSourceIO,
                readFile: async () =>
                  new TextEncoder().encode('x,y\n' + one.rows.map((r) => `${r.x},${r.y}`).join('\n')),
              },
            },
          ),
        )
      ).message,
    ).toBe('target "y" has a single class "a": there is nothing to learn');
    const few = 'x,y\n1,a\n2,b\n';
    expect(
      (
        await errorOf(
          runPipeline(
            { data: 'few.csv', target: 'y' },
            { ...ctx, io: { ...nodeSourceIO, readFile: async () => new TextEncoder().encode(few) } },
          ),
        )
      ).message,
    ).toMatch(/too few for this split/);
  });

  it('scores --test rows instead of the split, and names a label the model never saw', async () => {
    await useNodeBackend('cpu');
    const train = 'x,z,y\n' + blobs(120, (i) => (i % 2 ? 'up' : 'down'));
    const test = 'x,z,y\n' + blobs(30, (i) => (i % 2 ? 'up' : 'down'));
    const ctx = {
      io: ioWith({ 'train.csv': train, 'test.csv': test, 'bad.csv': test + '\n1,1,sideways\n' }),
      backend: 'cpu',
      codeVersion: 'test',
    };
    const spec = {
      data: { source: 'train.csv', test: 'test.csv' },
      target: 'y',
      model: { type: 'mlp' },
      train: { epochs: 30 },
    };
    const r = await runPipeline(spec, ctx);
    expect(r.lineage.rows.test).toBe(30);
    expect(r.bundle.manifest.metrics.accuracy).toBeGreaterThan(0.9);
    const e = await errorOf(runPipeline({ ...spec, data: { source: 'train.csv', test: 'bad.csv' } }, ctx));
    expect(e.message).toBe(
      'bad.csv has target labels the model never saw in training: "sideways" (1 rows); known labels are down, up',
    );
  });

  it('trains on a constant regression target with a warning, and drops an all-missing feature', async () => {
    await useNodeBackend('cpu');
    const csv = 'x,empty,y\n' + Array.from({ length: 60 }, (_, i) => `${i},,5`).join('\n');
    const r = await runPipeline(
      { data: 'c.csv', target: 'y', task: 'regression', model: { type: 'mlp' }, train: { epochs: 3 } },
      { io: ioWith({ 'c.csv': csv }), backend: 'cpu', codeVersion: 'test' },
    );
    expect(r.warnings.filter((w) => /constant/.test(w))).toHaveLength(1);
    expect(r.warnings).toContain('feature "empty" left out: every training value is missing');
    expect(r.bundle.manifest.signature.inputs.map((f) => f.name)).toEqual(['x']);
  });
});
