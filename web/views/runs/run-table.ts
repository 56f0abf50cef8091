/**
 * The runs table's logic: sorting by a column, the epochs a run trained against those it asked for
 * (and why fewer: early stopping), and the tags a user types.
 */
import { parsePipelineSpec } from '../../../core/pipeline/spec';
import type { Run } from '../../lib/db';
import { headlineMetrics, keyParams } from './run-params';

export type RunSortKey = 'name' | 'status' | 'backend' | 'model' | 'epochs' | 'learningRate' | 'metric' | 'started';
export type SortDirection = 'ascending' | 'descending';

/** The value a column sorts by; null sorts last whichever the direction. */
function sortValue(run: Run, key: RunSortKey): string | number | null {
  const p = keyParams(run.spec);
  switch (key) {
    case 'name':
      return run.name.toLowerCase();
    case 'status':
      return run.status;
    case 'backend':
      return run.backend ?? null;
    case 'model':
      return `${p.model} ${p.hidden}`;
    case 'epochs':
      return run.history.length || null;
    case 'learningRate':
      return Number.isFinite(Number(p.learningRate)) ? Number(p.learningRate) : null;
    case 'metric': {
      const m = headlineMetrics(run.metrics)[0];
      return m === undefined ? null : (run.metrics?.[m] ?? null);
    }
    case 'started':
      return run.startedAt;
  }
}

/** Runs sorted by a column (stable: ties keep their order); missing values go last. */
export function sortRuns(runs: readonly Run[], key: RunSortKey, direction: SortDirection): Run[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return runs
    .map((run, i) => ({ run, i, v: sortValue(run, key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.run);
}

export interface EpochsRun {
  /** "23/100", or the epochs asked for while nothing has been trained. */
  text: string;
  /** Why fewer epochs ran than were asked for, when early stopping ended the run. */
  earlyStop: string | null;
}

/** Epochs trained against epochs asked for; a finished run that trained fewer was stopped early. */
export function epochsRun(run: Pick<Run, 'spec' | 'history' | 'status'>): EpochsRun {
  const asked = keyParams(run.spec).epochs;
  const ran = run.history.length;
  if (!ran || run.status === 'running') return { text: asked, earlyStop: null };
  let patience: number | null = null;
  let metric = 'val_loss';
  try {
    const es = parsePipelineSpec(run.spec).train.earlyStopping;
    if (es) ({ patience, metric } = es);
  } catch {
    // An unparsable spec still shows its counts.
  }
  const stopped = run.status === 'succeeded' && patience !== null && ran < Number(asked);
  return {
    text: `${ran}/${asked}`,
    earlyStop: stopped
      ? `Early stop: ${metric} did not improve for ${patience} epochs, so training ended after epoch ${ran} of ${asked} and kept the weights of its best epoch.`
      : null,
  };
}

/** Tags as typed ("baseline, Wide net"): trimmed, without empties or repeats, in order. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}
