/**
 * The advanced activation layers (ReLU, LeakyReLU, ELU, ThresholdedReLU, Softmax, PReLU): activations
 * with parameters in their config (or, for PReLU, a learned weight), as tfjs-layers 4.22 computes them.
 */
import { activationByName } from './activations';
import { activationOp } from './lean-op';
import type { CompiledLayer, LayerContext } from './layer-context';

function relu(ctx: LayerContext): CompiledLayer {
  // Keras' ReLU also has negative_slope and threshold; tfjs ignores them, so refuse rather than disagree.
  if (ctx.number('negative_slope', 0) !== 0 || ctx.number('threshold', 0) !== 0) {
    throw ctx.unsupported('ReLU with negative_slope or threshold');
  }
  const max = ctx.number('max_value', Infinity);
  return {
    outShape: ctx.inShape,
    ops: [
      activationOp(ctx.inSize, ctx.lastDim, (buf, off, len) => {
        for (let i = off, end = off + len; i < end; i++) {
          const v = buf[i];
          buf[i] = v < 0 ? 0 : v > max ? max : v;
        }
      }),
    ],
  };
}

function leakyRelu(ctx: LayerContext): CompiledLayer {
  // tfjs writes `alpha` (default 0.3); Keras 3 writes `negative_slope`.
  const alpha = ctx.number('alpha', ctx.number('negative_slope', 0.3));
  return {
    outShape: ctx.inShape,
    ops: [
      activationOp(ctx.inSize, ctx.lastDim, (buf, off, len) => {
        // Branch-free, as relu in activations.ts: exactly v for v ≥ 0 and alpha · v below.
        for (let i = off, end = off + len; i < end; i++) {
          const v = buf[i],
            a = Math.abs(v);
          buf[i] = (v + a) * 0.5 + alpha * ((v - a) * 0.5);
        }
      }),
    ],
  };
}

function elu(ctx: LayerContext): CompiledLayer {
  const alpha = ctx.number('alpha', 1);
  return {
    outShape: ctx.inShape,
    ops: [
      activationOp(ctx.inSize, ctx.lastDim, (buf, off, len) => {
        for (let i = off, end = off + len; i < end; i++) {
          const v = buf[i];
          if (v < 0) buf[i] = alpha * (Math.exp(v) - 1);
        }
      }),
    ],
  };
}

function thresholdedRelu(ctx: LayerContext): CompiledLayer {
  const theta = ctx.number('theta', 1);
  return {
    outShape: ctx.inShape,
    ops: [
      activationOp(ctx.inSize, ctx.lastDim, (buf, off, len) => {
        for (let i = off, end = off + len; i < end; i++) if (buf[i] <= theta) buf[i] = 0;
      }),
    ],
  };
}

function softmax(ctx: LayerContext): CompiledLayer {
  if (!ctx.isLastAxis(ctx.config.axis ?? -1))
    throw ctx.unsupported(`softmax over axis ${JSON.stringify(ctx.config.axis)} (only the last axis)`);
  const fn = activationByName('softmax');
  return { outShape: ctx.inShape, ops: fn ? [activationOp(ctx.inSize, ctx.lastDim, fn)] : [] };
}

function prelu(ctx: LayerContext): CompiledLayer {
  // shared_axes count the batch axis (1 = first axis of a row); alpha has size 1 along them.
  const shared = ctx.config.shared_axes;
  const sharedAxes = shared === null || shared === undefined ? [] : Array.isArray(shared) ? shared : [shared];
  const alphaShape = ctx.inShape.map((d, axis) => (sharedAxes.includes(axis + 1) ? 1 : d));
  const alpha = broadcastToRow(ctx.weight('alpha', alphaShape), alphaShape, ctx.inShape);
  const size = ctx.inSize;
  return {
    outShape: ctx.inShape,
    ops: [
      {
        inSize: size,
        outSize: size,
        inPlace: true,
        run(src, srcOff, dst, dstOff, rows) {
          for (let r = 0; r < rows; r++) {
            const s = srcOff + r * size,
              d = dstOff + r * size;
            for (let i = 0; i < size; i++) {
              const v = src[s + i];
              dst[d + i] = v < 0 ? alpha[i] * v : v;
            }
          }
        },
      },
    ],
  };
}

/** Expands `values` of `shape` (with 1s on broadcast axes) to a full row of `rowShape`. */
function broadcastToRow(values: Float32Array, shape: number[], rowShape: number[]): Float32Array {
  const size = rowShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  for (let flat = 0; flat < size; flat++) {
    let rest = flat,
      src = 0,
      stride = 1;
    for (let axis = rowShape.length - 1; axis >= 0; axis--) {
      const coord = rest % rowShape[axis];
      rest = Math.floor(rest / rowShape[axis]);
      if (shape[axis] !== 1) src += coord * stride;
      stride *= shape[axis];
    }
    out[flat] = values[src];
  }
  return out;
}

export const ACTIVATION_LAYERS = {
  ReLU: relu,
  LeakyReLU: leakyRelu,
  ELU: elu,
  ThresholdedReLU: thresholdedRelu,
  Softmax: softmax,
  PReLU: prelu,
};
