/** The tfjs optimiser a train spec names, with tfjs's defaults for everything but the learning rate. */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainSpec } from './spec';

/** A fresh optimiser; the caller disposes it (its slot variables live in the engine). */
export function makeOptimizer(spec: Pick<TrainSpec, 'optimizer' | 'learningRate'>): tf.Optimizer {
  switch (spec.optimizer) {
    case 'adam':
      return tf.train.adam(spec.learningRate);
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate);
    case 'adagrad':
      return tf.train.adagrad(spec.learningRate);
  }
}
