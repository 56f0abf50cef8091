// The f64x2 Dense kernel as it was before issue 19, kept only so bench/infer can report new ÷ old in the same run.
/**
 * The dense product as a WebAssembly SIMD module, generated here. It works in float64 like the JS
 * kernel — products of float32 values are exact in float64 and sums round once, on the way back to
 * float32 — so both kernels give the same results, and 128-bit lanes make it ~3× faster.
 *
 * Memory layout (all float64, byte addresses): inputs `x[rows][k]`; weights in panels of
 * `PANEL_WIDTH` columns, `w[panel][k][PANEL_WIDTH]`, zero-padded past the last column; bias
 * `b[panels * PANEL_WIDTH]`; outputs `y[rows][panels * PANEL_WIDTH]`.
 */
import {
  block,
  br,
  brIf,
  end,
  f64x2Add,
  f64x2Mul,
  I32,
  i32Add,
  i32Const,
  i32GeS,
  i32Mul,
  i32Sub,
  localGet,
  localSet,
  localTee,
  loop,
  name,
  section,
  uleb,
  V128,
  v128Load,
  v128Load64Splat,
  v128Store,
  vec,
  type Bytes,
} from './wasm-assembler';

/** Output columns per weight panel: two f64x2 accumulators per row. */
export const PANEL_WIDTH = 4;
// Rows per block of the main function: 4 rows × 2 accumulators plus 2 weight vectors and a splat
// fill 11 of the 16 SIMD registers of x64/arm64 without spilling (4 × 4 measured ~1.3× faster than 2 × 8).
const BLOCK_ROWS = 4;

/** `(x, rows, k, w, b, panels, y)`: addresses in bytes; `rows` must be a multiple of the function's block. */
export type DenseFn = (x: number, rows: number, k: number, w: number, b: number, panels: number, y: number) => void;

export interface WasmDenseExports {
  /** Rows in blocks of four. */
  dense4: DenseFn;
  /** Any number of rows, one at a time: the remainder, and single-row calls. */
  dense1: DenseFn;
}

/** One function: `rows` rows of y, `blockRows` at a time, each over every panel of weights. */
function denseFunction(blockRows: number): Bytes {
  const LANES = PANEL_WIDTH / 2;
  const PANEL_ROW_BYTES = PANEL_WIDTH * 8;
  const [X, ROWS, K, W, B, PANELS, Y] = [0, 1, 2, 3, 4, 5, 6];
  let next = 7;
  const [row, panel, i, xp, wp, rowBytes, yRow, yStride, bp, yp] = Array.from({ length: 10 }, () => next++);
  const i32Locals = next - 7;
  const acc = Array.from({ length: blockRows * LANES }, () => next++);
  const w = Array.from({ length: LANES }, () => next++);
  const xSplat = next++;
  const v128Locals = next - 7 - i32Locals;
  // Address of row r of the block: base + r * stride.
  const rowAddress = (base: number, stride: number, r: number): Bytes =>
    r === 0 ? localGet(base) : [...localGet(base), ...localGet(stride), ...i32Const(r), ...i32Mul, ...i32Add];
  const eachAcc = (f: (r: number, lane: number) => Bytes): Bytes =>
    Array.from({ length: blockRows }, (_, r) => Array.from({ length: LANES }, (_, l) => f(r, l)).flat()).flat();

  const innerLoop = loop([
    ...Array.from({ length: LANES }, (_, l) => [...localGet(wp), ...v128Load(16 * l), ...localSet(w[l])]).flat(),
    ...Array.from({ length: blockRows }, (_, r) => [
      ...rowAddress(xp, rowBytes, r),
      ...v128Load64Splat(),
      ...localSet(xSplat),
      ...Array.from({ length: LANES }, (_, l) => [
        ...localGet(acc[r * LANES + l]),
        ...localGet(xSplat),
        ...localGet(w[l]),
        ...f64x2Mul,
        ...f64x2Add,
        ...localSet(acc[r * LANES + l]),
      ]).flat(),
    ]).flat(),
    ...localGet(xp),
    ...i32Const(8),
    ...i32Add,
    ...localSet(xp),
    ...localGet(wp),
    ...i32Const(PANEL_ROW_BYTES),
    ...i32Add,
    ...localSet(wp),
    ...localGet(i),
    ...i32Const(1),
    ...i32Sub,
    ...localTee(i),
    ...brIf(0),
  ]);

  const panelLoop = block(
    loop([
      ...localGet(panel),
      ...localGet(PANELS),
      ...i32GeS,
      ...brIf(1),
      ...localGet(B),
      ...localGet(panel),
      ...i32Const(PANEL_ROW_BYTES),
      ...i32Mul,
      ...i32Add,
      ...localSet(bp),
      ...eachAcc((r, l) => [...localGet(bp), ...v128Load(16 * l), ...localSet(acc[r * LANES + l])]),
      ...localGet(W),
      ...localGet(panel),
      ...localGet(K),
      ...i32Mul,
      ...i32Const(PANEL_ROW_BYTES),
      ...i32Mul,
      ...i32Add,
      ...localSet(wp),
      ...localGet(X),
      ...localGet(row),
      ...localGet(rowBytes),
      ...i32Mul,
      ...i32Add,
      ...localSet(xp),
      ...localGet(K),
      ...localSet(i),
      ...innerLoop,
      ...localGet(yRow),
      ...localGet(panel),
      ...i32Const(PANEL_ROW_BYTES),
      ...i32Mul,
      ...i32Add,
      ...localSet(yp),
      ...eachAcc((r, l) => [...rowAddress(yp, yStride, r), ...localGet(acc[r * LANES + l]), ...v128Store(16 * l)]),
      ...localGet(panel),
      ...i32Const(1),
      ...i32Add,
      ...localSet(panel),
      ...br(0),
    ]),
  );

  const body = [
    ...localGet(K),
    ...i32Const(8),
    ...i32Mul,
    ...localSet(rowBytes),
    ...localGet(PANELS),
    ...i32Const(PANEL_ROW_BYTES),
    ...i32Mul,
    ...localSet(yStride),
    ...block(
      loop([
        ...localGet(row),
        ...localGet(ROWS),
        ...i32GeS,
        ...brIf(1),
        ...localGet(Y),
        ...localGet(row),
        ...localGet(yStride),
        ...i32Mul,
        ...i32Add,
        ...localSet(yRow),
        ...i32Const(0),
        ...localSet(panel),
        ...panelLoop,
        ...localGet(row),
        ...i32Const(blockRows),
        ...i32Add,
        ...localSet(row),
        ...br(0),
      ]),
    ),
    ...end,
  ];
  const code = [
    ...vec([
      [...uleb(i32Locals), I32],
      [...uleb(v128Locals), V128],
    ]),
    ...body,
  ];
  return [...uleb(code.length), ...code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const signature = [0x60, ...vec(Array.from({ length: 7 }, () => [I32])), ...vec([])];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([signature])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0], [0]])),
    ...section(
      7,
      vec([
        [...name('dense4'), 0x00, 0],
        [...name('dense1'), 0x00, 1],
      ]),
    ),
    ...section(10, vec([denseFunction(BLOCK_ROWS), denseFunction(1)])),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled kernel module, or null where WebAssembly SIMD is missing or compiling code at run time
 * is forbidden (Cloudflare workerd, a strict Content-Security-Policy); the lean runtime then uses the
 * JS kernel. Compiled once per process: the module is under a kilobyte, well within the size browsers
 * allow to compile synchronously on the main thread.
 */
export function wasmDenseModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(moduleBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}
