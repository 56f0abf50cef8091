import type { BatchProgress, EpochMetrics } from '../model/train-types';

/** Pipeline steps in order. */
export const STEPS = ['ingest', 'validate', 'transform', 'train', 'evaluate', 'gate', 'package'] as const;
export type StepName = (typeof STEPS)[number];

/** What a run tells its watchers (CLI progress bar, notebook charts, tracker), as one typed union. */
export type RunEvent =
  | { type: 'step-start'; step: StepName }
  | { type: 'step-end'; step: StepName; ms: number; cached: boolean; summary: string }
  | { type: 'epoch'; metrics: EpochMetrics; epochs: number }
  | { type: 'batch'; progress: BatchProgress; epochs: number }
  | { type: 'log'; level: 'info' | 'warn'; message: string };
