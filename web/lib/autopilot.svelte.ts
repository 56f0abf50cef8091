/**
 * The tab's one Autopilot runner: it claims retrain jobs of the models switched on (in the
 * Deployments view) and runs them in the pipeline worker. Which models are on is kept in settings,
 * so a reload carries on where it was. While the queue is empty it asks again with backoff; switching
 * a model off stops its job in progress and hands the job back to the edge without using a retry,
 * and so does closing the tab.
 */
import { EdgeClient } from '../../core/api/client';
import { errorMessage } from '../../core/errors';
import { getSetting, setSetting, type EdgeTarget } from './db';
import { listEdges } from './edges';
import { pipeline } from './workers';

/** The settings key of the models whose jobs this browser runs: `{ edge, model }` pairs. */
export const AUTOPILOT_SETTING = 'autopilot';
/** First wait after an empty queue: jobs are rare, and a claim is a database write on the edge. */
export const IDLE_POLL_MS = 3_000;
/** The longest wait between claims while idle or while the edge fails: a queued job still starts within seconds. */
export const MAX_POLL_MS = 15_000;
/** Lines of the runner's log kept for the panel. */
const LOG_LINES = 50;

interface AutopilotEntry {
  edge: string;
  model: string;
}

interface Held {
  edge: string;
  key: string;
  job: string;
  model: string;
}

export const autopilot = $state({
  /** The models switched on, as stored. */
  entries: [] as AutopilotEntry[],
  /** The runner's name as the edge sees it: one per tab. */
  runner: `browser-${crypto.randomUUID().slice(0, 8)}`,
  log: [] as string[],
  /** The job in progress, if any. */
  held: null as Held | null,
});

let loop: Promise<void> | null = null;
let wake: (() => void) | null = null;

function say(line: string): void {
  autopilot.log = [`${new Date().toLocaleTimeString()} ${line}`, ...autopilot.log].slice(0, LOG_LINES);
}

/** Whether `model` on `edge` is switched on in this browser. */
export function autopilotOn(edge: string, model: string): boolean {
  return autopilot.entries.some((e) => e.edge === edge && e.model === model);
}

/** Switches the Autopilot on or off for one model; remembered across reloads. */
export async function setAutopilot(edge: EdgeTarget, model: string, on: boolean): Promise<void> {
  if (on === autopilotOn(edge.url, model)) return;
  autopilot.entries = on
    ? [...autopilot.entries, { edge: edge.url, model }]
    : autopilot.entries.filter((e) => !(e.edge === edge.url && e.model === model));
  await setSetting(AUTOPILOT_SETTING, $state.snapshot(autopilot.entries));
  if (on) {
    say(`Autopilot on for ${model}: ${autopilot.runner} runs its retrain jobs in this tab's pipeline worker`);
    start();
  } else {
    say(`Autopilot off for ${model}`);
    const held = autopilot.held;
    if (held && held.edge === edge.url && held.model === model) await pipeline().stopAutopilot(autopilot.runner);
  }
}

/** Reads the stored switches and starts the runner if any model is on; called once when the app starts. */
export async function resumeAutopilot(): Promise<void> {
  const stored = await getSetting<unknown>(AUTOPILOT_SETTING, []);
  autopilot.entries = Array.isArray(stored)
    ? stored.filter((e): e is AutopilotEntry => typeof e?.edge === 'string' && typeof e?.model === 'string')
    : [];
  if (autopilot.entries.length) {
    say(`Autopilot resumed for ${autopilot.entries.map((e) => e.model).join(', ')}`);
    start();
  }
  addEventListener('pagehide', releaseOnClose);
}

function start(): void {
  wake?.();
  loop ??= run().finally(() => (loop = null));
}

/** Claims and runs jobs while any model is on; one pass asks each edge once. */
async function run(): Promise<void> {
  let wait = IDLE_POLL_MS;
  while (autopilot.entries.length) {
    let worked = false;
    let failed = false;
    for (const [url, models] of byEdge(autopilot.entries)) {
      const edge = (await listEdges()).find((e) => e.url === url);
      if (!edge?.key) {
        say(`no publish key for ${url} in Settings: cannot ask it for jobs`);
        failed = true;
        continue;
      }
      try {
        const out = await pipeline().autopilot(
          { edge: url, key: edge.key, runner: autopilot.runner, models },
          say,
          (job, model) => {
            autopilot.held = { edge: url, key: edge.key!, job, model };
          },
        );
        if (!out) continue;
        worked = true;
        if (out.status === 'succeeded') say(`job ${out.job} published ${out.model} v${out.version}`);
        else if (out.status === 'failed') say(`job ${out.job} failed: ${out.error}`);
        else say(`job ${out.job} handed back to the queue`);
      } catch (e) {
        failed = true;
        say(`could not ask ${url} for a job: ${errorMessage(e)}`);
      } finally {
        autopilot.held = null;
      }
    }
    wait = worked ? IDLE_POLL_MS : Math.min(MAX_POLL_MS, failed ? wait * 2 : Math.round(wait * 1.5));
    if (!worked) await sleep(wait);
  }
}

function byEdge(entries: readonly AutopilotEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of entries) out.set(e.edge, [...(out.get(e.edge) ?? []), e.model]);
  return out;
}

/** Waits `ms`, or less when a model is switched on meanwhile. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      wake = null;
      resolve();
    }
    wake = done;
  });
}

/** A closing tab hands its job back: `keepalive` lets the request outlive the page. */
function releaseOnClose(): void {
  const held = autopilot.held;
  if (!held) return;
  const client = new EdgeClient(held.edge, {
    key: held.key,
    fetch: (input, init) => fetch(input, { ...init, keepalive: true }),
  });
  void client.releaseJob(held.job, autopilot.runner).catch(() => {});
}
