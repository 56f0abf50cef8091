/** How the CLI shows a model search: its leaderboard as a table, and the choice. */
import { describeBatchProbe, describeConfig } from '../core/search/space';
import type { SearchReport } from '../core/search/types';
import { textTable } from './format';

/** Rows the leaderboard shows; report.json has them all. */
export const LEADERBOARD_ROWS = 10;

/** The best `rows` candidates (the chosen one marked `*`), and a line on what the search did and chose. */
export function leaderboardText(report: SearchReport, rows = LEADERBOARD_ROWS): string {
  const metric = report.metric === 'accuracy' ? 'accuracy' : 'R²';
  const shown = report.leaderboard.slice(0, rows);
  const table = textTable(
    [
      'trial',
      'model',
      `${report.validation === 'k-fold' ? 'CV' : 'val'} ${metric}`,
      'rung',
      'epochs',
      'time',
      'backend',
      'status',
    ],
    shown.map((r) => [
      `${r.trial === report.chosenTrial ? '*' : ' '}${r.trial}`,
      describeConfig(r.config),
      `${r.score.toFixed(3)} ± ${r.spread.toFixed(3)}`,
      String(r.rung + 1),
      String(r.epochs),
      `${(r.ms / 1000).toFixed(1)}s`,
      r.backend,
      r.status,
    ]),
  );
  const validation = report.validation === 'k-fold' ? `${report.folds}-fold cross-validation` : 'the validation split';
  const more = report.leaderboard.length > shown.length ? ` (best ${shown.length} shown; all in report.json)` : '';
  const batches = describeBatchProbe(report);
  return `model search: ${report.leaderboard.length} candidates on ${validation} in ${(report.elapsedMs / 1000).toFixed(1)} s with ${report.workers} worker${report.workers === 1 ? '' : 's'}${report.budgetReached ? ', cut short by the budget' : ''}${more}${batches ? `\n${batches}` : ''}
${table}
chose trial ${report.chosenTrial}: ${describeConfig(report.chosen)}`;
}
