/**
 * Paced load from h2load (nghttp2's load generator, in C; Debian's `nghttp2-client`), for the latency
 * half of the edge bench. bench/edge-paced.ts does the same in Node, but on a 2-core machine its own
 * event loop stalls 15–25 ms now and then, and every stall lands in the latencies it reports: a JSON
 * echo with nothing behind it measured p99 ≈ 40 ms through it and ≈ 3 ms through h2load at the same
 * rate. The bench uses this when h2load is installed and says which generator it used.
 *
 * Each of the keep-alive connections sends `rate / connections` requests a second on its own timer
 * (`--rps`); connections open one per millisecond (`-r 1 --rate-period 1ms`, h2load's finest step) so
 * their timers are spread over the period instead of firing together. Latency is h2load's per-request
 * time from sending the request to the end of its answer (`--log-file`).
 */
import { execFile } from 'node:child_process';
import { pinnedCommand } from './cpu-pin';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { percentile, WARMUP_SECONDS } from './edge-load';
import type { PacedOptions, PacedResult } from './edge-paced';

const H2LOAD = '/usr/bin/h2load';
/** A run taking this much longer than planned met a broken server. */
const SLACK_MS = 60_000;

export const h2loadAvailable = (): boolean => existsSync(H2LOAD);

/** `rate × duration` POST requests at a steady rate (after WARMUP_SECONDS of the same, discarded unless `warmup` is false). */
export async function h2loadPaced(o: PacedOptions): Promise<PacedResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flywheel-h2load-'));
  try {
    const bodyFile = path.join(dir, 'body.json');
    await writeFile(bodyFile, o.body);
    if (o.warmup !== false) await run(o, WARMUP_SECONDS, bodyFile, null);
    return await run(o, o.duration, bodyFile, path.join(dir, 'requests.tsv'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(o: PacedOptions, duration: number, bodyFile: string, logFile: string | null): Promise<PacedResult> {
  // Whole requests per connection, so the total is what the rate and duration ask for.
  const perConnection = Math.max(1, Math.round((o.rate * duration) / o.connections));
  const args = [
    '--h1',
    '-t',
    '1',
    '-c',
    String(o.connections),
    '-n',
    String(perConnection * o.connections),
    '--rps',
    String(o.rate / o.connections),
    '-r',
    '1',
    '--rate-period',
    '1ms',
    '-d',
    bodyFile,
    ...Object.entries(o.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    ...(logFile ? ['--log-file', logFile] : []),
    o.url,
  ];
  const started = performance.now();
  const [command, pinnedArgs] = pinnedCommand('load', H2LOAD, args);
  const { stdout } = await promisify(execFile)(command, pinnedArgs, {
    timeout: duration * 1000 + SLACK_MS,
    maxBuffer: 1 << 20,
  });
  const elapsed = (performance.now() - started) / 1000;
  if (!logFile) return { reqPerSec: NaN, p50: NaN, p99: NaN, failures: 0 };
  const latencies: number[] = [];
  let failures = 0;
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    if (!line) continue;
    // start (µs since the epoch), status, µs to the end of the answer
    const [, status, us] = line.split('\t');
    if (Number(status) >= 200 && Number(status) < 300) latencies.push(Number(us) / 1000);
    else failures++;
  }
  const done = /requests: \d+ total, \d+ started, (\d+) done/.exec(stdout);
  // Requests h2load gave up on never reach the log: count them as failed too.
  if (done) failures += Math.max(0, perConnection * o.connections - Number(done[1]));
  const sorted = Float64Array.from(latencies).sort();
  return {
    reqPerSec: latencies.length / elapsed,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    failures,
  };
}
