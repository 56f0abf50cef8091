/**
 * The benchmark contract: each `bench/*.bench.ts` exports `bench(): Promise<BenchResult>`, measures a
 * baseline in the same run, and reports ratios against it, so the numbers mean something on a shared,
 * noisy machine. `npm run bench` runs them all and rewrites docs/BENCHMARKS.md.
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_GPU_ARGS } from '../tests/support/chromium-args';

export interface BenchResult {
  /** Section title in docs/BENCHMARKS.md. */
  title: string;
  /** Markdown body: what was measured, the table of figures, the ratios and the targets. */
  markdown: string;
}

/** Median of `runs` timings (ms) of `fn`, after `warmup` untimed calls. */
export async function timeMedian(fn: () => unknown | Promise<unknown>, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** A markdown table from a header and rows. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}

/** Whether the browser benches were asked to use the machine's GPU (`FLYWHEEL_BENCH_GPU=1`) rather than SwiftShader. */
export const BENCH_ON_GPU = process.env.FLYWHEEL_BENCH_GPU === '1';

/** Debian's Chromium (or `CHROMIUM`), as the browser benches drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: BENCH_ON_GPU ? CHROMIUM_GPU_ARGS : CHROMIUM_ARGS,
  });
}
