/**
 * Where Dense layers run: the portable JS kernel, or the WebAssembly SIMD kernel where the runtime
 * allows compiling it. The JS kernel sums in float64 and rounds once; the WebAssembly one works in
 * float32 like tfjs's kernels. Both stay within tfjs's results by float32 rounding, so the choice only
 * changes speed.
 */
import { denseForward, transposeKernel } from './dense-kernel';

/** `y = x · W + b` for `n` vectors of width k, written as n vectors of width m. */
export interface DenseImpl {
  run(src: Float32Array, srcOff: number, n: number, dst: Float32Array, dstOff: number): void;
}

export interface DenseBackend {
  readonly kind: 'js' | 'wasm';
  /** Takes a layer's row-major `[k, m]` kernel and its bias; `maxVectors` bounds `n` per call. */
  dense(kernel: Float32Array, bias: Float32Array, k: number, m: number, maxVectors: number, relu?: boolean): DenseImpl;
  /** Whether `dense` applies ReLU to its outputs when asked (as it stores them); else the caller applies it. */
  readonly fusesRelu: boolean;
  /**
   * Called once every layer is compiled, before the first `run`. Returns two buffers of at least
   * `scratchFloats` floats for the program's intermediates in the kernel's own memory, so a Dense
   * layer reads its input from one and writes into the other without copying either; null where the
   * kernel has no memory of its own.
   */
  finish(scratchFloats?: number): [Float32Array, Float32Array] | null;
}

/** The plain JS kernel (dense-kernel.ts): runs everywhere. */
export function jsDenseBackend(): DenseBackend {
  return {
    kind: 'js',
    fusesRelu: false,
    dense(kernel, bias, k, m) {
      const wT = transposeKernel(kernel, k, m);
      return { run: (src, srcOff, n, dst, dstOff) => denseForward(src, srcOff, n, k, wT, bias, m, dst, dstOff) };
    },
    finish: () => null,
  };
}
