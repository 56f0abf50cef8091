/**
 * Training throughput in Node: Flywheel's seeded loop (core/model/train.ts) on the WASM and CPU
 * backends, against tfjs `model.fit` on the same model, data and batch size as the baseline.
 * A 20-64-64-1 regression MLP (ReLU, Adam, no dropout) on 20k synthetic rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useNodeBackend, type NodeBackend } from '../cli/tfjs-node';
import { buildModel } from '../core/model/build-model';
import { regressionHead, encodeTargets, type RegressionHead } from '../core/model/head';
import { ModelSpecSchema, TrainSpecSchema } from '../core/model/spec';
import { noisyLinear } from '../core/model/synthetic.fixture';
import { trainModel } from '../core/model/train';
import { fmt, markdownTable, type BenchResult } from './harness';

const ROWS = 20_000;
const FEATURES = 20;
/** Enough epochs to dwarf setup, few enough to keep the CPU backend's batch-32 run under ~10 s. */
const EPOCHS = 3;
const BATCH_SIZES = [32, 256];
const BACKENDS: NodeBackend[] = ['wasm', 'cpu'];
const LEARNING_RATE = 0.001;

const data = noisyLinear(ROWS, FEATURES, 1, 0.1);
const { head } = regressionHead(data.y);
const modelSpec = ModelSpecSchema.parse({ hidden: [64, 64], dropout: 0 });

function freshModel(): tfl.Sequential {
  return buildModel(modelSpec, FEATURES, head, 7);
}

/** Rows per second of Flywheel's loop, wall clock around the whole call (upload and setup included). */
async function ourLoop(batchSize: number, epochs: number, rows = ROWS): Promise<number> {
  const model = freshModel();
  const spec = TrainSpecSchema.parse({ epochs, batchSize, learningRate: LEARNING_RATE, earlyStopping: null });
  const t0 = performance.now();
  await trainModel({ model, head, x: data.x.subarray(0, rows * FEATURES), y: data.y.subarray(0, rows), rows, spec });
  const ms = performance.now() - t0;
  model.dispose();
  return (rows * epochs * 1000) / ms;
}

/** Rows per second of tfjs `model.fit` on the same model and targets (Math.random shuffling). */
async function fitLoop(batchSize: number, epochs: number, target: RegressionHead = head): Promise<number> {
  const model = freshModel();
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'meanSquaredError' });
  const t0 = performance.now();
  const xs = tf.tensor2d(data.x, [ROWS, FEATURES]);
  const ys = tf.tensor2d(encodeTargets(data.y, ROWS, target), [ROWS, 1]);
  await model.fit(xs, ys, { epochs, batchSize, shuffle: true, verbose: 0 });
  const ms = performance.now() - t0;
  tf.dispose([xs, ys]);
  model.optimizer.dispose();
  model.dispose();
  return (ROWS * epochs * 1000) / ms;
}

export async function bench(): Promise<BenchResult> {
  const rows: (string | number)[][] = [];
  const ours = new Map<string, number>();
  for (const backend of BACKENDS) {
    await useNodeBackend(backend);
    await ourLoop(32, 1, 2_000);
    await fitLoop(256, 1);
    for (const batchSize of BATCH_SIZES) {
      const mine = await ourLoop(batchSize, EPOCHS);
      const fit = await fitLoop(batchSize, EPOCHS);
      ours.set(`${backend}:${batchSize}`, mine);
      rows.push([backend, batchSize, fmt(mine), fmt(fit), `${fmt(mine / fit)}×`]);
      console.error(`  ${backend} batch ${batchSize}: ours ${fmt(mine)}/s, fit ${fmt(fit)}/s`);
    }
  }
  const wasmVsCpu = BATCH_SIZES.map((b) => `batch ${b}: **${fmt((ours.get(`wasm:${b}`) ?? 0) / (ours.get(`cpu:${b}`) ?? 1))}×**`).join(', ');
  return {
    title: 'Training throughput (core/model, Node)',
    markdown: [
      `Rows trained per second (wall clock, ${EPOCHS} epochs of ${fmt(ROWS)} rows, upload included) of a ${FEATURES}-64-64-1 regression MLP`,
      'with Adam. "ours" is `trainModel` (seeded shuffle, seeded dropout, per-epoch read-back); the baseline is tfjs `model.fit`',
      'on the same model and batch size. Target: ours ≥ 0.9× fit (same arithmetic; the loop should add no overhead).',
      '',
      markdownTable(['backend', 'batch', 'ours (rows/s)', 'model.fit (rows/s)', 'ours / fit'], rows),
      '',
      `WASM / CPU with our loop: ${wasmVsCpu}.`,
    ].join('\n'),
  };
}
