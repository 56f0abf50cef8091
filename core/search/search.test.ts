/**
 * The model search: its folds, its plan, its reproducibility, its budget and cancel, its leaderboard.
 * The plan and budget tests drive the search with a scripted pool (scores and timing under the test's
 * control); reproducibility and cancel train real models on a tiny synthetic set.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FlywheelError, isFlywheelError } from '../errors';
import type { ClassificationHead } from '../model/head';
import { normal, seededRandom } from '../random';
import { useNodeBackend } from '../../cli/tfjs-node';
import { inProcessPool } from './in-process-pool';
import { foldRows, runTrialTask } from './run-trial';
import { CV_FOLDS, CV_MAX_ROWS, searchData, searchModels, searchPlan } from './search';
import {
  baseBatchSize,
  batchesToProbe,
  BINS_MIN_ROWS,
  candidates,
  DEFAULT_CANDIDATES,
  describeBatchProbe,
  fastEnoughBatch,
  MAX_BATCH,
} from './space';
import type { SearchData, TrialPool, TrialRecord, TrialResult, TrialTask } from './types';

const head: ClassificationHead = { task: 'classification', labels: ['a', 'b', 'c'] };

beforeAll(async () => {
  // The backend the CLI searches on; about twice as fast as tfjs's CPU backend for these small models.
  await useNodeBackend('wasm');
});

/** Three Gaussian blobs in 2-D, class i centred at (2i, −2i); classes in unequal shares (1 : 2 : 3). */
function blobs3(rows: number, seed: number): { x: Float32Array; y: Int32Array } {
  const random = seededRandom(seed);
  const x = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = i % 6;
    y[i] = r === 0 ? 0 : r < 3 ? 1 : 2;
    x[i * 2] = 2 * y[i] + normal(random);
    x[i * 2 + 1] = -2 * y[i] + normal(random);
  }
  return { x, y };
}

function dataOf(trainRows: number, valRows: number, seed = 1): SearchData {
  const tr = blobs3(trainRows, seed);
  const va = blobs3(valRows, seed + 1);
  return searchData({
    head,
    inputDim: 2,
    x: tr.x,
    y: tr.y,
    rows: trainRows,
    xVal: va.x,
    yVal: va.y,
    valRows,
    seed: 42,
  });
}

describe('searchData', () => {
  it('deals small data into stratified folds that validate every row exactly once', () => {
    const data = dataOf(200, 40);
    expect(data.folds).toBe(CV_FOLDS);
    expect(data.rows).toBe(240);
    const seen = new Uint8Array(data.rows);
    for (let fold = 0; fold < data.folds; fold++) {
      const { train, validation } = foldRows(data, fold);
      expect(train.length + validation.length).toBe(data.rows);
      for (const i of validation) seen[i]++;
      const inTrain = new Set(train);
      for (const i of validation) expect(inTrain.has(i)).toBe(false);
    }
    expect([...seen].every((n) => n === 1)).toBe(true);
    // Each class spreads over the folds evenly (counts differ by at most one).
    for (let c = 0; c < 3; c++) {
      const perFold = new Array<number>(data.folds).fill(0);
      for (let i = 0; i < data.rows; i++) if (data.y[i] === c) perFold[data.foldOf[i]]++;
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps the validation split as the one fold of large data', () => {
    const data = dataOf(CV_MAX_ROWS, 300);
    expect(data.folds).toBe(1);
    const { train, validation } = foldRows(data, 0);
    expect(train.length).toBe(CV_MAX_ROWS);
    expect([...validation]).toEqual(Array.from({ length: 300 }, (_, i) => CV_MAX_ROWS + i));
  });

  it('deals the same folds for the same seed', () => {
    expect([...dataOf(100, 20).foldOf]).toEqual([...dataOf(100, 20).foldOf]);
  });
});

describe('searchPlan and candidates', () => {
  it('halves 27 → 9 → 3 candidates on a 27th, a ninth and a third of the epochs', () => {
    expect(searchPlan(100)).toEqual([
      { candidates: 27, epochs: 4 },
      { candidates: 9, epochs: 11 },
      { candidates: 3, epochs: 33 },
    ]);
    expect(searchPlan(2).map((r) => r.epochs)).toEqual([1, 1, 1]);
  });

  it('sizes batches to the rows: about 16 steps an epoch, from 8 rows, at most the measured cap', () => {
    expect(baseBatchSize(40)).toBe(8);
    expect(baseBatchSize(1000)).toBe(64);
    expect(baseBatchSize(14_000)).toBe(512);
    expect(baseBatchSize(14_000, 256)).toBe(256);
    expect(baseBatchSize(14_000, 4096)).toBe(512);
    expect(baseBatchSize(1000, 256)).toBe(64);
    expect(baseBatchSize(10_000_000)).toBe(MAX_BATCH);
    expect(new Set(candidates(27, 42, 1000).map((c) => c.batchSize))).toEqual(new Set([32, 64, 128]));
    expect(new Set(candidates(27, 42, 14_000, 256).map((c) => c.batchSize))).toEqual(new Set([128, 256, 512]));
  });

  it('times batch sizes only where the rows would take more than 64, and keeps the smallest that is fast enough', () => {
    expect(batchesToProbe(1000)).toEqual([]);
    expect(batchesToProbe(14_000)).toEqual([64, 128, 256, 512]);
    const rates = (r: number[]) => r.map((samplesPerSec, i) => ({ batchSize: 64 * 2 ** i, samplesPerSec }));
    // Per-step overhead: rows per second rise with the batch, then level off.
    expect(fastEnoughBatch(rates([10_000, 18_000, 31_000, 34_000]))).toBe(256);
    // Still doubling at the largest: take it.
    expect(fastEnoughBatch(rates([1_000, 2_000, 4_000, 8_000]))).toBe(512);
    // Flat (a GPU-bound step or a noisy machine): the smallest keeps the most updates an epoch.
    expect(fastEnoughBatch(rates([30_000, 29_000, 31_000]))).toBe(64);
    expect(fastEnoughBatch([])).toBe(MAX_BATCH);
    expect(fastEnoughBatch(rates([0, 0]))).toBe(MAX_BATCH);
  });

  it('starts with the hand-picked defaults, then draws the same candidates for the same seed', () => {
    const a = candidates(27, 42, 500);
    expect(a).toHaveLength(27);
    expect(a.slice(0, DEFAULT_CANDIDATES.length).map((c) => c.model)).toEqual(DEFAULT_CANDIDATES.map((c) => c.model));
    expect(candidates(27, 42, 500)).toEqual(a);
    expect(candidates(27, 43, 500).slice(DEFAULT_CANDIDATES.length)).not.toEqual(a.slice(DEFAULT_CANDIDATES.length));
    for (const c of a) expect(c.batchSize).toBeLessThanOrEqual(Math.ceil(500 / 4));
  });

  it(`cuts inputs into bins only from ${BINS_MIN_ROWS} training rows, drawing the same models either way`, () => {
    const small = candidates(27, 42, BINS_MIN_ROWS - 1);
    expect(small.some((c) => c.model.bins !== undefined)).toBe(false);
    const large = candidates(27, 42, BINS_MIN_ROWS);
    // The first default, then the same on 16 bins, then the other defaults.
    expect(large[1].model).toEqual({ ...large[0].model, bins: 16 });
    expect(large.slice(2, DEFAULT_CANDIDATES.length + 1).map((c) => c.model)).toEqual(
      DEFAULT_CANDIDATES.slice(1).map((c) => c.model),
    );
    // The drawn candidates are the small set's, some of them binned (their own stream), one place later.
    const drawn = large.slice(DEFAULT_CANDIDATES.length + 1);
    const withoutBins = drawn.map(({ model: { bins: _bins, ...model }, ...c }) => ({ ...c, model }));
    expect(withoutBins.map((c) => c.model)).toEqual(
      small.slice(DEFAULT_CANDIDATES.length, small.length - 1).map((c) => c.model),
    );
    const binned = drawn.filter((c) => c.model.bins !== undefined).length;
    expect(binned).toBeGreaterThan(0);
    expect(binned).toBeLessThan(drawn.length);
  });
});

/** A pool that scores by a fixed rule and records every task; `hangAfter` tasks it waits for an abort. */
function scriptedPool(
  score: (t: TrialTask) => number,
  hangAfter = Infinity,
  bestEpoch: (t: TrialTask) => number = (t) => t.epochs - 1,
) {
  const tasks: TrialTask[] = [];
  const pool: TrialPool = {
    size: 2,
    load: () => Promise.resolve(),
    run(task, signal) {
      tasks.push(task);
      const result: TrialResult = {
        trial: task.trial,
        fold: task.fold,
        score: score(task),
        loss: 1 - score(task),
        epochsRun: task.epochs,
        bestEpoch: bestEpoch(task),
        ms: 1,
        samplesPerSec: 1000,
        backend: 'scripted',
      };
      if (tasks.length <= hangAfter) return Promise.resolve(result);
      return new Promise((_, reject) => {
        const stop = () => reject(new FlywheelError('cancelled', 'stopped'));
        if (signal?.aborted) stop();
        else signal?.addEventListener('abort', stop, { once: true });
      });
    },
  };
  return { pool, tasks };
}

/** A score per candidate that does not follow its number: (7 · trial mod 27), plus a little per fold. */
const scripted = (t: TrialTask) => ((7 * t.trial) % 27) / 27 + t.fold / 1000;

describe('searchModels', () => {
  it('runs the plan: every fold of 27, 9 and 3 candidates, promoting the best third', async () => {
    const data = dataOf(60, 15);
    const { pool, tasks } = scriptedPool(scripted);
    const report = await searchModels({ data, pool, budgetMs: 600_000, seed: 42, maxEpochs: 81, patience: 9 });
    const byEpochs = (e: number) => tasks.filter((t) => t.epochs === e);
    expect(byEpochs(3)).toHaveLength(27 * CV_FOLDS);
    expect(byEpochs(9)).toHaveLength(9 * CV_FOLDS);
    expect(byEpochs(27)).toHaveLength(3 * CV_FOLDS);
    const rank = (trials: number[]) => [...trials].sort((a, b) => ((7 * b) % 27) - ((7 * a) % 27));
    const all = Array.from({ length: 27 }, (_, i) => i);
    const rung1 = new Set(byEpochs(9).map((t) => t.trial));
    expect([...rung1].sort((a, b) => a - b)).toEqual(
      rank(all)
        .slice(0, 9)
        .sort((a, b) => a - b),
    );
    const rung2 = new Set(byEpochs(27).map((t) => t.trial));
    expect([...rung2].sort((a, b) => a - b)).toEqual(
      rank([...rung1])
        .slice(0, 3)
        .sort((a, b) => a - b),
    );
    // Patience scales with the rung's epochs, never below 2.
    expect(byEpochs(3)[0].patience).toBe(2);
    expect(byEpochs(27)[0].patience).toBe(9);
    expect(report.budgetReached).toBe(false);
    expect(report.leaderboard).toHaveLength(27);
    expect(report.leaderboard.filter((r) => r.status === 'finished').map((r) => r.trial)).toEqual(rank([...rung2]));
    expect(report.chosenTrial).toBe(rank(all)[0]);
    expect(report.validation).toBe('k-fold');
  });

  it('times batch sizes on the pool first and caps the base batch where the rows per second level off', async () => {
    // 4,000 training rows on a validation split: 16 steps an epoch would be 256 rows a batch.
    const data = dataOf(4000, 1000);
    const rate: Record<number, number> = { 64: 10_000, 128: 19_000, 256: 20_000 };
    const { pool, tasks } = scriptedPool(scripted);
    const scriptedRun = pool.run.bind(pool);
    pool.run = async (task, signal) => ({
      ...(await scriptedRun(task, signal)),
      samplesPerSec: task.probeRows === undefined ? 1000 : rate[task.config.batchSize],
    });
    const report = await searchModels({ data, pool, budgetMs: 600_000, seed: 42, maxEpochs: 27, patience: 9 });
    const probes = tasks.filter((t) => t.probeRows !== undefined);
    expect(probes.map((t) => [t.config.batchSize, t.probeRows, t.fold])).toEqual([
      [64, 512, 0],
      [128, 1024, 0],
      [256, 2048, 0],
    ]);
    // The first default candidate is what is timed, before any trial.
    expect(probes.map((t) => t.config.model)).toEqual(probes.map(() => candidates(1, 42, 4000)[0].model));
    expect(tasks.slice(0, 3)).toEqual(probes);
    expect(report.batchProbe).toEqual([
      { batchSize: 64, samplesPerSec: 10_000 },
      { batchSize: 128, samplesPerSec: 19_000 },
      { batchSize: 256, samplesPerSec: 20_000 },
    ]);
    // 128 trains within 10 % of 256's speed with twice the updates: the candidates' base batch.
    expect(report.baseBatch).toBe(128);
    expect(describeBatchProbe(report)).toBe(
      'batch sizes timed (rows/s) — 64: 10,000, 128: 19,000, 256: 20,000; base batch 128, the smallest within 90 % of the fastest',
    );
    const batches = new Set(tasks.filter((t) => t.probeRows === undefined).map((t) => t.config.batchSize));
    expect(batches).toEqual(new Set([64, 128, 256]));
    // Small data is not timed: the rows decide.
    const small = scriptedPool(scripted);
    const smallReport = await searchModels({
      data: dataOf(60, 15),
      pool: small.pool,
      budgetMs: 600_000,
      seed: 42,
      maxEpochs: 27,
      patience: 9,
    });
    expect(small.tasks.some((t) => t.probeRows !== undefined)).toBe(false);
    expect(smallReport.batchProbe).toEqual([]);
  });

  it('stops at the budget, marks the candidates it cut, and chooses among the furthest', async () => {
    const data = dataOf(60, 15);
    // Rung 0 (135 tasks) and two candidates of rung 1 finish; then every task waits until the budget stops it.
    const { pool, tasks } = scriptedPool(scripted, 27 * CV_FOLDS + 2 * CV_FOLDS);
    const report = await searchModels({ data, pool, budgetMs: 400, seed: 42, maxEpochs: 27, patience: 9 });
    expect(report.budgetReached).toBe(true);
    expect(tasks.length).toBeLessThan((27 + 9 + 3) * CV_FOLDS);
    const status = (s: TrialRecord['status']) => report.leaderboard.filter((r) => r.status === s);
    expect(status('finished')).toHaveLength(0);
    expect(status('dropped')).toHaveLength(18);
    expect(status('budget')).toHaveLength(9);
    expect(report.leaderboard.filter((r) => r.rung === 1)).toHaveLength(2);
    expect(report.leaderboard[0].rung).toBe(1);
    expect(report.chosenTrial).toBe(report.leaderboard[0].trial);
  });

  it('trains the choice on all its rows for the epochs its folds needed, when they stopped early', async () => {
    const search = (data: SearchData, bestEpoch: (t: TrialTask) => number) =>
      searchModels({
        data,
        pool: scriptedPool(scripted, Infinity, bestEpoch).pool,
        budgetMs: 600_000,
        seed: 42,
        maxEpochs: 81,
        patience: 9,
      });
    // The last rung trains 27 epochs; folds 0, 1, 2 peak at epochs 8, 10, 12 (1-based): a mean of 10.
    const early = await search(dataOf(60, 15), (t) => 7 + 2 * t.fold);
    const chosen = early.leaderboard[0];
    expect(chosen.bestEpochs).toBe(10);
    expect(early.refitEpochs).toBe(10);
    // Peaking in the last quarter of its epochs, a model was still improving: no count to trust.
    const late = await search(dataOf(60, 15), (t) => t.epochs - 2);
    expect(late.refitEpochs).toBeNull();
    // A validation split (large data) is early-stopped on by the final training instead.
    const holdout = await search(dataOf(CV_MAX_ROWS, 500), (t) => 7 + 2 * t.fold);
    expect(holdout.validation).toBe('holdout');
    expect(holdout.refitEpochs).toBeNull();
  });

  it('gives the same leaderboard whether the folds finish in order or not', async () => {
    const data = dataOf(60, 15);
    // Fold scores whose float sum depends on the order of addition; fold 0 trained on another backend
    // (a browser trial worker falls back when the chosen backend does not start).
    const result = (task: TrialTask): TrialResult => ({
      trial: task.trial,
      fold: task.fold,
      score: ((7 * task.trial) % 27) / 27 + [0.1, 0.2, 0.3][task.fold],
      loss: [0.3, 0.2, 0.1][task.fold] + task.trial / 100,
      epochsRun: task.epochs,
      bestEpoch: task.fold,
      ms: 1,
      samplesPerSec: 1000,
      backend: task.fold === 0 ? 'wasm' : 'cpu',
    });
    type Waiting = { task: TrialTask; resolve: (r: TrialResult) => void };
    /** Answers one at a time, each heard by the search before the next is sent. */
    const answer = async (ready: Waiting[]) => {
      for (const w of ready) {
        w.resolve(result(w.task));
        await new Promise((r) => setTimeout(r, 0));
      }
    };
    /** A pool of `size` lanes that answers each batch of `size` tasks in order, or the last fold first. */
    const pool = (reverse: boolean): TrialPool => {
      let batch: Waiting[] = [];
      return {
        size: CV_FOLDS,
        load: () => Promise.resolve(),
        run: (task) =>
          new Promise((resolve) => {
            batch.push({ task, resolve });
            if (batch.length < CV_FOLDS) return;
            void answer(reverse ? batch.reverse() : batch);
            batch = [];
          }),
      };
    };
    const search = (reverse: boolean) =>
      searchModels({ data, pool: pool(reverse), budgetMs: 600_000, seed: 42, maxEpochs: 81, patience: 9 });
    const inOrder = await search(false);
    const reversed = await search(true);
    expect(reversed.leaderboard).toEqual(inOrder.leaderboard);
    expect(reversed.chosenTrial).toBe(inOrder.chosenTrial);
    expect(inOrder.leaderboard.every((r) => r.backend === 'wasm' && r.bestEpochs === 2)).toBe(true);
  });

  it('rejects with cancelled when the user aborts, whatever the reason given', async () => {
    const data = dataOf(60, 15);
    const { pool } = scriptedPool(scripted, 10);
    const controller = new AbortController();
    const search = searchModels({
      data,
      pool,
      budgetMs: 600_000,
      seed: 42,
      maxEpochs: 27,
      patience: 9,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const error = await search.catch((e: unknown) => e);
    expect(isFlywheelError(error) && error.code).toBe('cancelled');
  });
});

describe('searchModels training real models', () => {
  const data = dataOf(36, 9);
  const run = () =>
    searchModels({ data, pool: inProcessPool(), budgetMs: 600_000, seed: 7, maxEpochs: 27, patience: 3 });

  it('gives the same leaderboard for the same seed, sorted best first', async () => {
    const a = await run();
    const b = await run();
    const view = (r: TrialRecord) => [r.trial, r.rung, r.status, r.score, r.loss, r.seed];
    expect(a.leaderboard.map(view)).toEqual(b.leaderboard.map(view));
    expect(a.chosen).toEqual(b.chosen);
    expect(a.leaderboard).toHaveLength(27);
    const lb = a.leaderboard;
    for (let i = 1; i < lb.length; i++) {
      expect(lb[i - 1].rung).toBeGreaterThanOrEqual(lb[i].rung);
      if (lb[i - 1].rung === lb[i].rung) expect(lb[i - 1].score).toBeGreaterThanOrEqual(lb[i].score);
    }
    expect(lb.slice(0, 3).every((r) => r.rung === 2 && r.status === 'finished')).toBe(true);
    expect(a.chosen).toEqual(lb[0].config);
    // Real training: the blobs are easy, the best candidate beats chance by far.
    expect(lb[0].score).toBeGreaterThan(0.6);
  }, 120_000);

  it('trains a candidate on inputs cut into bins, fitted on its fold, as well as on the raw ones', async () => {
    const big = dataOf(300, 60);
    const config = candidates(1, 7, 300)[0];
    const task = (bins?: number) => ({
      trial: 0,
      fold: 0,
      config: { ...config, model: { ...config.model, ...(bins ? { bins } : {}) } },
      epochs: 20,
      patience: 20,
      seed: 3,
    });
    const raw = await runTrialTask(big, task());
    const binned = await runTrialTask(big, task(8));
    expect(binned.epochsRun).toBe(20);
    expect(binned.score).toBeGreaterThan(0.6);
    expect(binned.score).toBeGreaterThan(raw.score - 0.1);
    // A different network on different inputs: not the raw run again.
    expect(binned.loss).not.toBe(raw.loss);
  });

  it('trains a batch-size probe on its first rows only and reports how fast it went', async () => {
    const data = dataOf(400, 80);
    // Every training row after the first 64 (and every validation row after 64) is missing: training
    // refuses them, so a probe that read past its rows would fail.
    const bad = (rows: Int32Array) => rows.slice(64).forEach((i) => data.x.fill(NaN, i * 2, i * 2 + 2));
    const { train, validation } = foldRows(data, 0);
    bad(train);
    bad(validation);
    const task = (probeRows?: number): TrialTask => ({
      trial: 0,
      fold: 0,
      config: { ...candidates(1, 7, 400)[0], batchSize: 16 },
      epochs: 3,
      patience: 3,
      seed: 3,
      ...(probeRows === undefined ? {} : { probeRows }),
    });
    const probe = await runTrialTask(data, task(64));
    expect(probe.epochsRun).toBe(3);
    expect(probe.samplesPerSec).toBeGreaterThan(0);
    await expect(runTrialTask(data, task())).rejects.toThrow(/row 64, column 0 is NaN/);
  });

  it('stops real training when the user cancels', async () => {
    const controller = new AbortController();
    const error = await searchModels({
      data,
      pool: inProcessPool(),
      budgetMs: 600_000,
      seed: 7,
      maxEpochs: 30,
      patience: 5,
      signal: controller.signal,
      onTrial: () => controller.abort(new Error('user pressed stop')),
    }).catch((e: unknown) => e);
    expect(isFlywheelError(error) && error.code).toBe('cancelled');
  });
});
