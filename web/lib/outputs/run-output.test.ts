import { describe, expect, it } from 'vitest';
import { candidates, DEFAULT_CANDIDATES } from '../../../core/search/space';
import type { SearchReport } from '../../../core/search/types';
import { runBundle, type RunSummary } from './run-output';

const chosen = candidates(DEFAULT_CANDIDATES.length, 1, 300)[0];
/** The parts of a search report the run's markdown reads. */
const search = { leaderboard: [], chosenTrial: 0, chosen } as unknown as SearchReport;
const base: RunSummary = {
  runId: 'r1',
  name: 'penguins-species',
  status: 'succeeded',
  history: [],
  epochs: 3,
  steps: [],
  warnings: [],
  durationMs: 1000,
  search,
};

describe("a run's report as a cell output", () => {
  it('says when the chosen model was refit several times and averaged, with the seeds', () => {
    const md = runBundle({ ...base, ensemble: { members: 3, seeds: [42, 7, 9], ms: [1, 1, 1] } })['text/markdown'];
    expect(md).toContain('chose trial 0');
    expect(md).toContain('refit 3 times (seeds 42, 7, 9) and averaged into the one model served');
  });

  it('says nothing of an ensemble when the choice was trained once', () => {
    expect(runBundle(base)['text/markdown']).not.toContain('refit');
  });
});
