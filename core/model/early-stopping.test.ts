import { describe, it, expect } from 'vitest';
import { INITIAL_STOPPER, stepStopper, type StopperState } from './early-stopping';

function run(values: number[], patience: number, minDelta = 0): { state: StopperState; stoppedAt: number } {
  let state = INITIAL_STOPPER;
  for (let epoch = 0; epoch < values.length; epoch++) {
    const step = stepStopper(state, epoch, values[epoch], { patience, minDelta, metric: 'val_loss' });
    state = step.state;
    if (step.stop) return { state, stoppedAt: epoch };
  }
  return { state, stoppedAt: -1 };
}

describe('stepStopper', () => {
  it('stops after `patience` epochs without improvement and remembers the best epoch', () => {
    const { state, stoppedAt } = run([1, 0.8, 0.9, 0.85, 0.95, 0.7], 3);
    expect(stoppedAt).toBe(4);
    expect(state.bestEpoch).toBe(1);
    expect(state.best).toBe(0.8);
  });

  it('resets the wait on improvement', () => {
    expect(run([1, 1.1, 0.9, 1.1, 0.8, 1.2], 2).stoppedAt).toBe(-1);
  });

  it('counts only drops larger than minDelta as improvements (Keras min_delta)', () => {
    const { state, stoppedAt } = run([1, 0.95, 0.91, 0.5], 2, 0.1);
    expect(stoppedAt).toBe(2);
    expect(state.bestEpoch).toBe(0);
  });

  it('never counts NaN as an improvement', () => {
    const { state, stoppedAt } = run([NaN, 2, NaN, NaN], 2);
    expect(state.bestEpoch).toBe(1);
    expect(stoppedAt).toBe(3);
  });
});
