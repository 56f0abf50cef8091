/**
 * A pipeline cell's output: the whole run's report in one MIME type of its own, plus markdown and
 * text fallbacks, so the report survives `.ipynb` export and other viewers still show the headline.
 */
import type { GateReport } from '../../../core/gates';
import type { EpochMetrics } from '../../../core/model/train-types';
import type { StepName } from '../../../core/pipeline/events';
import { describeConfig } from '../../../core/search/space';
import type { SearchReport } from '../../../core/search/types';
import type { EnsembleRecord } from '../../../core/model/merge-members';
import type { MimeBundle } from '../../../workers/protocol';
import type { ResidualSummary } from './residual-summary';

export const RUN_MIME = 'application/vnd.flywheel.run+json';

export interface StepRecord {
  step: StepName;
  ms: number;
  cached: boolean;
  summary: string;
}

export interface RunSummary {
  runId: string;
  name: string;
  /** The column the model predicts. */
  target?: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  task?: 'classification' | 'regression';
  /** The backend that trained, and (for `auto`) why, with samples/s per backend tried. */
  backend?: string;
  backendReason?: string;
  measurements?: Record<string, number>;
  metrics?: Record<string, number | null>;
  /** Full metrics: ClassificationMetrics (confusion matrix, per class) or RegressionMetrics. */
  details?: unknown;
  residuals?: ResidualSummary;
  /** The model search's leaderboard and choice (`model.type: auto`). */
  search?: SearchReport;
  /** The chosen model's refits averaged into the served model, when there were several. */
  ensemble?: EnsembleRecord;
  gates?: GateReport | null;
  history: EpochMetrics[];
  /** Epochs the spec asked for (training may stop early). */
  epochs: number;
  steps: StepRecord[];
  warnings: string[];
  error?: string;
  bundleId?: string;
  durationMs: number;
}

export type RunBundle = MimeBundle & { [RUN_MIME]?: RunSummary };

/** The run's report as a cell output. */
export function runBundle(summary: RunSummary): RunBundle {
  return { [RUN_MIME]: summary, 'text/markdown': runMarkdown(summary), 'text/plain': runHeadline(summary) };
}

export function runSummaryOf(bundle: MimeBundle): RunSummary | undefined {
  return (bundle as RunBundle)[RUN_MIME];
}

/** Metrics shown first, by task. */
export const HEADLINE_METRICS = {
  classification: ['accuracy', 'balanced_accuracy', 'f1_macro', 'roc_auc', 'log_loss'],
  regression: ['r2', 'rmse', 'mae', 'mape'],
} as const;

export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : v.toFixed(a >= 100 ? 1 : 4);
}

function headline(s: RunSummary): [string, number | null][] {
  const names = s.task ? HEADLINE_METRICS[s.task] : [];
  return names.filter((n) => s.metrics && n in s.metrics).map((n) => [n, s.metrics![n]]);
}

function runHeadline(s: RunSummary): string {
  if (s.status !== 'succeeded') return `${s.name}: ${s.status}${s.error ? ` — ${s.error}` : ''}`;
  return `${s.name}: ${headline(s)
    .map(([n, v]) => `${n} ${formatMetric(v)}`)
    .join(', ')} (${s.backend})`;
}

function runMarkdown(s: RunSummary): string {
  const lines = [
    `**Run ${s.name}** — ${s.status}${s.backend ? ` on ${s.backend}` : ''}, ${s.history.length} epochs, ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (s.error) lines.push('', `> ${s.error}`);
  const h = headline(s);
  if (h.length)
    lines.push('', '| metric | value |', '|---|---|', ...h.map(([n, v]) => `| ${n} | ${formatMetric(v)} |`));
  if (s.search)
    lines.push(
      '',
      `Model search: ${s.search.leaderboard.length} candidates, chose trial ${s.search.chosenTrial} (${describeConfig(s.search.chosen)})${s.ensemble ? `; ${ensembleSummary(s.ensemble)}` : ''}`,
    );
  if (s.gates) lines.push('', `Gates: ${s.gates.summary}`);
  for (const w of s.warnings) lines.push('', `⚠ ${w}`);
  return lines.join('\n');
}

/** One line on an ensemble of refits: how many, on which seeds, served as one model. */
export function ensembleSummary(e: EnsembleRecord): string {
  return `refit ${e.members} times (seeds ${e.seeds.join(', ')}) and averaged into the one model served`;
}
