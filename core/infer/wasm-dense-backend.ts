/**
 * Dense layers on the WebAssembly SIMD kernel. Each model owns one memory: every layer's weights,
 * packed once into the kernel's panel layout, then two areas shared by all layers (layers run one at a
 * time), which are also the program's scratch buffers (`finish`): a layer whose input is in one area
 * reads it there and writes its output into the other, so between two Dense layers nothing is copied.
 * Rows from or for the caller's arrays are copied in and out (everything is float32: a plain copy).
 */
import type { DenseBackend, DenseImpl } from './dense-backend';
import {
  kernelVariant,
  PANEL_WIDTHS,
  WIDE_PANEL,
  wasmDenseModule,
  type PanelWidth,
  type WasmDenseExports,
} from './wasm-dense-kernel';

const PAGE_BYTES = 65536;
const F32 = 4;
// Below this many floats a loop copies faster than `subarray` + `set` (which allocate a view each call).
const LOOP_COPY_MAX = 64;

/** Columns `[column, column + panels * width)` of a layer, in panels of one width. */
interface Segment {
  column: number;
  width: PanelWidth;
  panels: number;
}

/** A segment placed in memory (byte addresses). */
interface PlacedSegment extends Segment {
  /** The kernel variant: `width`, with or without ReLU on the outputs (see `kernelVariant`). */
  which: number;
  w: number;
  b: number;
}

/** The WebAssembly backend, or null where the kernel cannot be compiled (the caller uses the JS one). */
export function wasmDenseBackend(): DenseBackend | null {
  const module = wasmDenseModule();
  return module ? new WasmDenseBackend(module) : null;
}

/** 32-column panels, then one panel of 8, 16 or 24 columns for the rest, so padding stays under 8 columns. */
function segmentsOf(m: number): Segment[] {
  const wide = Math.floor(m / WIDE_PANEL);
  const rest = m - wide * WIDE_PANEL;
  const segments: Segment[] = wide > 0 ? [{ column: 0, width: WIDE_PANEL, panels: wide }] : [];
  if (rest > 0) segments.push({ column: wide * WIDE_PANEL, width: PANEL_WIDTHS.find((p) => p >= rest)!, panels: 1 });
  return segments;
}

/** `w[panel][k][width]` then `b[panel][width]`, zero past column m. */
function pack(kernel: Float32Array, bias: Float32Array, k: number, m: number, s: Segment): Float32Array {
  const { column, width, panels } = s;
  const packed = new Float32Array(panels * width * (k + 1));
  const biasAt = panels * width * k;
  for (let p = 0; p < panels; p++) {
    for (let c = 0; c < width; c++) {
      const j = column + p * width + c;
      if (j >= m) break;
      for (let i = 0; i < k; i++) packed[(p * k + i) * width + c] = kernel[i * m + j];
      packed[biasAt + p * width + c] = bias[j];
    }
  }
  return packed;
}

function copy(from: Float32Array, fromOff: number, to: Float32Array, toOff: number, len: number): void {
  if (len <= LOOP_COPY_MAX) for (let i = 0; i < len; i++) to[toOff + i] = from[fromOff + i];
  else to.set(from.subarray(fromOff, fromOff + len), toOff);
}

class WasmDenseBackend implements DenseBackend {
  readonly kind = 'wasm';
  readonly fusesRelu = true;
  private pending: { placed: PlacedSegment; packed: Float32Array }[] = [];
  private used = 0;
  private maxInput = 0;
  private maxOutput = 0;
  // Set by finish(): the kernel and a view of the memory.
  private kernel!: WasmDenseExports;
  private heap!: Float32Array;
  /** Byte addresses of the two areas. */
  private area: number[] = [0, 0];
  /** The two areas as the arrays `finish` hands out: a layer knows them by identity. */
  private views: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];

  constructor(private readonly module: WebAssembly.Module) {}

  dense(kernel: Float32Array, bias: Float32Array, k: number, m: number, maxVectors: number, relu = false): DenseImpl {
    const segments = segmentsOf(m).map((s) => {
      const packed = pack(kernel, bias, k, m, s);
      const w = this.reserve(packed.length);
      const placed: PlacedSegment = {
        ...s,
        which: kernelVariant(s.width, relu),
        w,
        b: w + s.panels * s.width * k * F32,
      };
      this.pending.push({ placed, packed });
      return placed;
    });
    const last = segments[segments.length - 1];
    const width = last.column + last.panels * last.width;
    const yStride = width * F32;
    this.maxInput = Math.max(this.maxInput, maxVectors * k);
    this.maxOutput = Math.max(this.maxOutput, maxVectors * width);
    return {
      run: (src, srcOff, n, dst, dstOff) => {
        const { heap, kernel, area, views } = this;
        // By identity: reading `.buffer` of a small array made in JS would move its data off the JS heap.
        const from = src === views[0] ? 0 : src === views[1] ? 1 : -1;
        const to = dst === views[0] ? 0 : dst === views[1] ? 1 : -1;
        // Rows from the caller go into the area the output does not go to.
        const xArea = from >= 0 ? from : to === 0 ? 1 : 0;
        const x = area[xArea] + (from >= 0 ? srcOff * F32 : 0);
        if (from < 0) copy(src, srcOff, heap, x / F32, n * k);
        const y = to >= 0 ? area[to] + dstOff * F32 : area[1 - xArea];
        for (const s of segments) kernel.dense(s.which, x, n, k, s.w, s.b, s.panels, y + s.column * F32, yStride);
        const y0 = y / F32;
        if (to >= 0) {
          // Rows padded to the panels' width close up in place (each row moves down, never over one not yet moved).
          if (width !== m) for (let r = 1; r < n; r++) heap.copyWithin(y0 + r * m, y0 + r * width, y0 + r * width + m);
        } else if (width === m) copy(heap, y0, dst, dstOff, n * m);
        else for (let r = 0; r < n; r++) copy(heap, y0 + r * width, dst, dstOff + r * m, m);
      },
    };
  }

  finish(scratchFloats = 0): [Float32Array, Float32Array] {
    // Each area holds any layer's input, its padded output, and the program's widest intermediate.
    const floats = Math.max(this.maxInput, this.maxOutput, scratchFloats);
    this.area = [this.reserve(floats), this.reserve(floats)];
    const pages = Math.max(1, Math.ceil(this.used / PAGE_BYTES));
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.kernel = new WebAssembly.Instance(this.module, { env: { memory } }).exports as unknown as WasmDenseExports;
    this.heap = new Float32Array(memory.buffer);
    for (const { placed, packed } of this.pending) this.heap.set(packed, placed.w / F32);
    this.pending = [];
    const view = (at: number) => this.heap.subarray(at / F32, at / F32 + floats);
    this.views = [view(this.area[0]), view(this.area[1])];
    return this.views;
  }

  /** Bump allocation in bytes, 16-byte aligned for the SIMD loads. */
  private reserve(floats: number): number {
    const offset = this.used;
    this.used += Math.ceil((floats * F32) / 16) * 16;
    return offset;
  }
}
