/**
 * The dense product as a WebAssembly SIMD module, generated here: float32 all the way, four lanes per
 * f32x4 instruction, with outputs held in registers in blocks (four rows × eight columns for batches,
 * one row × up to 32 columns for single rows, enough independent sums to hide the add latency). This
 * is the arithmetic tfjs's own float32 kernels do, so results stay within its tolerance; the summation
 * order along `k` is the plain one. Each function also comes with ReLU applied as it stores
 * (`f32x4.max` with zero: NaN stays NaN, as in the JS activation), which saves a pass over the outputs.
 *
 * Memory layout (all float32, byte addresses): inputs `x[rows][k]`; weights in panels of `P` columns
 * (`P` one of `PANEL_WIDTHS`), `w[panel][k][P]`, zero-padded past the last column; bias `b[panels][P]`;
 * outputs `y[rows]` at a stride of `yStride` bytes, `P` columns per panel.
 */
import {
  block,
  br,
  brIf,
  callIndirect,
  end,
  f32x4Add,
  f32x4Max,
  f32x4Mul,
  I32,
  i32Add,
  i32And,
  i32Const,
  i32GeS,
  i32Mul,
  i32Sub,
  ifThen,
  localGet,
  localSet,
  localTee,
  loop,
  name,
  section,
  uleb,
  V128,
  v128Load,
  v128Load32Splat,
  v128Store,
  v128Zero,
  vec,
  type Bytes,
} from './wasm-assembler';

/** Panel widths with a function each: a layer uses 32-column panels, then one narrower panel for the rest. */
export const PANEL_WIDTHS = [8, 16, 24, 32] as const;
export type PanelWidth = (typeof PANEL_WIDTHS)[number];
/** The widest panel: a single row then keeps eight f32x4 sums in flight, enough to hide the add latency. */
export const WIDE_PANEL = 32;
// Rows per block of the batch functions: 4 rows × 2 accumulators (8 columns), 2 weight vectors and a
// splat use 11 of the 16 SIMD registers of x64/arm64 without spilling.
export const BLOCK_ROWS = 4;
// Vectors (of 4 columns) per sub-block of the batch functions: 4 rows × 2 = 8 independent sums.
const BLOCK_VECTORS = 2;

/**
 * The module's one export, `dense(variant, x, rows, k, w, b, panels, y, yStride)`: addresses and
 * stride in bytes; `variant` is the index of the panel width in `PANEL_WIDTHS`, plus
 * `PANEL_WIDTHS.length` for ReLU on the outputs (see `kernelVariant`). It runs the rows in blocks of
 * `BLOCK_ROWS`, then the rest one at a time. One export keeps every JS call site monomorphic, which
 * lets V8 call it directly; picking the function per width inside wasm costs an indirect call.
 */
export interface WasmDenseExports {
  dense(
    variant: number,
    x: number,
    rows: number,
    k: number,
    w: number,
    b: number,
    panels: number,
    y: number,
    yStride: number,
  ): void;
}

/** The `variant` argument of `dense` for a panel width, with or without ReLU on the outputs. */
export function kernelVariant(width: PanelWidth, relu: boolean): number {
  return PANEL_WIDTHS.indexOf(width) + (relu ? PANEL_WIDTHS.length : 0);
}

/** One function: `rows` rows of y, `blockRows` at a time, over every panel of weights. */
function denseFunction(panelWidth: number, blockRows: number, relu: boolean): Bytes {
  const vectors = panelWidth / 4;
  const perSub = blockRows === 1 ? vectors : BLOCK_VECTORS;
  const panelRowBytes = panelWidth * 4;
  const [X, ROWS, K, W, B, PANELS, Y, YSTRIDE] = [0, 1, 2, 3, 4, 5, 6, 7];
  let next = 8;
  const [row, panel, i, xp, wp, xRow, wPanel, bp, yp, panelBytes, rowBytes] = Array.from({ length: 11 }, () => next++);
  // rowOffset[r]: byte offset of row r of the block from row 0.
  const rowOffset = [-1, ...Array.from({ length: blockRows - 1 }, () => next++)];
  const i32Locals = next - 8;
  const acc = Array.from({ length: blockRows * perSub }, () => next++);
  const w = blockRows === 1 ? [] : Array.from({ length: perSub }, () => next++);
  const xSplat = next++;
  const v128Locals = next - 8 - i32Locals;
  const eachAcc = (f: (r: number, l: number) => Bytes): Bytes =>
    Array.from({ length: blockRows }, (_, r) => Array.from({ length: perSub }, (_, l) => f(r, l)).flat()).flat();

  const subBlock = (sub: number): Bytes => {
    const vectorOffset = (l: number) => 16 * (sub * perSub + l);
    // With one row each weight is used once: loaded inline, where x64 can fold it into the multiply.
    const weight = (l: number): Bytes =>
      blockRows === 1 ? [...localGet(wp), ...v128Load(vectorOffset(l))] : localGet(w[l]);
    const innerLoop = loop([
      ...w.map((local, l) => [...localGet(wp), ...v128Load(vectorOffset(l)), ...localSet(local)]).flat(),
      ...Array.from({ length: blockRows }, (_, r) => [
        ...localGet(xp),
        ...(r === 0 ? [] : [...localGet(rowOffset[r]), ...i32Add]),
        ...v128Load32Splat(),
        ...localSet(xSplat),
        ...Array.from({ length: perSub }, (_, l) => [
          ...localGet(acc[r * perSub + l]),
          ...localGet(xSplat),
          ...weight(l),
          ...f32x4Mul,
          ...f32x4Add,
          ...localSet(acc[r * perSub + l]),
        ]).flat(),
      ]).flat(),
      ...localGet(xp),
      ...i32Const(4),
      ...i32Add,
      ...localSet(xp),
      ...localGet(wp),
      ...i32Const(panelRowBytes),
      ...i32Add,
      ...localSet(wp),
      ...localGet(i),
      ...i32Const(1),
      ...i32Sub,
      ...localTee(i),
      ...brIf(0),
    ]);
    return [
      ...eachAcc((r, l) => [...localGet(bp), ...v128Load(vectorOffset(l)), ...localSet(acc[r * perSub + l])]),
      ...localGet(wPanel),
      ...localSet(wp),
      ...localGet(xRow),
      ...localSet(xp),
      ...localGet(K),
      ...localSet(i),
      ...innerLoop,
      ...eachAcc((r, l) => [
        ...localGet(yp),
        ...(r === 0 ? [] : [...localGet(YSTRIDE), ...i32Const(r), ...i32Mul, ...i32Add]),
        ...localGet(acc[r * perSub + l]),
        ...(relu && blockRows > 1 ? [...v128Zero, ...f32x4Max] : []),
        ...v128Store(vectorOffset(l)),
      ]),
      // One row: ReLU over what was just stored. Taking the max of the eight accumulators themselves
      // made V8 (11.3) compile this function's inner loop 1.5× slower; the reload costs nothing measurable.
      ...(relu && blockRows === 1
        ? Array.from({ length: perSub }, (_, l) => [
            ...localGet(yp),
            ...localGet(yp),
            ...v128Load(vectorOffset(l)),
            ...v128Zero,
            ...f32x4Max,
            ...v128Store(vectorOffset(l)),
          ]).flat()
        : []),
    ];
  };

  const panelLoop = block(
    loop([
      ...localGet(panel),
      ...localGet(PANELS),
      ...i32GeS,
      ...brIf(1),
      ...Array.from({ length: vectors / perSub }, (_, sub) => subBlock(sub)).flat(),
      ...localGet(wPanel),
      ...localGet(panelBytes),
      ...i32Add,
      ...localSet(wPanel),
      ...localGet(bp),
      ...i32Const(panelRowBytes),
      ...i32Add,
      ...localSet(bp),
      ...localGet(yp),
      ...i32Const(panelRowBytes),
      ...i32Add,
      ...localSet(yp),
      ...localGet(panel),
      ...i32Const(1),
      ...i32Add,
      ...localSet(panel),
      ...br(0),
    ]),
  );

  const body = [
    ...localGet(K),
    ...i32Const(4),
    ...i32Mul,
    ...localSet(rowBytes),
    ...localGet(K),
    ...i32Const(panelRowBytes),
    ...i32Mul,
    ...localSet(panelBytes),
    ...rowOffset
      .slice(1)
      .map((local, r) => [...localGet(rowBytes), ...i32Const(r + 1), ...i32Mul, ...localSet(local)])
      .flat(),
    ...block(
      loop([
        ...localGet(row),
        ...localGet(ROWS),
        ...i32GeS,
        ...brIf(1),
        ...localGet(X),
        ...localGet(row),
        ...localGet(rowBytes),
        ...i32Mul,
        ...i32Add,
        ...localSet(xRow),
        ...localGet(Y),
        ...localGet(row),
        ...localGet(YSTRIDE),
        ...i32Mul,
        ...i32Add,
        ...localSet(yp),
        ...localGet(W),
        ...localSet(wPanel),
        ...localGet(B),
        ...localSet(bp),
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

/** The export: the blocked rows through table entry 2·variant, the rest through entry 2·variant + 1. */
function dispatchFunction(): Bytes {
  const [WHICH, X, ROWS, K, W, B, PANELS, Y, YSTRIDE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const blocked = 9;
  const rest = (from: Bytes[]) => from.flat();
  const body = [
    ...localGet(ROWS),
    ...i32Const(-BLOCK_ROWS),
    ...i32And,
    ...localSet(blocked),
    ...localGet(blocked),
    ...ifThen(
      rest([
        localGet(X),
        localGet(blocked),
        localGet(K),
        localGet(W),
        localGet(B),
        localGet(PANELS),
        localGet(Y),
        localGet(YSTRIDE),
        localGet(WHICH),
        i32Const(2),
        i32Mul,
        callIndirect(0),
      ]),
    ),
    ...localGet(ROWS),
    ...i32Const(BLOCK_ROWS - 1),
    ...i32And,
    ...ifThen(
      rest([
        localGet(X),
        localGet(blocked),
        localGet(K),
        i32Const(4),
        i32Mul,
        i32Mul,
        i32Add,
        localGet(ROWS),
        localGet(blocked),
        i32Sub,
        localGet(K),
        localGet(W),
        localGet(B),
        localGet(PANELS),
        localGet(Y),
        localGet(blocked),
        localGet(YSTRIDE),
        i32Mul,
        i32Add,
        localGet(YSTRIDE),
        localGet(WHICH),
        i32Const(2),
        i32Mul,
        i32Const(1),
        i32Add,
        callIndirect(0),
      ]),
    ),
    ...end,
  ];
  const code = [...vec([[1, I32]]), ...body];
  return [...uleb(code.length), ...code];
}

/** The kernel module's bytes: what `wasmDenseModule` compiles, and what edge/build-worker.ts ships precompiled. */
export function wasmDenseModuleBytes(): Uint8Array<ArrayBuffer> {
  const kernelType = [0x60, ...vec(Array.from({ length: 8 }, () => [I32])), ...vec([])];
  const dispatchType = [0x60, ...vec(Array.from({ length: 9 }, () => [I32])), ...vec([])];
  const kernels = [false, true].flatMap((relu) =>
    PANEL_WIDTHS.flatMap((p) => [denseFunction(p, BLOCK_ROWS, relu), denseFunction(p, 1, relu)]),
  );
  const dispatchIndex = kernels.length;
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([kernelType, dispatchType])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([...kernels.map(() => [0]), [1]])),
    // Table 0: funcref, exactly one entry per kernel function.
    ...section(4, vec([[0x70, 0x01, ...uleb(kernels.length), ...uleb(kernels.length)]])),
    ...section(7, vec([[...name('dense'), 0x00, ...uleb(dispatchIndex)]])),
    // Active element segment at offset 0 of table 0: the kernels in order.
    ...section(9, vec([[0x00, ...i32Const(0), ...end, ...vec(kernels.map((_, i) => uleb(i)))]])),
    ...section(10, vec([...kernels, dispatchFunction()])),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled kernel module, or null where WebAssembly SIMD is missing or compiling code at run time
 * is forbidden (a strict Content-Security-Policy; Cloudflare workerd too, unless its Worker provides
 * the module precompiled, see `provideWasmDenseModule`); the lean runtime then uses the JS kernel.
 * Compiled once per process: the module is a few kilobytes, well within the size browsers allow to
 * compile synchronously on the main thread.
 */
export function wasmDenseModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(wasmDenseModuleBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Hands the lean runtime the kernel module compiled ahead of time, for runtimes that run WebAssembly
 * but may not compile it from bytes: a Cloudflare Worker imports `wasmDenseModuleBytes()` written as a
 * `.wasm` file (edge/build-worker.ts), which Cloudflare compiles when the Worker is uploaded.
 */
export function provideWasmDenseModule(module: WebAssembly.Module): void {
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  if (!exported.includes('dense')) {
    throw new Error(`the provided Dense kernel module exports ${exported.join(', ') || 'nothing'}, not "dense"`);
  }
  compiled = module;
}

/** Which Dense kernel the lean runtime uses in this runtime by default: WebAssembly SIMD where it has the module. */
export function denseKernelKind(): 'wasm' | 'js' {
  return wasmDenseModule() ? 'wasm' : 'js';
}
