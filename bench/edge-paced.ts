/**
 * An evenly paced, open-loop load: request i is due at start + i / rate, whether or not earlier ones
 * have answered. autocannon's `overallRate` instead lets each connection send its share of a second
 * back to back and then wait, so at "half throughput" the server still sees full-speed bursts for
 * half of every second; this measures latency at a steady half load.
 */
import http from 'node:http';
import { percentile, WARMUP_SECONDS } from './edge-load';

/** Timer period of the scheduler: requests due within a tick go out together. */
const TICK_MS = 1;
/** A request unanswered this long counts as failed, so a stuck server ends the run instead of hanging it. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface PacedOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Requests per second, spread evenly. */
  rate: number;
  duration: number;
  /** Keep-alive sockets at most; a request finding none free waits, and that wait counts in its latency. */
  connections: number;
  /** Run WARMUP_SECONDS of the same load first, discarded (default true). */
  warmup?: boolean;
}

export interface PacedResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  failures: number;
}

/**
 * Sends `rate × duration` POST requests evenly spaced, after WARMUP_SECONDS of the same unless
 * `warmup` is false (discarded: the client's sockets and code warm up too). Latency runs from the moment a request is
 * handed to the socket pool, so waiting for a free connection counts but the scheduler's own timer
 * granularity does not.
 */
export async function pacedLoad(o: PacedOptions): Promise<PacedResult> {
  if (o.warmup !== false) await pacedRun({ ...o, duration: WARMUP_SECONDS });
  return pacedRun(o);
}

async function pacedRun(o: PacedOptions): Promise<PacedResult> {
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const body = Buffer.from(o.body);
  const headers = { ...o.headers, 'content-length': String(body.byteLength) };
  const total = Math.round(o.rate * o.duration);
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  let settled = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const send = () => {
      const sentAt = performance.now();
      let finished = false;
      // A request settles once: an error after its response ended must not count it twice.
      const finish = (ok: boolean) => {
        if (finished) return;
        finished = true;
        if (ok) latencies.push(performance.now() - sentAt);
        else failures++;
        if (++settled === total) resolve();
      };
      const req = http.request(
        { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers },
        (res) => {
          res.resume();
          res.once('end', () => finish(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
        },
      );
      req.once('error', () => finish(false));
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / o.rate <= now) {
        send();
        sent++;
      }
      if (sent < total) setTimeout(tick, TICK_MS);
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    reqPerSec: latencies.length / elapsed,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    failures,
  };
}
