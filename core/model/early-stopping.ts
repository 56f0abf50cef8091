/**
 * Keras's EarlyStopping rule as a pure state machine: an epoch improves when the monitored value drops
 * by more than `minDelta` below the best so far; after `patience` epochs without one, training stops.
 * A non-finite value never improves.
 */
import type { EarlyStoppingSpec } from './spec';

export interface StopperState {
  readonly best: number;
  readonly bestEpoch: number;
  /** Epochs since the last improvement. */
  readonly wait: number;
}

export const INITIAL_STOPPER: StopperState = { best: Infinity, bestEpoch: -1, wait: 0 };

export interface StopperStep {
  readonly state: StopperState;
  readonly improved: boolean;
  readonly stop: boolean;
}

/** The state after `epoch` reported `value`. */
export function stepStopper(state: StopperState, epoch: number, value: number, spec: EarlyStoppingSpec): StopperStep {
  const improved = Number.isFinite(value) && value < state.best - spec.minDelta;
  if (improved) return { state: { best: value, bestEpoch: epoch, wait: 0 }, improved, stop: false };
  const wait = state.wait + 1;
  return { state: { ...state, wait }, improved, stop: wait >= spec.patience };
}
