/**
 * The contract every inference engine meets (the lean runtime and the tfjs fallback): rows in, rows
 * out, as flat row-major Float32Arrays, so the edge and the CLI never care which one is serving.
 */
import { FlywheelError } from '../errors';

export interface Predictor {
  /** Which engine runs the model: the lean runtime, or tfjs for models the lean one cannot run. */
  readonly kind: 'lean' | 'tfjs';
  /** Shape of one input row and one output row (batch axis removed). */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Floats per input row and per output row. */
  readonly inputDim: number;
  readonly outputDim: number;
  /** `[rows, inputDim]` row-major in, a fresh `[rows, outputDim]` row-major out. */
  predict(input: Float32Array, rows: number): Float32Array;
  /** Frees what the engine holds (tfjs tensors); the predictor is unusable afterwards. */
  dispose(): void;
}

/** Throws `bad_input` unless `input` holds exactly `rows` rows of `inputDim` floats. */
export function checkPredictInput(input: Float32Array, rows: number, inputDim: number): void {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new FlywheelError('bad_input', `rows must be a non-negative integer, got ${rows}`, [
      { path: 'rows', message: 'not a row count' },
    ]);
  }
  if (!(input instanceof Float32Array) || input.length !== rows * inputDim) {
    const got = input instanceof Float32Array ? `${input.length} values` : 'no Float32Array';
    throw new FlywheelError(
      'bad_input',
      `predict expected ${rows} rows × ${inputDim} features = ${rows * inputDim} values, got ${got}`,
      [{ path: 'input', message: `expected ${rows * inputDim} values` }],
    );
  }
}
