import type { BatchProgress, EpochMetrics } from '../model/train-types';
import type { SearchReport, TrialRecord } from '../search/types';

/** Pipeline steps in order. */
export const STEPS = ['ingest', 'validate', 'transform', 'train', 'evaluate', 'gate', 'package'] as const;
export type StepName = (typeof STEPS)[number];

/** What a run tells its watchers (CLI progress bar, notebook charts, tracker), as one typed union. */
export type RunEvent =
  | { type: 'step-start'; step: StepName }
  /** `failed`: the step ran but its verdict is a failure (the gate step when a gate check fails). */
  | { type: 'step-end'; step: StepName; ms: number; cached: boolean; summary: string; failed?: boolean }
  | { type: 'epoch'; metrics: EpochMetrics; epochs: number }
  | { type: 'batch'; progress: BatchProgress; epochs: number }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  /** A model search candidate finished a rung (`model.type: auto`): a leaderboard row, new or updated. */
  | { type: 'trial'; record: TrialRecord; done: number; planned: number }
  /** The search is over; the chosen configuration trains next (epoch events follow). */
  | { type: 'search'; report: SearchReport };
