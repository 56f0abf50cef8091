// The f64x2 Dense kernel as it was before issue 19, kept only so bench/infer can report new ÷ old in the same run.
/**
 * Dense layers on the WebAssembly SIMD kernel. Each model owns one memory: every layer's weights,
 * packed once into the kernel's panel layout, then two staging areas shared by all layers (layers run
 * one at a time): inputs are converted into the first, outputs read back from the second.
 */
import type { DenseBackend, DenseImpl } from '../../core/infer/dense-backend';
import { PANEL_WIDTH, wasmDenseModule, type WasmDenseExports } from './wasm-dense-kernel';

const PAGE_BYTES = 65536;
const F64 = 8;

interface PendingLayer {
  offset: number;
  packed: Float64Array;
}

/** The WebAssembly backend, or null where the kernel cannot be compiled (the caller uses the JS one). */
export function wasmDenseBackend(): DenseBackend | null {
  const module = wasmDenseModule();
  return module ? new WasmDenseBackend(module) : null;
}

class WasmDenseBackend implements DenseBackend {
  readonly kind = 'wasm';
  readonly fusesRelu = false;
  private pending: PendingLayer[] = [];
  private used = 0;
  private maxInput = 0;
  private maxOutput = 0;
  // Set by finish(): the kernel and views of the staging areas.
  private kernel!: WasmDenseExports;
  private heap!: Float64Array;
  private xAddress = 0;
  private yAddress = 0;

  constructor(private readonly module: WebAssembly.Module) {}

  dense(kernel: Float32Array, bias: Float32Array, k: number, m: number, maxVectors: number): DenseImpl {
    const panels = Math.ceil(m / PANEL_WIDTH);
    const width = panels * PANEL_WIDTH;
    const packed = new Float64Array(panels * k * PANEL_WIDTH + width);
    for (let p = 0; p < panels; p++) {
      for (let i = 0; i < k; i++) {
        for (let c = 0; c < PANEL_WIDTH && p * PANEL_WIDTH + c < m; c++)
          packed[(p * k + i) * PANEL_WIDTH + c] = kernel[i * m + p * PANEL_WIDTH + c];
      }
    }
    packed.set(bias, panels * k * PANEL_WIDTH);
    const w = this.allocate(packed);
    const b = w + panels * k * PANEL_WIDTH * F64;
    this.maxInput = Math.max(this.maxInput, maxVectors * k);
    this.maxOutput = Math.max(this.maxOutput, maxVectors * width);
    return {
      run: (src, srcOff, n, dst, dstOff) => {
        const { kernel: fns, heap, xAddress: x, yAddress: y } = this;
        // Plain loops, not TypedArray.set: converting between element types, set() takes a slow path.
        const x0 = x / F64;
        for (let i = 0, len = n * k; i < len; i++) heap[x0 + i] = src[srcOff + i];
        const blocked = n - (n % 4);
        if (blocked > 0) fns.dense4(x, blocked, k, w, b, panels, y);
        if (n > blocked) fns.dense1(x + blocked * k * F64, n - blocked, k, w, b, panels, y + blocked * width * F64);
        const y0 = y / F64;
        for (let r = 0; r < n; r++) {
          const from = y0 + r * width,
            to = dstOff + r * m;
          for (let j = 0; j < m; j++) dst[to + j] = heap[from + j];
        }
      },
    };
  }

  // No scratch in its memory: layers copy in and out, as this kernel always did.
  finish(): null {
    this.xAddress = this.reserve(this.maxInput);
    this.yAddress = this.reserve(this.maxOutput);
    const pages = Math.max(1, Math.ceil(this.used / PAGE_BYTES));
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.kernel = new WebAssembly.Instance(this.module, { env: { memory } }).exports as unknown as WasmDenseExports;
    this.heap = new Float64Array(memory.buffer);
    for (const { offset, packed } of this.pending) this.heap.set(packed, offset / F64);
    this.pending = [];
    return null;
  }

  private allocate(packed: Float64Array): number {
    const offset = this.reserve(packed.length);
    this.pending.push({ offset, packed });
    return offset;
  }

  /** Bump allocation in bytes, 16-byte aligned for the SIMD loads. */
  private reserve(doubles: number): number {
    const offset = this.used;
    this.used += Math.ceil((doubles * F64) / 16) * 16;
    return offset;
  }
}
