/**
 * Compilers for tfjs's core layers: Dense (with its activation fused in), Activation, and the layers
 * that only change the view of a row (Flatten, Reshape) or do nothing at inference (the dropouts and
 * noise layers, which tfjs also skips in `predict`).
 */
import { relu } from './activations';
import { activationOp } from './lean-op';
import type { CompiledLayer, LayerCompiler, LayerContext } from './layer-context';
import { CHUNK_ROWS } from './lean-program';

const identity: LayerCompiler = (ctx) => ({ outShape: ctx.inShape, ops: [] });

function dense(ctx: LayerContext): CompiledLayer {
  const units = ctx.number('units', NaN);
  if (!Number.isInteger(units) || units <= 0) throw ctx.badModel('config.units must be a positive integer');
  const k = ctx.lastDim;
  const kernel = ctx.weight('kernel', [k, units]);
  const bias = ctx.config.use_bias === false ? new Float32Array(units) : ctx.weight('bias', [units]);
  const activation = ctx.activation();
  // ReLU in the kernel's store where the backend can (the WebAssembly kernel): one pass less over the outputs.
  const fused = activation === relu && ctx.denseBackend.fusesRelu;
  const act = fused ? null : activation;
  // Dense on a row of rank > 1 applies to the last axis, so each row is `groups` independent vectors.
  const groups = ctx.inSize / k;
  const outSize = groups * units;
  const product = ctx.denseBackend.dense(kernel, bias, k, units, CHUNK_ROWS * groups, fused);
  return {
    outShape: [...ctx.inShape.slice(0, -1), units],
    ops: [
      {
        inSize: ctx.inSize,
        outSize,
        inPlace: false,
        run(src, srcOff, dst, dstOff, rows) {
          product.run(src, srcOff, rows * groups, dst, dstOff);
          if (act) act(dst, dstOff, rows * outSize, units);
        },
      },
    ],
  };
}

function activation(ctx: LayerContext): CompiledLayer {
  const fn = ctx.activation();
  return { outShape: ctx.inShape, ops: fn ? [activationOp(ctx.inSize, ctx.lastDim, fn)] : [] };
}

const flatten: LayerCompiler = (ctx) => ({ outShape: [ctx.inSize], ops: [] });

function reshape(ctx: LayerContext): CompiledLayer {
  const target = ctx.config.target_shape;
  if (!Array.isArray(target) || target.length === 0) throw ctx.badModel('config.target_shape must be a non-empty list');
  // tfjs writes an inferred dimension (-1) as null.
  const known = target.filter((d) => d !== null && d !== -1);
  if (!known.every((d) => Number.isInteger(d) && d > 0) || target.length - known.length > 1) {
    throw ctx.badModel(`config.target_shape ${JSON.stringify(target)} is not a valid shape`);
  }
  const knownSize = (known as number[]).reduce((a, b) => a * b, 1);
  const outShape = target.map((d) => (d === null || d === -1 ? ctx.inSize / knownSize : d)) as number[];
  if (!outShape.every(Number.isInteger) || outShape.reduce((a, b) => a * b, 1) !== ctx.inSize) {
    throw ctx.badModel(`cannot reshape [${ctx.inShape.join(', ')}] to ${JSON.stringify(target)}`);
  }
  return { outShape, ops: [] };
}

export const CORE_LAYERS: Record<string, LayerCompiler> = {
  Dense: dense,
  Activation: activation,
  Flatten: flatten,
  Reshape: reshape,
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
};
