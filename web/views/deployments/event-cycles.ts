/**
 * The audit log as one timeline: the automation's events grouped into cycles (a trigger, its retrain
 * job, the version it published, its verification, its rollout steps and how it ended), the rest
 * (publishes, alias moves, policy changes) as single entries between them, newest first.
 */
import type { ModelEvent } from '../../../core/api/contract';

/** Events that belong to the cycle a trigger opened. */
const CYCLE_STEPS = new Set([
  'job',
  'job_claimed',
  'job_retry',
  'job_released',
  'job_done',
  'job_failed',
  'verify',
  'rollout_step',
  'promote',
  'rollback',
]);

export type CycleOutcome = 'promoted' | 'rolled back' | 'refused' | 'failed' | 'in progress';

export interface Cycle {
  trigger: ModelEvent;
  /** The trigger and every step after it, oldest first. */
  steps: ModelEvent[];
  job: string | null;
  /** The version the retrain published, once it has. */
  version: number | null;
  verify: ModelEvent | null;
  rollout: ModelEvent[];
  outcome: CycleOutcome;
}

export type TimelineEntry =
  { kind: 'cycle'; at: string; cycle: Cycle } | { kind: 'event'; at: string; event: ModelEvent };

const record = (data: unknown): Record<string, unknown> =>
  data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};

/** Whether a verify event refused its version (its report says `passed: false`). */
export function verifyPassed(e: ModelEvent): boolean {
  return record(e.data).passed === true;
}

/** Groups `events` (any order) into cycles and single events, newest first. */
export function timeline(events: readonly ModelEvent[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let open: Cycle | null = null;
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    if (e.type === 'trigger') {
      open = { trigger: e, steps: [e], job: null, version: null, verify: null, rollout: [], outcome: 'in progress' };
      out.push({ kind: 'cycle', at: e.at, cycle: open });
      continue;
    }
    // The runner publishes the retrained version between claiming the job and reporting it done.
    const publishOfJob = e.type === 'publish' && open !== null && open.job !== null && open.version === null;
    if (open === null || (!CYCLE_STEPS.has(e.type) && !publishOfJob)) {
      out.push({ kind: 'event', at: e.at, event: e });
      continue;
    }
    const c: Cycle = open;
    c.steps.push(e);
    const data = record(e.data);
    if (e.type === 'job' && typeof data.job === 'string') c.job = data.job;
    if ((e.type === 'job_done' || e.type === 'publish') && typeof data.version === 'number') c.version = data.version;
    if (e.type === 'rollout_step') c.rollout.push(e);
    if (e.type === 'verify') {
      c.verify = e;
      if (!verifyPassed(e)) c.outcome = 'refused';
    }
    if (e.type === 'job_failed') c.outcome = 'failed';
    if (e.type === 'promote') c.outcome = 'promoted';
    if (e.type === 'rollback') c.outcome = 'rolled back';
    if (c.outcome !== 'in progress') open = null;
  }
  return out.reverse();
}

/** Versions the automation refused (failed verification, or rolled back from a canary), with the latest reason. */
export function refusedVersions(events: readonly ModelEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    const v = record(e.data).version;
    if (typeof v !== 'number') continue;
    if ((e.type === 'verify' && !verifyPassed(e)) || e.type === 'rollback') out.set(v, e.reason);
  }
  return out;
}
