/**
 * The most float32 arithmetic WebAssembly's 128-bit SIMD does on this machine: a loop with the Dense
 * kernel's own instruction mix (four splat loads of x, eight `f32x4.mul` and eight `f32x4.add` into
 * eight independent sums per step) but with its two weight vectors held in registers, so no weight
 * is read from memory. No kernel built of these instructions can go faster than this loop; where it
 * runs at the bare kernel's speed, the kernel is at the machine's ceiling, not short of it.
 *
 * With `fused`, the same loop with `f32x4.relaxed_madd` (relaxed SIMD's multiply-add, an FMA where
 * the CPU has one) in place of each mul and add, for runtimes that validate it.
 */
import {
  end,
  f32x4Add,
  f32x4Mul,
  I32,
  i32Add,
  i32And,
  i32Const,
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
  v128Load32Splat,
  v128Store,
  vec,
  type Bytes,
} from '../core/infer/wasm-assembler';

const ROWS = 4;
const VECTORS = 2;
/** The splats read x at p + 64·r, p cycling through [0, X_MASK] by 4: a few KiB, well within L1. */
const X_MASK = 2047;
/** Where the two weight vectors are read and, after them, the sums written: past every x. */
const W_AT = 4096;
const SUMS_AT = W_AT + 32;
const F32X4_RELAXED_MADD: Bytes = [0xfd, ...uleb(0x105)];

/** `peak(steps)`: `steps` loop iterations of ROWS × VECTORS multiply-adds from zero; the sums are stored at SUMS_AT so none is dead. */
function peakModule(fused: boolean): Uint8Array<ArrayBuffer> {
  const [STEPS, p] = [0, 1];
  const w = [2, 3];
  const acc = Array.from({ length: ROWS * VECTORS }, (_, i) => 4 + i);
  const x = 4 + ROWS * VECTORS;
  const madd = (a: number, r: number, l: number): Bytes =>
    fused
      ? [...localGet(x + r), ...localGet(w[l]), ...localGet(a), ...F32X4_RELAXED_MADD, ...localSet(a)]
      : [...localGet(a), ...localGet(x + r), ...localGet(w[l]), ...f32x4Mul, ...f32x4Add, ...localSet(a)];
  const body = [
    ...w.flatMap((local, l) => [...i32Const(0), ...v128Load(W_AT + 16 * l), ...localSet(local)]),
    ...loop([
      ...Array.from({ length: ROWS }, (_, r) => [
        ...localGet(p),
        ...v128Load32Splat(64 * r),
        ...localSet(x + r),
      ]).flat(),
      ...Array.from({ length: ROWS }, (_, r) =>
        Array.from({ length: VECTORS }, (_, l) => madd(acc[r * VECTORS + l], r, l)).flat(),
      ).flat(),
      ...localGet(p),
      ...i32Const(4),
      ...i32Add,
      ...i32Const(X_MASK),
      ...i32And,
      ...localSet(p),
      ...localGet(STEPS),
      ...i32Const(1),
      ...i32Sub,
      ...localTee(STEPS),
      ...[0x0d, 0x00], // br_if 0
    ]),
    ...acc.flatMap((a, i) => [...i32Const(0), ...localGet(a), ...v128Store(SUMS_AT + 16 * i)]),
    ...end,
  ];
  const code = [
    ...vec([
      [1, I32],
      [...uleb(VECTORS + ROWS * VECTORS + ROWS), V128],
    ]),
    ...body,
  ];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec([[I32]]), ...vec([])]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('peak'), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/**
 * GFLOP/s of the peak loop (2 flops per lane of each multiply-add), the best of `rounds` rounds of
 * `steps` steps timed by `clockMs`; null where this runtime does not validate the module (relaxed SIMD).
 * The loop's sums are first checked against the same arithmetic in JS, so what is timed is the work.
 */
export function simdPeak(fused: boolean, clockMs: () => number, rounds = 9, steps = 50_000_000): number | null {
  const bytes = peakModule(fused);
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
  const values = new Float32Array(memory.buffer);
  for (let i = 0; i < SUMS_AT >> 2; i++) values[i] = 1 + (i % 7) * 1e-3;
  const { peak } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as {
    peak: (steps: number) => void;
  };
  checkSums(peak, values);
  peak(steps / 10);
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const t0 = clockMs();
    peak(steps);
    best = Math.max(best, (steps * ROWS * VECTORS * 8) / ((clockMs() - t0) * 1e6));
  }
  return best;
}

/** Runs a few thousand steps and compares every lane of every sum with float32 arithmetic in JS. */
function checkSums(peak: (steps: number) => void, values: Float32Array): void {
  const steps = 3000;
  peak(steps);
  for (let r = 0; r < ROWS; r++) {
    for (let l = 0; l < VECTORS; l++) {
      for (let lane = 0; lane < 4; lane++) {
        let sum = 0;
        for (let s = 0, p = 0; s < steps; s++, p = (p + 4) & X_MASK) {
          const x = values[(p + 64 * r) >> 2];
          sum = Math.fround(sum + Math.fround(x * values[(W_AT >> 2) + 4 * l + lane]));
        }
        const got = values[(SUMS_AT >> 2) + 4 * (r * VECTORS + l) + lane];
        if (Math.abs(got - sum) > 1e-5 * Math.abs(sum))
          throw new Error(`simd-peak: sum ${r}·${l}[${lane}] is ${got}, float32 arithmetic gives ${sum}`);
      }
    }
  }
}
