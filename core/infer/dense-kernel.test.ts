import { describe, expect, it } from 'vitest';
import { jsDenseBackend, type DenseBackend } from './dense-backend';
import { relu } from './activations';
import { denseForward, transposeKernel } from './dense-kernel';
import { normalValues, seededRandom } from '../../tests/support/infer-models';
import { wasmDenseBackend } from './wasm-dense-backend';

/** y = x · W + b, one output at a time in float64: the definition both kernels must meet. */
function naiveDense(
  x: Float32Array,
  rows: number,
  k: number,
  kernel: Float32Array,
  bias: Float32Array,
  m: number,
): Float32Array {
  const y = new Float32Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < m; j++) {
      let sum = bias[j];
      for (let i = 0; i < k; i++) sum += x[r * k + i] * kernel[i * m + j];
      y[r * m + j] = sum;
    }
  }
  return y;
}

const ROWS = [0, 1, 2, 3, 4, 5, 8, 9];
const INPUTS = [1, 3, 4, 7];
const OUTPUTS = [1, 3, 4, 5, 9];

describe('denseForward (JS kernel)', () => {
  it('equals the naive product for every blocking remainder, at offsets, leaving the rest of y alone', () => {
    const rand = seededRandom(1);
    for (const rows of ROWS) {
      for (const k of INPUTS) {
        for (const m of OUTPUTS) {
          const x = normalValues(rand, rows * k + 2);
          const kernel = normalValues(rand, k * m);
          const bias = normalValues(rand, m);
          const y = new Float32Array(rows * m + 4).fill(123);
          denseForward(x, 2, rows, k, transposeKernel(kernel, k, m), bias, m, y, 3);
          const expected = naiveDense(x.subarray(2), rows, k, kernel, bias, m);
          // Both sum in float64 in the same order, so the float32 results agree exactly.
          expect(Array.from(y.subarray(3, 3 + rows * m))).toEqual(Array.from(expected));
          expect([y[0], y[1], y[2], y[3 + rows * m]]).toEqual([123, 123, 123, 123]);
        }
      }
    }
  });
});

/** Σ|terms| per output: the scale of the rounding error of any float32 summation order. */
function magnitudes(
  x: Float32Array,
  rows: number,
  k: number,
  kernel: Float32Array,
  bias: Float32Array,
  m: number,
): Float64Array {
  const out = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < m; j++) {
      let sum = Math.abs(bias[j]);
      for (let i = 0; i < k; i++) sum += Math.abs(x[r * k + i] * kernel[i * m + j]);
      out[r * m + j] = sum;
    }
  }
  return out;
}

/**
 * Within the worst-case bound of a float32 dot product of length k + 1 (Higham's γ_{k+1}, each product
 * and sum rounded once, plus the final rounding), relative to Σ|terms|: a wrong weight, column or row
 * is off by O(1) of that scale, a rounding difference by k · 2⁻²⁴ of it at most.
 */
function expectWithinFloat32(
  got: Float32Array,
  expected: Float32Array,
  scale: Float64Array,
  k: number,
  what: string,
): void {
  const unit = 2 ** -24;
  for (let i = 0; i < got.length; i++) {
    const bound = (k + 3) * unit * scale[i] + 1e-30;
    if (!(Math.abs(got[i] - expected[i]) <= bound))
      throw new Error(`${what}: output ${i} is ${got[i]}, expected ${expected[i]} ± ${bound}`);
  }
}

describe('Dense backends', () => {
  for (const [kind, create] of [
    ['js', jsDenseBackend],
    ['wasm', wasmDenseBackend],
  ] as const) {
    it(`${kind}: many layers in one backend, each equal to the naive product within float32 rounding`, () => {
      const backend: DenseBackend | null = create();
      if (!backend) throw new Error('the WebAssembly SIMD kernel should compile in Node 20');
      expect(backend.kind).toBe(kind);
      const rand = seededRandom(2);
      const cases = ROWS.flatMap((rows) =>
        INPUTS.flatMap((k) =>
          OUTPUTS.map((m) => {
            const kernel = normalValues(rand, k * m);
            const bias = normalValues(rand, m);
            return { rows, k, m, kernel, bias, impl: backend.dense(kernel, bias, k, m, 9) };
          }),
        ),
      );
      backend.finish();
      for (const { rows, k, m, kernel, bias, impl } of cases) {
        const x = normalValues(rand, rows * k + 5);
        const y = new Float32Array(rows * m + 2).fill(123);
        impl.run(x, 5, rows, y, 1);
        const input = x.subarray(5);
        const expected = naiveDense(input, rows, k, kernel, bias, m);
        expectWithinFloat32(
          y.subarray(1, 1 + rows * m),
          expected,
          magnitudes(input, rows, k, kernel, bias, m),
          k,
          `${rows}×${k}→${m}`,
        );
        expect([y[0], y[1 + rows * m]]).toEqual([123, 123]);
      }
    });
  }

  it('wasm equals the naive product and the JS kernel on random shapes: rows 1..1100, widths 1..300', () => {
    const rand = seededRandom(19);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    // Row counts around the 4-row block and the 256-row chunk; widths around the 4/8/16/32-column panels.
    const shapes: [number, number, number][] = [
      [1100, 37, 45],
      [1, 300, 300],
      [257, 33, 31],
      [4, 1, 1],
      [7, 300, 1],
      [1024, 100, 10],
    ];
    while (shapes.length < 36) {
      const k = int(1, 300),
        m = int(1, 300);
      const rows = rand() < 0.5 ? int(1, 12) : int(1, 1100);
      // Bounded work for the naive reference: at most ~3M multiply-adds per case.
      shapes.push([Math.max(1, Math.min(rows, Math.floor(3e6 / (k * m)))), k, m]);
    }
    const wasm = wasmDenseBackend()!;
    const js = jsDenseBackend();
    const layers = shapes.map(([rows, k, m]) => {
      const kernel = normalValues(rand, k * m);
      const bias = normalValues(rand, m);
      return {
        rows,
        k,
        m,
        kernel,
        bias,
        wasm: wasm.dense(kernel, bias, k, m, rows),
        wasmRelu: wasm.dense(kernel, bias, k, m, rows, true),
        js: js.dense(kernel, bias, k, m, rows),
      };
    });
    wasm.finish();
    js.finish();
    for (const { rows, k, m, kernel, bias, wasm: w, wasmRelu, js: j } of layers) {
      const x = normalValues(rand, rows * k);
      // A missing value in the last row: ReLU keeps NaN, as the JS activation does.
      x[(rows - 1) * k] = NaN;
      const [fromWasm, fromRelu, fromJs] = [rows * m, rows * m, rows * m].map((n) => new Float32Array(n));
      w.run(x, 0, rows, fromWasm, 0);
      wasmRelu.run(x, 0, rows, fromRelu, 0);
      j.run(x, 0, rows, fromJs, 0);
      const scale = magnitudes(x, rows - 1, k, kernel, bias, m);
      const clean = (rows - 1) * m;
      expectWithinFloat32(
        fromWasm.subarray(0, clean),
        naiveDense(x, rows - 1, k, kernel, bias, m),
        scale,
        k,
        `wasm ${rows}×${k}→${m}`,
      );
      expectWithinFloat32(
        fromWasm.subarray(0, clean),
        fromJs.subarray(0, clean),
        scale,
        k,
        `wasm vs js ${rows}×${k}→${m}`,
      );
      expect(fromWasm.subarray(clean).every(Number.isNaN) && fromJs.subarray(clean).every(Number.isNaN)).toBe(true);
      // ReLU in the kernel's store is the same sums, then the activation's max(v, 0).
      const expected = fromWasm.slice();
      relu(expected, 0, expected.length, m);
      expect(fromRelu).toEqual(expected);
    }
  });
});
