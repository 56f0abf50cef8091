/**
 * Runs a list of ops over rows: in chunks of `CHUNK_ROWS`, through two scratch buffers that are
 * allocated once (or given: the Dense kernel's own memory, see DenseBackend.finish) and reused across
 * calls. The first op reads the caller's input in place and the last writes straight into the output,
 * so a one-layer model copies nothing.
 */
import type { LeanOp } from './lean-op';

// Rows per pass through the layers: large enough to amortise per-op overhead, small enough that the
// intermediates of a 256-wide layer (256 rows × 256 floats = 256 KiB) stay in L2 while the next layer reads them.
export const CHUNK_ROWS = 256;

export class LeanProgram {
  private scratch: [Float32Array, Float32Array];
  private readonly widest: number;

  /** Floats each scratch buffer needs for `ops`: a chunk of rows of the widest intermediate. */
  static scratchFloats(ops: LeanOp[]): number {
    return CHUNK_ROWS * widestIntermediate(ops);
  }

  constructor(
    private readonly ops: LeanOp[],
    readonly inSize: number,
    readonly outSize: number,
    scratch: [Float32Array, Float32Array] | null = null,
  ) {
    this.widest = widestIntermediate(ops);
    this.scratch = scratch ?? [new Float32Array(0), new Float32Array(0)];
  }

  /** Writes `rows` output rows into `out` (which must hold `rows * outSize` floats). */
  run(input: Float32Array, rows: number, out: Float32Array): void {
    const { ops, inSize, outSize } = this;
    if (ops.length === 0) {
      out.set(input.subarray(0, rows * inSize));
      return;
    }
    this.reserve(Math.min(rows, CHUNK_ROWS));
    const [a, b] = this.scratch;
    for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows - r0);
      let src = input;
      let srcOff = r0 * inSize;
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i];
        let dst: Float32Array, dstOff: number;
        if (i === ops.length - 1) {
          dst = out;
          dstOff = r0 * outSize;
        } else {
          // Never write into the caller's input; otherwise elementwise ops reuse their source buffer.
          dst = op.inPlace && src !== input ? src : src === a ? b : a;
          dstOff = 0;
        }
        op.run(src, srcOff, dst, dstOff, n);
        src = dst;
        srcOff = dstOff;
      }
    }
  }

  private reserve(rows: number): void {
    const need = rows * this.widest;
    if (this.scratch[0].length < need) this.scratch = [new Float32Array(need), new Float32Array(need)];
  }
}

/** The widest row an op writes into scratch (every op's output but the last, which is the caller's). */
function widestIntermediate(ops: LeanOp[]): number {
  return Math.max(0, ...ops.slice(0, -1).map((op) => op.outSize));
}
