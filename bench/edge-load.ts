/**
 * HTTP load for the edge bench: autocannon driven from the bench process (the servers run in their
 * own processes), with a warm-up run discarded before each measured one. Latency percentiles are
 * computed here from every response's own timing (sub-millisecond), besides autocannon's histogram,
 * which rounds to whole milliseconds.
 */
import { createRequire } from 'node:module';

/** Warm-up before each measured run: lets V8 optimise the server's hot path and the pools fill. */
export const WARMUP_SECONDS = 2;

export interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Requests per second over all connections (autocannon's pacing); omitted = as fast as possible. */
  overallRate?: number;
  /** Run WARMUP_SECONDS of the same load first, discarded (default true). */
  warmup?: boolean;
  /** The server's CPU seconds so far; read around the measured run to give its CPU cost per request. */
  serverCpu?: () => Promise<number>;
  /** The same for the server's main thread alone. */
  serverMainCpu?: () => Promise<number>;
}

export interface LoadResult {
  /** 2xx responses per second over the run. */
  reqPerSec: number;
  /** From the per-response timings, in ms. */
  p50: number;
  p99: number;
  /** autocannon's own p99 (whole ms; corrected for coordinated omission when paced). */
  autocannonP99: number;
  ok: number;
  /** Non-2xx responses and connection errors: any makes the run invalid. */
  failures: number;
  /**
   * Server CPU time per 2xx response, in µs (null without `serverCpu`). Unlike req/s it hardly moves
   * when other processes compete for the cores, so its ratios hold on a busy machine.
   */
  cpuPerRequestUs: number | null;
  /** Server main-thread CPU time per 2xx response, in µs (null without `serverMainCpu`). */
  mainCpuPerRequestUs: number | null;
}

/** The part of autocannon's API used here (it ships no types). */
interface AutocannonResult {
  latency: { p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function runOnce(o: LoadOptions, duration: number, timings: number[] | null): Promise<AutocannonResult> {
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration,
    method: o.method ?? 'GET',
    ...(o.body === undefined ? {} : { body: o.body }),
    headers: o.headers ?? {},
    ...(o.overallRate === undefined ? {} : { overallRate: o.overallRate }),
  });
  if (timings)
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) timings.push(ms);
    });
  return await instance;
}

/** A warm-up run (discarded, unless `warmup` is false), then the measured run. */
export async function load(o: LoadOptions): Promise<LoadResult> {
  if (o.warmup !== false) await runOnce(o, WARMUP_SECONDS, null);
  const timings: number[] = [];
  const cpuBefore = await o.serverCpu?.();
  const mainBefore = await o.serverMainCpu?.();
  const r = await runOnce(o, o.duration, timings);
  const cpuAfter = await o.serverCpu?.();
  const mainAfter = await o.serverMainCpu?.();
  const sorted = Float64Array.from(timings).sort();
  return {
    reqPerSec: r['2xx'] / r.duration,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    autocannonP99: r.latency.p99,
    ok: r['2xx'],
    failures: r.non2xx + r.errors + r.timeouts,
    cpuPerRequestUs:
      cpuBefore === undefined || cpuAfter === undefined ? null : ((cpuAfter - cpuBefore) * 1e6) / r['2xx'],
    mainCpuPerRequestUs:
      mainBefore === undefined || mainAfter === undefined ? null : ((mainAfter - mainBefore) * 1e6) / r['2xx'],
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
