/**
 * Everything `trainModel` decides before the first step: inputs checked, the net inspected, class
 * weights resolved and what early stopping will watch, with a warning for each lenient choice.
 */
import { FlywheelError } from '../errors';
import { checkFeatures, checkTargets } from './check-inputs';
import { classWeightVector, rowWeights } from './class-weights';
import { trainableNet, type TrainableNet } from './forward';
import { regressionHead } from './head';
import type { TrainOptions } from './train-types';

export interface TrainingPlan {
  readonly inputDim: number;
  readonly net: TrainableNet;
  /** Per-row loss weights, or null when unweighted. */
  readonly rowWeights: Float32Array | null;
  readonly valRows: number;
  /** What early stopping watches, or null when it is off. */
  readonly monitor: 'loss' | 'val_loss' | null;
  readonly warnings: string[];
}

/** Validates `options` (throwing a FlywheelError naming the culprit) and plans the run. */
export function prepareTraining(options: TrainOptions): TrainingPlan {
  const { model, head, spec, rows } = options;
  const warnings: string[] = [];
  const inputDim = model.inputs[0].shape[1];
  if (typeof inputDim !== 'number') throw new FlywheelError('bad_model', 'the model input must be [rows, features]');
  const net = trainableNet(model, head);
  if (!Number.isInteger(rows) || rows < 1) {
    throw new FlywheelError('bad_data', `no training rows (rows = ${rows}): the training split is empty`);
  }
  checkFeatures(options.x, rows, inputDim, 'x');
  checkTargets(options.y, rows, head, 'y');
  const valRows = options.valRows ?? 0;
  if (valRows > 0) {
    if (!options.xVal || !options.yVal)
      throw new FlywheelError('bad_input', `valRows is ${valRows} but xVal or yVal is missing`);
    checkFeatures(options.xVal, valRows, inputDim, 'xVal');
    checkTargets(options.yVal, valRows, head, 'yVal');
  } else if (!Number.isInteger(valRows) || valRows < 0) {
    throw new FlywheelError('bad_input', `valRows must be a count of rows, got ${valRows}`);
  }
  if (head.task === 'regression') {
    warnings.push(...regressionHead(options.y).warnings);
    if (spec.classWeights !== 'none') warnings.push('classWeights is ignored for regression');
  }
  const classWeights =
    head.task === 'classification' ? classWeightVector(spec.classWeights, head.labels, options.y) : null;
  let monitor = spec.earlyStopping?.metric ?? null;
  if (monitor === 'val_loss' && valRows === 0) {
    warnings.push('early stopping watches val_loss but there is no validation split: watching training loss instead');
    monitor = 'loss';
  }
  return {
    inputDim,
    net,
    rowWeights: classWeights ? rowWeights(classWeights, options.y) : null,
    valRows,
    monitor,
    warnings,
  };
}
