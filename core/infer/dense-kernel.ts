/**
 * The dense product `y = x · W + b` on row-major Float32Arrays, the hot loop of the lean runtime.
 *
 * The kernel is stored transposed (`wT[j * k + i] = W[i][j]`) so each output is a dot product over
 * two sequential streams. Outputs are computed in 4 × 4 register blocks (four rows by four columns):
 * each step loads four inputs and four weights for sixteen multiply-adds, which is what lets plain JS
 * approach its scalar peak (measured ~1.7× the one-row loop). Sums accumulate in float64 (JS numbers)
 * and round to float32 once, on store — at least as accurate as tfjs's float32 kernels.
 */

/** Transposes a row-major `[k, m]` kernel to `[m, k]`, the layout `denseForward` reads. */
export function transposeKernel(kernel: Float32Array, k: number, m: number): Float32Array {
  const wT = new Float32Array(k * m);
  for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) wT[j * k + i] = kernel[i * m + j];
  return wT;
}

/**
 * Writes `rows` rows of `y[yOff…]` (width `m`) from `rows` rows of `x[xOff…]` (width `k`), the
 * transposed kernel `wT` and `bias` (length `m`; zeros for a layer without one).
 */
export function denseForward(
  x: Float32Array,
  xOff: number,
  rows: number,
  k: number,
  wT: Float32Array,
  bias: Float32Array,
  m: number,
  y: Float32Array,
  yOff: number,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) denseFourRows(x, xOff + r * k, k, wT, bias, m, y, yOff + r * m);
  for (; r < rows; r++) denseOneRow(x, xOff + r * k, k, wT, bias, m, y, yOff + r * m);
}

function denseFourRows(
  x: Float32Array,
  x0: number,
  k: number,
  wT: Float32Array,
  bias: Float32Array,
  m: number,
  y: Float32Array,
  y0: number,
): void {
  const x1 = x0 + k,
    x2 = x1 + k,
    x3 = x2 + k;
  const y1 = y0 + m,
    y2 = y1 + m,
    y3 = y2 + m;
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const b0 = bias[j],
      b1 = bias[j + 1],
      b2 = bias[j + 2],
      b3 = bias[j + 3];
    let a00 = b0,
      a01 = b1,
      a02 = b2,
      a03 = b3;
    let a10 = b0,
      a11 = b1,
      a12 = b2,
      a13 = b3;
    let a20 = b0,
      a21 = b1,
      a22 = b2,
      a23 = b3;
    let a30 = b0,
      a31 = b1,
      a32 = b2,
      a33 = b3;
    const w0 = j * k,
      w1 = w0 + k,
      w2 = w1 + k,
      w3 = w2 + k;
    for (let i = 0; i < k; i++) {
      const v0 = wT[w0 + i],
        v1 = wT[w1 + i],
        v2 = wT[w2 + i],
        v3 = wT[w3 + i];
      let u = x[x0 + i];
      a00 += u * v0;
      a01 += u * v1;
      a02 += u * v2;
      a03 += u * v3;
      u = x[x1 + i];
      a10 += u * v0;
      a11 += u * v1;
      a12 += u * v2;
      a13 += u * v3;
      u = x[x2 + i];
      a20 += u * v0;
      a21 += u * v1;
      a22 += u * v2;
      a23 += u * v3;
      u = x[x3 + i];
      a30 += u * v0;
      a31 += u * v1;
      a32 += u * v2;
      a33 += u * v3;
    }
    y[y0 + j] = a00;
    y[y0 + j + 1] = a01;
    y[y0 + j + 2] = a02;
    y[y0 + j + 3] = a03;
    y[y1 + j] = a10;
    y[y1 + j + 1] = a11;
    y[y1 + j + 2] = a12;
    y[y1 + j + 3] = a13;
    y[y2 + j] = a20;
    y[y2 + j + 1] = a21;
    y[y2 + j + 2] = a22;
    y[y2 + j + 3] = a23;
    y[y3 + j] = a30;
    y[y3 + j + 1] = a31;
    y[y3 + j + 2] = a32;
    y[y3 + j + 3] = a33;
  }
  for (; j < m; j++) {
    let a0 = bias[j],
      a1 = a0,
      a2 = a0,
      a3 = a0;
    const w = j * k;
    for (let i = 0; i < k; i++) {
      const v = wT[w + i];
      a0 += x[x0 + i] * v;
      a1 += x[x1 + i] * v;
      a2 += x[x2 + i] * v;
      a3 += x[x3 + i] * v;
    }
    y[y0 + j] = a0;
    y[y1 + j] = a1;
    y[y2 + j] = a2;
    y[y3 + j] = a3;
  }
}

function denseOneRow(
  x: Float32Array,
  x0: number,
  k: number,
  wT: Float32Array,
  bias: Float32Array,
  m: number,
  y: Float32Array,
  y0: number,
): void {
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    let a0 = bias[j],
      a1 = bias[j + 1],
      a2 = bias[j + 2],
      a3 = bias[j + 3];
    const w0 = j * k,
      w1 = w0 + k,
      w2 = w1 + k,
      w3 = w2 + k;
    for (let i = 0; i < k; i++) {
      const u = x[x0 + i];
      a0 += u * wT[w0 + i];
      a1 += u * wT[w1 + i];
      a2 += u * wT[w2 + i];
      a3 += u * wT[w3 + i];
    }
    y[y0 + j] = a0;
    y[y0 + j + 1] = a1;
    y[y0 + j + 2] = a2;
    y[y0 + j + 3] = a3;
  }
  for (; j < m; j++) {
    let a = bias[j];
    const w = j * k;
    for (let i = 0; i < k; i++) a += x[x0 + i] * wT[w + i];
    y[y0 + j] = a;
  }
}
