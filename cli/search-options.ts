/** The model search's command-line options, checked the same way by `train` and `agent`. */
import os from 'node:os';
import { UsageError } from './command';

/** What model.budget accepts (core/model/spec.ts): seconds, minutes or hours. */
const BUDGET = /^(\d+(?:\.\d+)?)(s|m|h)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a --budget value such as 20s, 5m or 1h, or a usage error. */
export function budgetMs(text: string): number {
  const m = BUDGET.exec(text);
  if (!m || Number(m[1]) <= 0)
    throw new UsageError(`--budget "${text}" is not a duration above zero such as 20s, 5m or 1h`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** The --workers value: a whole number of threads ≥ 1, or one per core when not given. */
export function workerCount(text: string | undefined): number {
  const cores = os.availableParallelism();
  if (text === undefined) return cores;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--workers "${text}" is not a whole number of threads ≥ 1 (this machine has ${cores} cores)`);
  return Number(text);
}
