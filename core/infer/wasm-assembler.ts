/**
 * Just enough of the WebAssembly binary format to write the dense kernel in code: LEB128 numbers,
 * sections, and the handful of instructions it uses, each named after its text-format mnemonic.
 * Building the module here keeps the lean runtime free of build steps and binary blobs.
 */

export type Bytes = number[];

export const I32 = 0x7f;
export const V128 = 0x7b;

export function uleb(n: number): Bytes {
  const out: Bytes = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): Bytes {
  const out: Bytes = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

export const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body];
export const name = (s: string): Bytes => vec([...new TextEncoder().encode(s)].map((b) => [b]));

// Variables and integer arithmetic.
export const localGet = (i: number): Bytes => [0x20, ...uleb(i)];
export const localSet = (i: number): Bytes => [0x21, ...uleb(i)];
export const localTee = (i: number): Bytes => [0x22, ...uleb(i)];
export const i32Const = (n: number): Bytes => [0x41, ...sleb(n)];
export const i32Add: Bytes = [0x6a];
export const i32Sub: Bytes = [0x6b];
export const i32Mul: Bytes = [0x6c];
export const i32GeS: Bytes = [0x4e];
export const i32And: Bytes = [0x71];

// Control: `block`/`loop` with no result; branch depth 0 is the innermost.
export const block = (body: Bytes): Bytes => [0x02, 0x40, ...body, 0x0b];
export const loop = (body: Bytes): Bytes => [0x03, 0x40, ...body, 0x0b];
export const br = (depth: number): Bytes => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): Bytes => [0x0d, ...uleb(depth)];
export const ifThen = (body: Bytes): Bytes => [0x04, 0x40, ...body, 0x0b];
/** Calls entry `index` (an i32 on the stack, after the arguments) of table 0, of function type `type`. */
export const callIndirect = (type: number): Bytes => [0x11, ...uleb(type), 0x00];
export const end: Bytes = [0x0b];

// 128-bit SIMD (prefix 0xfd); memory immediates are log2(alignment) and a byte offset.
const simd = (op: number): Bytes => [0xfd, ...uleb(op)];
export const v128Load = (offset = 0): Bytes => [...simd(0x00), 4, ...uleb(offset)];
export const v128Load32Splat = (offset = 0): Bytes => [...simd(0x09), 2, ...uleb(offset)];
export const v128Store = (offset = 0): Bytes => [...simd(0x0b), 4, ...uleb(offset)];
export const f32x4Add: Bytes = simd(0xe4);
export const f32x4Mul: Bytes = simd(0xe6);
/** Lane-wise maximum; NaN in either operand gives NaN, and max(-0, 0) is 0. */
export const f32x4Max: Bytes = simd(0xe9);
/** A v128 of zero bits (four float32 zeros). */
export const v128Zero: Bytes = [...simd(0x0c), ...new Array<number>(16).fill(0)];
