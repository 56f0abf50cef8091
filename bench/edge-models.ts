/**
 * Bundles for the edge bench, trained with the real pipeline on tfjs WASM (few epochs: the bench
 * measures serving, not accuracy): the reference shape of the issue — 20 numeric inputs → 64 → 64 → 1
 * regression MLP on a seeded synthetic table — and the penguins classifier (one-hot categoricals).
 */
import { runPipeline } from '../core/pipeline';
import { seededRandom } from '../core/random';
import { nodeSourceIO } from '../cli/node-io';
import { useNodeBackend } from '../cli/tfjs-node';

/** Numeric inputs of the reference model. */
export const SYNTHETIC_FEATURES = 20;
/** Rows of the synthetic training table: enough for a split, small enough to train in a second. */
const SYNTHETIC_ROWS = 2000;
/** Few epochs: serving cost does not depend on how well the weights fit. */
const EPOCHS = 3;
const SYNTHETIC_FILE = 'synthetic-20.csv';

export const syntheticFeatureNames = Array.from({ length: SYNTHETIC_FEATURES }, (_, i) => `x${i}`);

/** Rows of 20 features in [-2, 2), as a client would send them. */
export function syntheticRows(count: number, seed: number): Record<string, number>[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Object.fromEntries(syntheticFeatureNames.map((n) => [n, Math.round((rand() * 4 - 2) * 1000) / 1000])),
  );
}

/** The synthetic training table as CSV: y is a nonlinear function of the features plus noise. */
function syntheticCsv(): string {
  const rand = seededRandom(11);
  const rows = syntheticRows(SYNTHETIC_ROWS, 5).map((r) => {
    const x = syntheticFeatureNames.map((n) => r[n]);
    const y =
      x.reduce((s, v, i) => s + (i % 3 === 0 ? v : i % 3 === 1 ? 0.5 * v * v : Math.sin(v)), 0) + (rand() - 0.5) * 0.1;
    return [...x, y.toFixed(4)].join(',');
  });
  return [[...syntheticFeatureNames, 'y'].join(','), ...rows].join('\n');
}

export interface BenchBundles {
  /** 20 → 64 → 64 → 1 regression MLP (no dropout: exactly the reference shape). */
  synthetic: Uint8Array;
  /** Penguins species classifier with the pipeline's default MLP. */
  penguins: Uint8Array;
  /** Distinct bundles (different seeds) for the memory measurement, half of each kind. */
  many: Uint8Array[];
}

/** Trains the bench's bundles; `manyCount` distinct ones for the memory figure. */
export async function trainBenchBundles(manyCount: number): Promise<BenchBundles> {
  await useNodeBackend('wasm');
  const csv = new TextEncoder().encode(syntheticCsv());
  const ctx = {
    io: {
      ...nodeSourceIO,
      readFile: async (file: string) => (file === SYNTHETIC_FILE ? csv : nodeSourceIO.readFile(file)),
    },
    backend: 'wasm',
    codeVersion: 'bench',
  };
  const synthetic = (seed: number) =>
    runPipeline(
      {
        name: 'synthetic-20',
        data: SYNTHETIC_FILE,
        target: 'y',
        task: 'regression',
        model: { type: 'mlp', hidden: [64, 64], dropout: 0 },
        train: { epochs: EPOCHS, earlyStopping: null, seed, backend: 'wasm' },
      },
      ctx,
    );
  const penguins = (seed: number) =>
    runPipeline(
      {
        name: 'penguins',
        data: 'sample:penguins',
        target: 'Species',
        model: { type: 'mlp' },
        train: { epochs: EPOCHS, seed, backend: 'wasm' },
      },
      ctx,
    );
  const many: Uint8Array[] = [];
  for (let i = 0; i < manyCount; i++)
    many.push((await (i % 2 === 0 ? synthetic(100 + i) : penguins(100 + i))).bundle.bytes);
  return { synthetic: (await synthetic(42)).bundle.bytes, penguins: (await penguins(42)).bundle.bytes, many };
}

/** Inputs and classes of the wide model: the 100 → 256 → 256 → 10, where a batch saves kernel time. */
export const WIDE_FEATURES = 100;
const WIDE_CLASSES = 10;
const WIDE_FILE = 'wide-100.csv';
export const wideFeatureNames = Array.from({ length: WIDE_FEATURES }, (_, i) => `f${i}`);

/** Rows of 100 features in [-2, 2), as a client would send them. */
export function wideRows(count: number, seed: number): Record<string, number>[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Object.fromEntries(wideFeatureNames.map((n) => [n, Math.round((rand() * 4 - 2) * 1000) / 1000])),
  );
}

/** The wide classifier (100 → 256 → 256 → 10, softmax), trained for one epoch on a seeded table. */
export async function trainWideBundle(): Promise<Uint8Array> {
  await useNodeBackend('wasm');
  const lines = [[...wideFeatureNames, 'y'].join(',')];
  for (const row of wideRows(600, 21)) {
    const y = Math.min(WIDE_CLASSES - 1, Math.floor(((row.f0 + row.f1 + 4) / 8) * WIDE_CLASSES));
    lines.push([...wideFeatureNames.map((n) => row[n]), `c${y}`].join(','));
  }
  const csv = new TextEncoder().encode(lines.join('\n'));
  const { bundle } = await runPipeline(
    {
      name: 'wide',
      data: WIDE_FILE,
      target: 'y',
      task: 'classification',
      model: { type: 'mlp', hidden: [256, 256], dropout: 0 },
      train: { epochs: 1, earlyStopping: null, seed: 42, backend: 'wasm' },
    },
    {
      io: { ...nodeSourceIO, readFile: async (f: string) => (f === WIDE_FILE ? csv : nodeSourceIO.readFile(f)) },
      backend: 'wasm',
      codeVersion: 'bench',
    },
  );
  return bundle.bytes;
}
