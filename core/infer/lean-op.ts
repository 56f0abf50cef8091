/**
 * The unit of execution of the lean runtime: an op maps a block of rows from one Float32Array to
 * another, each row a flat row-major tensor. Layers compile to zero or more ops; shape-only layers
 * (Flatten, Reshape, Dropout at inference) compile to none, since row-major data does not move.
 */
import type { ActivationFn } from './activations';

export interface LeanOp {
  /** Floats per row read. */
  readonly inSize: number;
  /** Floats per row written. */
  readonly outSize: number;
  /** True when `dst` may be the same array region as `src` (elementwise ops), saving a buffer. */
  readonly inPlace: boolean;
  run(src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number, rows: number): void;
}

/** Copies `src` to `dst` unless they are the same region, so elementwise ops can then work in place. */
export function copyRows(src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number, len: number): void {
  if (src !== dst || srcOff !== dstOff) dst.set(src.subarray(srcOff, srcOff + len), dstOff);
}

/** An activation over whole rows; `width` is the size of the last axis (what softmax normalises over). */
export function activationOp(size: number, width: number, fn: ActivationFn): LeanOp {
  return {
    inSize: size,
    outSize: size,
    inPlace: true,
    run(src, srcOff, dst, dstOff, rows) {
      copyRows(src, srcOff, dst, dstOff, rows * size);
      fn(dst, dstOff, rows * size, width);
    },
  };
}

/**
 * `y = x · scale[c] + shift[c]` per channel `c` of the last axis: inference-time BatchNormalization
 * folded to one multiply-add. Coefficients stay float64 so folding the moving mean in loses nothing.
 */
export function channelAffineOp(size: number, scale: Float64Array, shift: Float64Array): LeanOp {
  const channels = scale.length;
  return {
    inSize: size,
    outSize: size,
    inPlace: true,
    run(src, srcOff, dst, dstOff, rows) {
      const end = srcOff + rows * size;
      for (let s = srcOff, d = dstOff; s < end; s += channels, d += channels) {
        for (let c = 0; c < channels; c++) dst[d + c] = src[s + c] * scale[c] + shift[c];
      }
    },
  };
}
