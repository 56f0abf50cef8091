import { describe, expect, it } from 'vitest';
import { jsDenseBackend, type DenseBackend } from './dense-backend';
import { denseForward, transposeKernel } from './dense-kernel';
import { normalValues, seededRandom } from '../../tests/support/infer-models';
import { wasmDenseBackend } from './wasm-dense-backend';

/** y = x · W + b, one output at a time in float64: the definition both kernels must meet. */
function naiveDense(x: Float32Array, rows: number, k: number, kernel: Float32Array, bias: Float32Array, m: number): Float32Array {
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

describe('Dense backends', () => {
  for (const [kind, create] of [['js', jsDenseBackend], ['wasm', wasmDenseBackend]] as const) {
    it(`${kind}: many layers in one backend, each equal to the naive product within float64 rounding`, () => {
      const backend: DenseBackend | null = create();
      if (!backend) throw new Error('the WebAssembly SIMD kernel should compile in Node 20');
      expect(backend.kind).toBe(kind);
      const rand = seededRandom(2);
      const cases = ROWS.flatMap((rows) => INPUTS.flatMap((k) => OUTPUTS.map((m) => {
        const kernel = normalValues(rand, k * m);
        const bias = normalValues(rand, m);
        return { rows, k, m, kernel, bias, impl: backend.dense(kernel, bias, k, m, 9) };
      })));
      backend.finish();
      for (const { rows, k, m, kernel, bias, impl } of cases) {
        const x = normalValues(rand, rows * k + 5);
        const y = new Float32Array(rows * m + 2).fill(123);
        impl.run(x, 5, rows, y, 1);
        const expected = naiveDense(x.subarray(5), rows, k, kernel, bias, m);
        const got = y.subarray(1, 1 + rows * m);
        // Only the float64 summation order differs from the naive loop.
        for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(expected[i])));
        expect([y[0], y[1 + rows * m]]).toEqual([123, 123]);
      }
    });
  }
});
