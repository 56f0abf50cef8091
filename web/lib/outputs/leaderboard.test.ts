import { describe, expect, it } from 'vitest';
import { candidates, DEFAULT_CANDIDATES } from '../../../core/search/space';
import type { SearchReport, TrialRecord } from '../../../core/search/types';
import { formatScore, latestRecords, leaderboardRows, rungSeries } from './leaderboard';

function record(trial: number, rung: number, score: number, over: Partial<TrialRecord> = {}): TrialRecord {
  return {
    trial,
    config: candidates(DEFAULT_CANDIDATES.length, 1, 300)[trial % DEFAULT_CANDIDATES.length],
    seed: trial,
    rung,
    epochs: [4, 13, 40][rung],
    score,
    spread: 0.01,
    loss: 1 - score,
    bestEpochs: 3,
    ms: 1200,
    backend: 'wasm',
    status: 'finished',
    ...over,
  };
}

describe('the model search leaderboard', () => {
  // As the events come: three candidates at rung 1, then trial 2 promoted and scored at rung 2.
  const live = [record(0, 0, 0.8), record(1, 0, 0.9), record(2, 0, 0.85), record(2, 1, 0.95)];

  it('keeps each candidate at its furthest rung, furthest rungs first, best first within a rung', () => {
    expect(latestRecords(live).map((r) => [r.trial, r.rung])).toEqual([
      [2, 1],
      [1, 0],
      [0, 0],
    ]);
  });

  it('live rows say which rung scored them; the report gives the final statuses and marks the choice', () => {
    const rows = leaderboardRows(live, null);
    expect(rows.map((r) => r.status)).toEqual(['scored at rung 2', 'scored at rung 1', 'scored at rung 1']);
    expect(rows[0].model).toBe('linear l2 1e-4 · lr 0.03 · batch 16');
    const report = {
      chosenTrial: 2,
      leaderboard: [
        record(2, 1, 0.95),
        record(1, 0, 0.9, { status: 'dropped' }),
        record(0, 0, 0.8, { status: 'budget' }),
      ],
    } as SearchReport;
    const final = leaderboardRows(live, report);
    expect(final.map((r) => [r.trial, r.status, r.chosen])).toEqual([
      [2, 'chosen', true],
      [1, 'dropped after rung 1', false],
      [0, 'cut by the budget', false],
    ]);
  });

  it('charts every score it saw, one series per rung, skipping a diverged (non-finite) score', () => {
    const series = rungSeries([...live, record(3, 0, -Infinity)]);
    expect(series.map((s) => s.name)).toEqual(['rung 1 · 4 epochs', 'rung 2 · 13 epochs']);
    expect(series[0].points).toEqual([
      { x: 0, y: 0.8 },
      { x: 1, y: 0.9 },
      { x: 2, y: 0.85 },
    ]);
    expect(series[1].points).toEqual([{ x: 2, y: 0.95 }]);
  });

  it('formats a score with its spread across folds', () => {
    expect(formatScore(0.95361, 0.02132)).toBe('0.9536 ± 0.0213');
    expect(formatScore(0.5, 0)).toBe('0.5000');
    expect(formatScore(NaN, 0)).toBe('—');
  });
});
