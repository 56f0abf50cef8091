/**
 * The search space and its candidates. The first candidates are strong hand-picked defaults (a
 * regularised linear model, the MLP Flywheel trained before search existed, a wider and a deeper
 * regularised MLP), so a search cut short by its budget still compares sensible models; the rest are
 * drawn from the space with the search's seed, so the same seed gives the same candidates.
 */
import { deriveSeed } from '../model/seeds';
import type { FixedModelSpec, HiddenActivation } from '../model/spec';
import { seededRandom, type Random } from '../random';
import type { TrialConfig } from './types';

/** Widths a hidden layer may take; deeper layers never widen. */
const WIDTHS = [16, 32, 64, 128, 256] as const;
const ACTIVATIONS: readonly HiddenActivation[] = ['relu', 'relu', 'elu', 'tanh'];
const DROPOUTS = [0, 0, 0.1, 0.2, 0.3] as const;
/** Batch sizes as multiples of the base batch for the rows (`baseBatchSize`). */
const BATCH_SCALES = [0.5, 1, 1, 2] as const;
/** Salt of the candidate stream, apart from the trial seeds drawn from the same search seed. */
const SPACE_SALT = 7;
/**
 * From this many training rows, inputs cut into bins (input-bins.ts) join the search: the first
 * default on 16 bins as the second candidate, and a third of the drawn ones on 8, 16 or 32. Bins need
 * rows to fill them: on flights-20k (16,000 training rows) the binned default won, R² 0.051 → 0.058,
 * while on the sets under 2,000 rows binned candidates took the place of ones that did better
 * (iris 0.967 → 0.933, seattle-weather 0.877 → 0.866 in bench/quality).
 */
export const BINS_MIN_ROWS = 2000;
/** The binned default: the first default on 16 bins. */
const BINNED_DEFAULT: CandidateDraft = {
  model: { ...mlp([128, 64], 'relu', 0.1, 0), bins: 16 },
  learningRate: 0.003,
  batchScale: 1,
};
/** Salt of the stream that gives drawn candidates bins: its own, so the models drawn stay the same. */
const BINS_SALT = 8;
/** Share of drawn candidates whose inputs are cut into bins, and how many bins. */
const BINNED_SHARE = 1 / 3;
const BIN_COUNTS = [8, 16, 32] as const;
/** Steps an epoch at the base batch size: the cost of an epoch stays about the same whatever the rows. */
const STEPS_PER_EPOCH = 16;
const MIN_BATCH = 8;
/**
 * The largest base batch, however fast larger ones train: the search's plan counts epochs, and an
 * epoch of larger batches is fewer updates. On flights-20k (16,000 training rows) this machine's WASM
 * backend still gained 21 % from 512 to 1,024 rows a batch, and a search on 1,024 scored R² 0.061 on
 * the test rows against 0.080 on 512 (same budget, same seed).
 */
export const MAX_BATCH = 512;
/** The smallest batch size the search times (`batchesToProbe`): below it the rows decide alone. */
export const PROBE_MIN_BATCH = 64;

/**
 * The batch size a candidate trains `rows` rows with at scale 1: a power of two near rows / 16, from 8
 * to `maxBatch`. Small data gets small batches (enough updates an epoch), large data large ones, so a
 * trial's epochs cost about the same number of steps on any data set and the search's plan fits its
 * budget. `maxBatch` is where training stops getting faster per row on this machine and backend, as
 * the search measures it (`batchesToProbe`, `fastEnoughBatch`): larger batches would only mean fewer
 * updates an epoch. Never above MAX_BATCH.
 */
export function baseBatchSize(rows: number, maxBatch = MAX_BATCH): number {
  const exponent = Math.round(Math.log2(Math.max(1, rows / STEPS_PER_EPOCH)));
  return Math.min(maxBatch, MAX_BATCH, Math.max(MIN_BATCH, 2 ** exponent));
}

/**
 * The batch sizes worth timing for `rows` training rows: the powers of two from PROBE_MIN_BATCH up to
 * the rows' base batch size; none when that is PROBE_MIN_BATCH or less (small data: the rows decide).
 */
export function batchesToProbe(rows: number): number[] {
  const out: number[] = [];
  const top = baseBatchSize(rows);
  if (top <= PROBE_MIN_BATCH) return out;
  for (let b = PROBE_MIN_BATCH; b <= top; b *= 2) out.push(b);
  return out;
}

/** A batch size trains at least this share of the fastest probed rate to count as fast enough. */
export const FAST_ENOUGH_SHARE = 0.9;

/**
 * The smallest probed batch size whose rows per second are within FAST_ENOUGH_SHARE of the fastest
 * one's: larger ones would halve the updates an epoch for less than that share of speed. MAX_BATCH
 * when nothing was measured.
 */
export function fastEnoughBatch(probes: readonly { batchSize: number; samplesPerSec: number }[]): number {
  const measured = probes.filter((p) => p.samplesPerSec > 0);
  if (measured.length === 0) return MAX_BATCH;
  const best = Math.max(...measured.map((p) => p.samplesPerSec));
  return Math.min(...measured.filter((p) => p.samplesPerSec >= FAST_ENOUGH_SHARE * best).map((p) => p.batchSize));
}

function mlp(hidden: number[], activation: HiddenActivation, dropout: number, l2: number): FixedModelSpec {
  return { type: 'mlp', budget: '60s', hidden, activation, dropout, l2 };
}

function linear(l2: number): FixedModelSpec {
  return { type: 'linear', budget: '60s', hidden: [], activation: 'relu', dropout: 0, l2 };
}

/** A candidate before it meets the data: its batch size is a multiple of the rows' base batch size. */
export interface CandidateDraft {
  model: FixedModelSpec;
  learningRate: number;
  batchScale: number;
}

/**
 * The hand-picked start of every search, best guesses first (a search cut short by its budget still
 * compares these): a wide two-layer MLP, which came out best on most of bench/quality's sets; the
 * MLP Flywheel trained before search existed; a regularised linear model (logistic or ridge
 * regression) with a learning rate high enough to converge in a rung's few epochs; a wider and a
 * deeper MLP with more regularisation, for data with more structure; a small tanh MLP.
 */
export const DEFAULT_CANDIDATES: readonly CandidateDraft[] = [
  { model: mlp([128, 64], 'relu', 0.1, 0), learningRate: 0.003, batchScale: 1 },
  { model: mlp([64, 32], 'relu', 0.1, 0), learningRate: 0.005, batchScale: 1 },
  { model: linear(1e-4), learningRate: 0.03, batchScale: 1 },
  { model: mlp([256, 128], 'relu', 0.2, 1e-4), learningRate: 0.002, batchScale: 1 },
  { model: mlp([64, 64, 32], 'elu', 0.1, 1e-4), learningRate: 0.002, batchScale: 1 },
  { model: mlp([32], 'tanh', 0, 1e-3), learningRate: 0.01, batchScale: 0.5 },
];

function logUniform(random: Random, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo)));
}

function pick<T>(random: Random, options: readonly T[]): T {
  return options[Math.floor(random() * options.length)];
}

/** Three significant digits: the leaderboard and lineage show the value the trial actually used. */
function round3(v: number): number {
  return Number(v.toPrecision(3));
}

/** One candidate drawn from the space. */
export function sampleCandidate(random: Random): CandidateDraft {
  const batchScale = pick(random, BATCH_SCALES);
  const learningRate = round3(logUniform(random, 5e-4, 3e-2));
  if (random() < 0.2)
    return { model: linear(random() < 0.3 ? 0 : round3(logUniform(random, 1e-6, 1e-2))), learningRate, batchScale };
  const depth = 1 + Math.floor(random() * 3);
  const hidden: number[] = [];
  let widest = WIDTHS.length;
  for (let i = 0; i < depth; i++) {
    // Layers of 64 units and more are likelier: the narrow ones lost on every bench/quality set.
    const w = Math.min(widest - 1, Math.floor(Math.sqrt(random()) * widest));
    hidden.push(WIDTHS[w]);
    widest = w + 1;
  }
  const l2 = random() < 0.3 ? 0 : round3(logUniform(random, 1e-6, 1e-2));
  return { model: mlp(hidden, pick(random, ACTIVATIONS), pick(random, DROPOUTS), l2), learningRate, batchScale };
}

/**
 * `count` candidates: the defaults, then draws seeded by `seed`; batch sizes (and bins) fit `rows`
 * training rows, the base batch size at most `maxBatch`.
 */
export function candidates(count: number, seed: number, rows: number, maxBatch = MAX_BATCH): TrialConfig[] {
  const random = seededRandom(deriveSeed(seed, SPACE_SALT));
  const binsRandom = seededRandom(deriveSeed(seed, BINS_SALT));
  const base = baseBatchSize(rows, maxBatch);
  const fit = ({ batchScale, ...c }: CandidateDraft): TrialConfig => ({
    ...c,
    batchSize: Math.max(1, Math.min(Math.round(base * batchScale), Math.ceil(rows / 4))),
  });
  const binned = rows >= BINS_MIN_ROWS;
  const defaults = binned
    ? [DEFAULT_CANDIDATES[0], BINNED_DEFAULT, ...DEFAULT_CANDIDATES.slice(1)]
    : DEFAULT_CANDIDATES;
  const out = defaults.slice(0, count).map(fit);
  while (out.length < count) {
    const draft = sampleCandidate(random);
    if (binned && binsRandom() < BINNED_SHARE) draft.model = { ...draft.model, bins: pick(binsRandom, BIN_COUNTS) };
    out.push(fit(draft));
  }
  return out;
}

/** A short description of a candidate for tables: `mlp 128-64 relu drop 0.2 l2 1e-4 bins 16 · lr 0.003 · batch 32`. */
export function describeConfig(c: TrialConfig): string {
  const m = c.model;
  const parts =
    m.type === 'linear'
      ? ['linear']
      : [`mlp ${m.hidden.join('-')} ${m.activation}`, ...(m.dropout > 0 ? [`drop ${m.dropout}`] : [])];
  if (m.l2 > 0) parts.push(`l2 ${m.l2.toExponential(0)}`);
  if (m.bins !== undefined) parts.push(`bins ${m.bins}`);
  return `${parts.join(' ')} · lr ${c.learningRate} · batch ${c.batchSize}`;
}

/**
 * How the search chose its batch sizes, for the CLI and the run page: the rows per second it timed at
 * each size and the base it kept; null when it timed none (small data, or a report from before).
 */
export function describeBatchProbe(report: {
  batchProbe?: readonly { batchSize: number; samplesPerSec: number }[];
  baseBatch?: number;
}): string | null {
  const probe = report.batchProbe ?? [];
  if (probe.length === 0 || report.baseBatch === undefined) return null;
  const rates = probe.map((p) => `${p.batchSize}: ${Math.round(p.samplesPerSec).toLocaleString('en-US')}`).join(', ');
  return `batch sizes timed (rows/s) — ${rates}; base batch ${report.baseBatch}, the smallest within ${Math.round(FAST_ENOUGH_SHARE * 100)} % of the fastest`;
}
