import { describe, expect, it } from 'vitest';
import { denseForward, transposeKernel } from './dense-kernel';
import { normalValues, seededRandom } from './test-support';

/** y = x · W + b, one output at a time in float64: the definition the blocked kernel must meet. */
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

describe('denseForward', () => {
  it('equals the naive product for every blocking remainder, at offsets, leaving the rest of y alone', () => {
    const rand = seededRandom(1);
    for (const rows of [0, 1, 2, 3, 4, 5, 8, 9]) {
      for (const k of [1, 3, 4, 7]) {
        for (const m of [1, 3, 4, 5, 9]) {
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
