/** How bench/infer times an engine, shared by the main thread and the lean engines' worker threads. */

export interface Timing {
  /** µs per row, one row per call. */
  single: number;
  /** µs per row, BATCH_ROWS rows per call. */
  batch: number;
}

export type Predict = (x: Float32Array, rows: number) => unknown;

// Rows per batch call, as a bulk scoring job or a large KServe request would send.
export const BATCH_ROWS = 1024;
// Batch calls per timing.
export const BATCH_CALLS = 10;

/** Milliseconds of CPU time (user + system) of this process. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** µs per row of one round: `calls` one-row predictions cycling through `pool`, and BATCH_CALLS batches of BATCH_ROWS rows. */
export function timeRound(predict: Predict, pool: Float32Array, dim: number, calls: number): Timing {
  let t0 = cpuMs();
  for (let i = 0; i < calls; i++) {
    const r = i % BATCH_ROWS;
    predict(pool.subarray(r * dim, (r + 1) * dim), 1);
  }
  const single = ((cpuMs() - t0) * 1000) / calls;
  t0 = cpuMs();
  for (let i = 0; i < BATCH_CALLS; i++) predict(pool, BATCH_ROWS);
  return { single, batch: ((cpuMs() - t0) * 1000) / (BATCH_CALLS * BATCH_ROWS) };
}
