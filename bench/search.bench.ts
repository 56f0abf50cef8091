/**
 * Model-search speed with 1, 2 and all trial workers, in Node (cli/trial-pool.ts: worker_threads,
 * as `flywheel train --workers N` runs it) and in Chromium (the lab page: the pipeline worker's pool
 * of web workers, RunRequest.trialWorkers). Every run is the same search — penguins, seed 42, the
 * wasm backend, a budget far above what the plan needs — so every run does the same 117 tasks and
 * must choose the same trial. Configurations alternate over rounds (the order reversed every other
 * round) so a drift in the machine's load falls on all of them; the baseline is the 1-worker run of
 * the same runtime and round.
 *
 * Besides wall time it reports where a speed-up short of the worker count goes: the summed time of
 * the tasks themselves (a task that runs slower beside another shows there), the share of the
 * workers' time spent in tasks, and the bound the plan's rung barriers set with these task times.
 * `SEARCH_ROUNDS=n` sets the rounds (default 3).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { nodeSourceIO } from '../cli/node-io';
import { useNodeBackend } from '../cli/tfjs-node';
import { nodeTrialPool } from '../cli/trial-pool';
import { runPipeline } from '../core/pipeline';
import { describeConfig } from '../core/search/space';
import type { SearchReport, TrialPool, TrialRecord } from '../core/search/types';
import { startNodeEdge } from '../edge/runtime/node';
import { fmt, launchChromium, markdownTable, type BenchResult } from './harness';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The search every run does: the full plan (the budget is never reached), on the backend both runtimes share. */
const SPEC = {
  data: 'sample:penguins',
  target: 'Species',
  model: { type: 'auto', budget: '30m' },
  train: { seed: 42 },
};
const BACKEND = 'wasm';
/** Three rounds: a median that one disturbed run does not move, in about ten minutes on two cores. */
const ROUNDS = Number(process.env.SEARCH_ROUNDS ?? 3);

type Runtime = 'Node' | 'Chromium';

interface Measured {
  runtime: Runtime;
  workers: number;
  round: number;
  report: SearchReport;
  /** Every candidate at every rung it finished (the `trial` events), with its tasks' summed time. */
  trials: TrialRecord[];
  /** Node: the search's wait for its threads (started with the run, as the CLI does) to hold tfjs and the data. */
  startMs?: number;
  load: number;
}

async function nodeSearch(workers: number): Promise<Omit<Measured, 'runtime' | 'round' | 'load'>> {
  const pool = nodeTrialPool(workers, BACKEND);
  // As `flywheel train` does: the threads start while the data loads.
  pool.start();
  const trials: TrialRecord[] = [];
  let startMs = NaN;
  const timed: TrialPool = {
    size: pool.size,
    async load(data) {
      const t0 = performance.now();
      await pool.load(data);
      startMs = performance.now() - t0;
    },
    run: (task, signal) => pool.run(task, signal),
  };
  try {
    const result = await runPipeline(SPEC, {
      io: nodeSourceIO,
      backend: BACKEND,
      codeVersion: 'bench',
      trialPool: timed,
      onEvent: (e) => {
        if (e.type === 'trial') trials.push(e.record);
      },
    });
    return { workers, report: result.search!, trials, startMs };
  } finally {
    await pool.close();
  }
}

/** One search in a fresh lab page (a fresh pipeline worker: no step cache from the run before). */
async function browserSearch(
  browser: Browser,
  url: string,
  workers: number,
): Promise<Omit<Measured, 'runtime' | 'round' | 'load'>> {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}/lab.html`);
    await page.locator('#backends[data-ready="true"]').waitFor({ timeout: 60_000 });
    // A string, not a function: tsx's keepNames helpers do not exist in the page.
    const out = (await page.evaluate(`(async () => {
      const events = [];
      await window.lab.train(${JSON.stringify(SPEC)}, ${JSON.stringify(BACKEND)}, events, { trialWorkers: ${workers} });
      return {
        report: events.find((e) => e.type === 'search').report,
        trials: events.filter((e) => e.type === 'trial').map((e) => e.record),
      };
    })()`)) as { report: SearchReport; trials: TrialRecord[] };
    return { workers, ...out };
  } finally {
    await page.close();
  }
}

/** Higher score first, then lower loss, then the earlier candidate: the search's own order (search.ts). */
const better = (a: TrialRecord, b: TrialRecord) => b.score - a.score || a.loss - b.loss || a.trial - b.trial;

/**
 * The search's wall time with `lanes` workers if tasks cost what they cost here and nothing else did:
 * each rung's tasks in the search's order (candidates ranked by the rung before, folds in turn; a
 * candidate's folds taken as equal), each to the lane that frees first, the next rung after the last.
 */
function scheduleMs(m: Measured, lanes: number): number {
  const folds = m.report.folds;
  let total = 0;
  for (let rung = 0; ; rung++) {
    const here = m.trials.filter((t) => t.rung === rung);
    if (here.length === 0) return total;
    const before = new Map(m.trials.filter((t) => t.rung === rung - 1).map((t) => [t.trial, t]));
    const order =
      rung === 0
        ? here.sort((a, b) => a.trial - b.trial)
        : here.sort((a, b) => better(before.get(a.trial)!, before.get(b.trial)!));
    const free = new Array<number>(lanes).fill(0);
    for (const t of order)
      for (let f = 0; f < folds; f++) {
        const i = free.indexOf(Math.min(...free));
        free[i] += t.ms / folds;
      }
    total += Math.max(...free);
  }
}

const taskMs = (m: Measured) => m.trials.reduce((s, t) => s + t.ms, 0);
const tasks = (m: Measured) => m.trials.length * m.report.folds;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const chosen = (r: SearchReport) => `#${r.chosenTrial} ${describeConfig(r.chosen)}`;
const leaderboardKey = (r: SearchReport) =>
  r.leaderboard.map((t) => `${t.trial}:${t.rung}:${t.score}:${t.status}`).join();

export async function bench(): Promise<BenchResult> {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  await useNodeBackend(BACKEND);
  const edge = await startNodeEdge({
    port: 0,
    dataDir: await mkdtemp(path.join(tmpdir(), 'flywheel-sbench-')),
    webRoot: path.join(root, 'dist', 'web'),
    version: 'bench',
    autoTick: false,
  });
  const browser = await launchChromium();
  const load0 = os.loadavg()[0];
  const runs: Measured[] = [];
  try {
    const url = edge.url.replace('127.0.0.1', 'localhost');
    const probe = await browser.newPage();
    await probe.goto(`${url}/lab.html`);
    const browserCores = (await probe.evaluate('navigator.hardwareConcurrency')) as number;
    await probe.close();
    const counts = (all: number) => [...new Set([1, 2, all])].sort((a, b) => a - b);
    const configs: [Runtime, number][] = [
      ...counts(os.availableParallelism()).map((n): [Runtime, number] => ['Node', n]),
      ...counts(browserCores).map((n): [Runtime, number] => ['Chromium', n]),
    ];
    // One untimed search per runtime first: module, wasm and disk caches warm for every timed run alike.
    await nodeSearch(2);
    await browserSearch(browser, url, 2);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [runtime, workers] of round % 2 ? [...configs].reverse() : configs) {
        const load = os.loadavg()[0];
        const m = runtime === 'Node' ? await nodeSearch(workers) : await browserSearch(browser, url, workers);
        runs.push({ ...m, runtime, round, load });
        console.error(
          `round ${round + 1}/${ROUNDS} ${runtime} ${workers} worker(s): ${fmt(m.report.elapsedMs / 1000, 1)} s, ${chosen(m.report)} (load ${fmt(load, 2)})`,
        );
      }
    }
    const load1 = os.loadavg()[0];
    return {
      title: 'Model search speed with 1, 2 and all trial workers (Node threads, Chromium web workers)',
      markdown: render(runs, configs, load0, load1, os.availableParallelism(), browserCores),
    };
  } finally {
    await browser.close();
    await edge.close();
  }
}

function render(
  runs: Measured[],
  configs: [Runtime, number][],
  load0: number,
  load1: number,
  nodeCores: number,
  browserCores: number,
): string {
  const of = (runtime: Runtime, workers: number) => runs.filter((m) => m.runtime === runtime && m.workers === workers);
  const base = (m: Measured) => of(m.runtime, 1).find((b) => b.round === m.round)!;
  const all = (runtime: Runtime) => (runtime === 'Node' ? nodeCores : browserCores);
  const rows = configs.map(([runtime, workers]) => {
    const ms = of(runtime, workers);
    const wall = median(ms.map((m) => m.report.elapsedMs));
    const speedUp = median(ms.map((m) => base(m).report.elapsedMs / m.report.elapsedMs));
    const work = median(ms.map(taskMs));
    const busy = median(ms.map((m) => taskMs(m) / (workers * m.report.elapsedMs)));
    const bound = median(ms.map((m) => scheduleMs(base(m), 1) / scheduleMs(base(m), workers)));
    const choices = [...new Set(ms.map((m) => chosen(m.report)))];
    const start = median(ms.map((m) => m.startMs ?? NaN));
    return [
      runtime,
      `${workers}${workers === all(runtime) ? ' (all)' : ''}`,
      `${fmt(wall / 1000, 1)} s (${fmt(Math.min(...ms.map((m) => m.report.elapsedMs)) / 1000, 1)}–${fmt(Math.max(...ms.map((m) => m.report.elapsedMs)) / 1000, 1)})`,
      fmt((tasks(ms[0]) * 60_000) / wall, 0),
      fmt((ms[0].trials.length * 60_000) / wall, 0),
      workers === 1 ? '1 (baseline)' : `**${fmt(speedUp, 2)}×**`,
      Number.isNaN(start) ? 'n/a' : `${fmt(start / 1000, 1)} s`,
      `${fmt(work / 1000, 1)} s`,
      `${fmt(busy * 100, 0)} %`,
      workers === 1 ? '' : `${fmt(bound, 2)}×`,
      choices.join(' / '),
    ];
  });
  const sameChoice = (runtime: Runtime) =>
    new Set(runs.filter((m) => m.runtime === runtime).map((m) => chosen(m.report))).size === 1;
  const sameBoard = (runtime: Runtime) =>
    new Set(runs.filter((m) => m.runtime === runtime).map((m) => leaderboardKey(m.report))).size === 1;
  const cut = runs.filter((m) => m.report.budgetReached).length;
  const loads = runs.map((m) => m.load);
  const first = runs[0];
  return [
    `The same search in every run: \`${JSON.stringify(SPEC)}\` on tfjs ${BACKEND} (${tasks(first)} tasks: ${first.trials.length} candidate-rungs × ${first.report.folds} folds, ${first.report.validation}), with 1, 2 and all workers (Node: \`os.availableParallelism()\` = ${nodeCores}; Chromium: \`navigator.hardwareConcurrency\` = ${browserCores}). Node runs \`runPipeline\` with \`nodeTrialPool(n)\` started as \`flywheel train\` starts it; Chromium runs the lab page's \`lab.train(spec, 'wasm', events, { trialWorkers: n })\` in a fresh page each time (pipeline worker → n trial web workers). ${ROUNDS} rounds, configurations alternating (reversed every other round), after one untimed search per runtime. "search" is the search's own wall time (\`SearchReport.elapsedMs\`: starting the workers, sending the data, every task), median (min–max); speed-up is the median over rounds of the 1-worker run's time over this one's in the same round. "waiting for workers" is, in Node, the search's wait for its threads to hold tfjs and the data (through tsx here; the built CLI's thread is bundled); "task time" sums the tasks' own training time (measured inside the workers); "busy" is that over workers × wall; "rung bound" is the speed-up the plan allows with the 1-worker run's task times and nothing else (rung barriers, a last rung of ${first.trials.filter((t) => t.rung === 2).length * first.report.folds} tasks).`,
    '',
    markdownTable(
      [
        'runtime',
        'workers',
        'search',
        'tasks/min',
        'candidate-rungs/min',
        'speed-up',
        'waiting for workers',
        'task time',
        'busy',
        'rung bound',
        'chosen trial',
      ],
      rows,
    ),
    '',
    `Same chosen trial at every worker count: Node ${sameChoice('Node') ? 'yes' : '**no**'}, Chromium ${sameChoice('Chromium') ? 'yes' : '**no**'}; the whole leaderboard (scores to the last bit) identical: Node ${sameBoard('Node') ? 'yes' : 'no'}, Chromium ${sameBoard('Chromium') ? 'yes' : 'no'}.${cut ? ` **${cut} run(s) reached the budget**: their work differs.` : ''}`,
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, shared; 1-minute load average ${fmt(load0, 2)} at the start, ${fmt(load1, 2)} at the end (${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)} at the runs' starts).`,
  ].join('\n');
}
