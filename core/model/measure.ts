import { buildModel } from './build-model';
import type { Head } from './head';
import type { FixedModelSpec, TrainSpec } from './spec';
import { trainModel } from './train';

/** Rows per measured epoch: a few batches, enough to amortise a kernel launch, short enough to try every backend. */
const PROBE_ROWS = 512;

export interface TrainingProbe {
  model: FixedModelSpec;
  train: TrainSpec;
  head: Head;
  inputDim: number;
  x: Float32Array;
  y: Int32Array | Float64Array;
  rows: number;
}

/**
 * Training samples per second of the actual model on the current tfjs backend: two short epochs,
 * the first absorbing shader compilation and uploads, the second timed. Disposes everything it made.
 */
export async function measureTrainingSpeed(probe: TrainingProbe): Promise<number> {
  const rows = Math.min(probe.rows, PROBE_ROWS);
  const model = buildModel(probe.model, probe.inputDim, probe.head, probe.train.seed);
  try {
    const result = await trainModel({
      model,
      head: probe.head,
      x: probe.x.subarray(0, rows * probe.inputDim),
      y: probe.y.subarray(0, rows) as Int32Array | Float64Array,
      rows,
      spec: { ...probe.train, epochs: 2, earlyStopping: null, classWeights: 'none' },
    });
    return result.history[1]?.samplesPerSec ?? result.samplesPerSec;
  } finally {
    model.dispose();
  }
}
