/**
 * The model search's leaderboard as the notebook and the run page show it: one row per candidate at
 * the furthest rung it reached (live, from the search's `trial` events; stored, from its report),
 * best first, and the chart's points, one series per rung.
 */
import { describeBatchProbe, describeConfig } from '../../../core/search/space';
import type { SearchReport, TrialRecord } from '../../../core/search/types';
import type { LineSeries } from '../charts/types';

export interface LeaderboardRow {
  trial: number;
  model: string;
  score: number;
  spread: number;
  /** 1-based, as people count rungs. */
  rung: number;
  epochs: number;
  ms: number;
  backend: string;
  status: string;
  chosen: boolean;
}

/** Higher score first, then lower loss, then the earlier candidate: the search's own order within a rung. */
function better(a: TrialRecord, b: TrialRecord): number {
  return b.score - a.score || a.loss - b.loss || a.trial - b.trial;
}

/** Each candidate's furthest rung (the newest row of it at that rung), furthest rungs first, best first. */
export function latestRecords(records: readonly TrialRecord[]): TrialRecord[] {
  const byTrial = new Map<number, TrialRecord>();
  for (const r of records) {
    const seen = byTrial.get(r.trial);
    if (!seen || r.rung >= seen.rung) byTrial.set(r.trial, r);
  }
  return [...byTrial.values()].sort((a, b) => b.rung - a.rung || better(a, b));
}

function statusText(r: TrialRecord, report: SearchReport | null): string {
  if (!report) return `scored at rung ${r.rung + 1}`;
  if (r.trial === report.chosenTrial) return 'chosen';
  if (r.status === 'dropped') return `dropped after rung ${r.rung + 1}`;
  if (r.status === 'budget') return 'cut by the budget';
  return 'finished';
}

/** Rows of the table: the report's leaderboard once the search is over, else the live rows so far. */
export function leaderboardRows(records: readonly TrialRecord[], report: SearchReport | null): LeaderboardRow[] {
  return (report ? report.leaderboard : latestRecords(records)).map((r) => ({
    trial: r.trial,
    model: describeConfig(r.config),
    score: r.score,
    spread: r.spread,
    rung: r.rung + 1,
    epochs: r.epochs,
    ms: r.ms,
    backend: r.backend,
    status: statusText(r, report),
    chosen: report?.chosenTrial === r.trial,
  }));
}

/** Score per trial, one series per rung (named with its epochs); non-finite scores (a diverged fit) left out. */
export function rungSeries(records: readonly TrialRecord[]): LineSeries[] {
  const rungs = new Map<number, TrialRecord[]>();
  for (const r of records) rungs.set(r.rung, [...(rungs.get(r.rung) ?? []), r]);
  return [...rungs.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([rung, rs]) => ({
      name: `rung ${rung + 1} · ${rs[0].epochs} epochs`,
      points: rs
        .filter((r) => Number.isFinite(r.score))
        .map((r) => ({ x: r.trial, y: r.score }))
        .sort((a, b) => a.x - b.x),
    }));
}

/** `0.9536 ± 0.0213`: the mean of the folds' scores and their spread (± omitted for one fold). */
export function formatScore(score: number, spread: number): string {
  if (!Number.isFinite(score)) return '—';
  return spread > 0 ? `${score.toFixed(4)} ± ${spread.toFixed(4)}` : score.toFixed(4);
}

/** One line on how the search went: method, validation, workers, and (once over) the choice. */
export function searchSummary(report: SearchReport): string {
  const validation = report.validation === 'k-fold' ? `${report.folds}-fold cross-validation` : 'the validation split';
  const batches = describeBatchProbe(report);
  return `Successive halving over ${report.leaderboard.length} candidates, scored by ${report.metric} on ${validation}, ${report.workers} worker${report.workers === 1 ? '' : 's'}, ${(report.elapsedMs / 1000).toFixed(1)} s of a ${(report.budgetMs / 1000).toFixed(0)} s budget${report.budgetReached ? ' (budget reached: the plan was cut short)' : ''}.${batches ? ` ${batches[0].toUpperCase()}${batches.slice(1)}.` : ''}`;
}
