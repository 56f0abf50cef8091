/**
 * Builds the tfjs Sequential for a model spec from layers the lean runtime executes (Dense, Dropout,
 * Activation), seeded so the same spec, input width, head and seed give the same model: same
 * weights and same topology JSON (layer names are fixed, not tfjs's global counters), hence the same
 * bundle hash.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { FlywheelError } from '../errors';
import { assertHead, headUnits, type Head } from './head';
import { deriveSeed } from './seeds';
import type { FixedModelSpec, HiddenActivation } from './spec';

/**
 * Initialiser per hidden activation: He for the ReLU family (keeps the signal's variance through
 * half-dead units), LeCun for SELU (its self-normalising fixed point assumes it), Glorot for the
 * saturating ones and the output layer (Keras's default).
 */
const HIDDEN_INITIALIZER: Record<HiddenActivation, typeof tfl.initializers.glorotUniform> = {
  relu: tfl.initializers.heUniform,
  elu: tfl.initializers.heUniform,
  selu: tfl.initializers.leCunNormal,
  tanh: tfl.initializers.glorotUniform,
  sigmoid: tfl.initializers.glorotUniform,
};

/** Salts that keep initialiser and Dropout seeds of the same layer apart. */
const KERNEL_SALT = 1;
const DROPOUT_SALT = 2;

/** Name of the final softmax layer: training reads the logits before it (see forward.ts). */
export const SOFTMAX_LAYER_NAME = 'softmax';

/**
 * A seeded `tf.Sequential` for `spec` on `inputDim` features. `linear` has no hidden layers
 * (linear/logistic/softmax regression); `mlp` has Dense(+activation) then Dropout per hidden layer.
 * Classification ends in Dense(k) → Activation('softmax') so training can use the stabler
 * cross-entropy on logits; regression ends in one linear unit on the standardised target.
 */
export function buildModel(
  spec: FixedModelSpec,
  inputDim: number,
  head: Head,
  seed: number,
  /** Units of a first `input_bins` layer (Dense, hard sigmoid) whose weights the caller sets: see input-bins.ts. */
  binUnits?: number,
): tfl.Sequential {
  if ((spec.type as string) === 'auto') {
    throw new FlywheelError('bad_model', 'model type "auto" is a search, not a model: run it through core/search');
  }
  if (!Number.isInteger(inputDim) || inputDim < 1) {
    throw new FlywheelError('bad_input', `a model needs at least one input feature, got ${inputDim}`);
  }
  assertHead(head);
  const kernelRegularizer = spec.l2 > 0 ? tfl.regularizers.l2({ l2: spec.l2 }) : undefined;
  const hidden = spec.type === 'mlp' ? spec.hidden : [];
  const model = tfl.sequential({ name: `flywheel_${spec.type}` });
  if (binUnits !== undefined) {
    model.add(
      tfl.layers.dense({
        name: 'input_bins',
        inputShape: [inputDim],
        units: binUnits,
        activation: 'hardSigmoid',
        kernelInitializer: 'zeros',
        biasInitializer: 'zeros',
        trainable: false,
      }),
    );
  }
  const first = binUnits === undefined;
  hidden.forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        name: `hidden_${i + 1}`,
        ...(i === 0 && first ? { inputShape: [inputDim] } : {}),
        units,
        activation: spec.activation,
        kernelInitializer: HIDDEN_INITIALIZER[spec.activation]({ seed: deriveSeed(seed, i, KERNEL_SALT) }),
        biasInitializer: 'zeros',
        kernelRegularizer,
      }),
    );
    if (spec.dropout > 0) {
      model.add(
        tfl.layers.dropout({
          name: `dropout_${i + 1}`,
          rate: spec.dropout,
          seed: deriveSeed(seed, i, DROPOUT_SALT),
        }),
      );
    }
  });
  model.add(
    tfl.layers.dense({
      name: 'output',
      ...(hidden.length === 0 && first ? { inputShape: [inputDim] } : {}),
      units: headUnits(head),
      activation: 'linear',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: deriveSeed(seed, hidden.length, KERNEL_SALT) }),
      biasInitializer: 'zeros',
      kernelRegularizer,
    }),
  );
  if (head.task === 'classification') {
    model.add(tfl.layers.activation({ name: SOFTMAX_LAYER_NAME, activation: 'softmax' }));
  }
  return model;
}
