/**
 * The refit ensemble after a search: the choice trained several times on the same rows, each on its
 * own seed, within what is left of the budget.
 */
import { deriveSeed } from '../model/seeds';
import type { TrainResult } from '../model/train-types';
import type { RunEvent } from './events';

/**
 * Members of the refit ensemble after a search, merged into one model that averages them
 * (bagging over seeds). 3: on bench/quality.bench.ts (test splits the search never saw) three members
 * took the bar from 4 to 7 of 9 sets (seattle-weather +0.017 accuracy, cars +0.019 R², wine and
 * breast_cancer by a test row, diabetes +0.016 R²) and lost none; five did worse than three on
 * seattle-weather and diabetes. A refit is cheap next to the search
 * (under a second on most sets), and serving grows with it: the merged model computes members × the
 * hidden units, and its deeper layers are block-diagonal, members² × the weights.
 */
export const REFIT_MEMBERS = 3;
/** Salt of the members' seeds after the first (the first trains on the spec's own seed). */
const MEMBER_SALT = 0x6d656d;

export interface RefitMembers {
  results: TrainResult[];
  seeds: number[];
  /** Each member's training time on the step's clock. */
  ms: number[];
}

/**
 * Trains up to `count` members with `train(seed, first)`: the first on `seed` itself (alone, it is
 * the single refit), the others on seeds derived from it. A member starts only if it should end
 * before `stopAt`, judged by the slowest one so far, and one that the deadline cut short is left out;
 * fewer than `count` is said in a warning. On an error the members trained so far are disposed.
 */
export async function trainMembers(o: {
  count: number;
  seed: number;
  /** Epochs a member must run to count (k-fold refits train a fixed number); absent: early stopping decides. */
  epochs?: number;
  stopAt?: number;
  now: () => number;
  emit: (e: RunEvent) => void;
  train: (seed: number, first: boolean) => Promise<TrainResult>;
}): Promise<RefitMembers> {
  const out: RefitMembers = { results: [], seeds: [], ms: [] };
  try {
    for (let i = 0; i < o.count; i++) {
      if (i > 0 && o.stopAt !== undefined && o.now() + Math.max(...out.ms) > o.stopAt) break;
      const seed = i === 0 ? o.seed : deriveSeed(o.seed, i, MEMBER_SALT);
      if (i > 0)
        o.emit({ type: 'log', level: 'info', message: `ensemble member ${i + 1} of ${o.count} (seed ${seed})` });
      const t0 = o.now();
      const result = await o.train(seed, i === 0);
      // Half-trained, a later member would drag the mean; the first is the model either way.
      if (i > 0 && (result.outOfTime || (o.epochs !== undefined && result.epochsRun < o.epochs))) {
        result.model.dispose();
        break;
      }
      out.results.push(result);
      out.seeds.push(seed);
      out.ms.push(o.now() - t0);
    }
  } catch (e) {
    for (const r of out.results) r.model.dispose();
    throw e;
  }
  if (out.results.length < o.count) {
    const made = out.results.length === 1 ? 'the single refit is the model' : `${out.results.length} are averaged`;
    o.emit({
      type: 'log',
      level: 'warn',
      message: `the budget left room for ${out.results.length} of ${o.count} refits of the chosen model: ${made} (a longer model.budget makes room for the rest)`,
    });
  }
  return out;
}
