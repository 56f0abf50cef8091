/**
 * BatchNormalization (inference: the moving statistics, folded into one multiply-add per channel) and
 * LayerNormalization (statistics of each row's last axis), both over the last axis only.
 */
import { channelAffineOp } from './lean-op';
import type { CompiledLayer, LayerContext } from './layer-context';

// Keras' default epsilon for both normalisations.
const DEFAULT_EPSILON = 1e-3;

function batchNormalization(ctx: LayerContext): CompiledLayer {
  if (!ctx.isLastAxis(ctx.config.axis ?? -1))
    throw ctx.unsupported(`normalising over axis ${JSON.stringify(ctx.config.axis)} (only the last axis)`);
  const c = ctx.lastDim;
  const epsilon = ctx.number('epsilon', DEFAULT_EPSILON);
  const gamma = ctx.config.scale === false ? null : ctx.weight('gamma', [c]);
  const beta = ctx.config.center === false ? null : ctx.weight('beta', [c]);
  const mean = ctx.weight('moving_mean', [c]);
  const variance = ctx.weight('moving_variance', [c]);
  // (x − mean) / √(var + ε) · γ + β  =  x · scale + shift
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = (gamma ? gamma[i] : 1) / Math.sqrt(variance[i] + epsilon);
    shift[i] = (beta ? beta[i] : 0) - mean[i] * scale[i];
  }
  return { outShape: ctx.inShape, ops: [channelAffineOp(ctx.inSize, scale, shift)] };
}

function layerNormalization(ctx: LayerContext): CompiledLayer {
  if (!ctx.isLastAxis(ctx.config.axis ?? -1))
    throw ctx.unsupported(`normalising over axes ${JSON.stringify(ctx.config.axis)} (only the last axis)`);
  const c = ctx.lastDim;
  const size = ctx.inSize;
  const epsilon = ctx.number('epsilon', DEFAULT_EPSILON);
  const gamma = ctx.config.scale === false ? null : ctx.weight('gamma', [c]);
  const beta = ctx.config.center === false ? null : ctx.weight('beta', [c]);
  return {
    outShape: ctx.inShape,
    ops: [
      {
        inSize: size,
        outSize: size,
        inPlace: true,
        run(src, srcOff, dst, dstOff, rows) {
          const end = srcOff + rows * size;
          for (let s = srcOff, d = dstOff; s < end; s += c, d += c) {
            let mean = 0;
            for (let i = 0; i < c; i++) mean += src[s + i];
            mean /= c;
            let variance = 0;
            for (let i = 0; i < c; i++) variance += (src[s + i] - mean) ** 2;
            const inv = 1 / Math.sqrt(variance / c + epsilon);
            for (let i = 0; i < c; i++) {
              dst[d + i] = (src[s + i] - mean) * inv * (gamma ? gamma[i] : 1) + (beta ? beta[i] : 0);
            }
          }
        },
      },
    ],
  };
}

export const NORMALIZATION_LAYERS = {
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
};
