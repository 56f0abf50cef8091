/**
 * The Node trial pool with real threads and real tfjs WASM: it scores tasks exactly as the in-process
 * pool does on the same backend, runs them at once, cancels a running task, and keeps errors' codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlywheelError } from '../core/errors';
import { candidates, DEFAULT_CANDIDATES } from '../core/search/space';
import { inProcessPool } from '../core/search/in-process-pool';
import { searchData } from '../core/search/search';
import type { SearchData, TrialResult, TrialTask } from '../core/search/types';
import { seededRandom } from '../core/random';
import { useNodeBackend } from './tfjs-node';
import { nodeTrialPool, type NodeTrialPool } from './trial-pool';

/** 300 rows, 4 features, 3 classes that depend on the features (learnable, not separable). */
function threeClasses(): SearchData {
  const random = seededRandom(5);
  const rows = 300;
  const d = 4;
  const x = new Float32Array(rows * d);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = random() * 2 - 1;
    const s = x[i * d] + 0.5 * x[i * d + 1] + 0.3 * (random() - 0.5);
    y[i] = s < -0.4 ? 0 : s < 0.4 ? 1 : 2;
  }
  const split = 240;
  return searchData({
    head: { task: 'classification', labels: ['a', 'b', 'c'] },
    inputDim: d,
    x: x.slice(0, split * d),
    y: y.slice(0, split),
    rows: split,
    xVal: x.slice(split * d),
    yVal: y.slice(split),
    valRows: rows - split,
    seed: 42,
  });
}

const data = threeClasses();

function task(trial: number, fold: number, epochs = 4, patience = 3): TrialTask {
  return {
    trial,
    fold,
    config: candidates(DEFAULT_CANDIDATES.length, 1, 300)[trial % DEFAULT_CANDIDATES.length],
    epochs,
    patience,
    seed: 1000 + trial,
  };
}

/** What must agree between pools: everything but the time taken and the speed. */
function scores(r: TrialResult): Omit<TrialResult, 'ms' | 'samplesPerSec'> {
  const { ms: _ms, samplesPerSec: _rate, ...rest } = r;
  return rest;
}

let pool: NodeTrialPool;

beforeAll(async () => {
  pool = nodeTrialPool(2, 'wasm');
  await pool.load(data);
});

afterAll(async () => {
  await pool?.close();
});

describe('nodeTrialPool', () => {
  it('runs tasks on its threads at once and scores them exactly as the in-process pool does', async () => {
    const tasks = [task(0, 0), task(1, 1), task(2, 2), task(3, 0)];
    const threaded = await Promise.all(tasks.map((t) => pool.run(t)));

    await useNodeBackend('wasm');
    const here = inProcessPool();
    await here.load(data);
    const inProcess: TrialResult[] = [];
    for (const t of tasks) inProcess.push(await here.run(t));

    expect(threaded.map(scores)).toEqual(inProcess.map(scores));
    expect(threaded.every((r) => r.backend === 'wasm' && r.epochsRun > 0 && r.score > 0.4)).toBe(true);
  });

  it('stops a running task when its signal aborts, rejects it as cancelled, and runs the next', async () => {
    const controller = new AbortController();
    // Thousands of epochs and no early stop: minutes of training unless the cancel reaches the threads.
    const long = (trial: number) => task(trial, 0, 20_000, 20_000);
    const running = [long(0), long(1), long(2)].map((t) => pool.run(t, controller.signal).catch((e: unknown) => e));
    setTimeout(() => controller.abort(), 300);
    const [first, second, third] = await Promise.all(running);
    for (const e of [first, second]) {
      expect(e).toBeInstanceOf(FlywheelError);
      expect(e).toMatchObject({
        code: 'cancelled',
        message: expect.stringMatching(/training cancelled (at|after) epoch/),
      });
    }
    // The third waited for a free thread and never started.
    expect(third).toMatchObject({ code: 'cancelled', message: expect.stringMatching(/before it started/) });
    const next = await pool.run(task(1, 1));
    expect(next.epochsRun).toBeGreaterThan(0);
  });

  it('keeps the code and message of an error thrown in a thread', async () => {
    const error = await pool.run(task(0, 9)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlywheelError);
    expect(error).toMatchObject({ code: 'bad_input', message: 'trial 0: fold 9 is not one of 0…2' });
  });

  it('rejects a task it was given before its data, and a bad size', async () => {
    const empty = nodeTrialPool(1);
    await expect(empty.run(task(0, 0))).rejects.toMatchObject({ code: 'bad_input' });
    await empty.close();
    expect(() => nodeTrialPool(0)).toThrow(/whole number of threads/);
  });
});
