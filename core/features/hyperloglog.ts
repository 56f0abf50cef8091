/**
 * HyperLogLog distinct-count sketch: 2^HLL_BITS one-byte registers, mergeable by register-wise max.
 * Standard error ≈ 1.04 / sqrt(1024) ≈ 3.3%; small counts use linear counting and are near exact.
 */
import { mix32 } from '../hash';

export const HLL_BITS = 10;
const M = 1 << HLL_BITS;
const ALPHA = 0.7213 / (1 + 1.079 / M);

export function newRegisters(): Uint8Array {
  return new Uint8Array(M);
}

/** Adds a 32-bit hash to the registers. */
export function addHash(registers: Uint8Array, hash: number): void {
  const index = hash >>> (32 - HLL_BITS);
  const rest = (hash << HLL_BITS) | (1 << (HLL_BITS - 1));
  const rank = Math.clz32(rest) + 1;
  if (rank > registers[index]) registers[index] = rank;
}

export function mergeRegisters(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(M);
  for (let i = 0; i < M; i++) out[i] = Math.max(a[i], b[i]);
  return out;
}

export function estimateDistinct(registers: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < M; i++) {
    sum += 2 ** -registers[i];
    if (registers[i] === 0) zeros++;
  }
  const raw = (ALPHA * M * M) / sum;
  if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
  return Math.round(raw);
}

/**
 * A 32-bit hash of a float64 given as its two 32-bit halves, as a signed 32-bit integer (addHash
 * reads only the bits, the same as murmur3's finaliser gives them). Kept in int32 from end to end:
 * a value that leaves the int32 range in a hot loop (an unsigned half or hash over 2^31) sends V8's
 * optimised code back to the interpreter, once per column whose numbers first produce one.
 */
export function hashNumberHalves(lo: number, hi: number): number {
  return mix32(Math.imul(mix32(lo), 0x9e3779b1) ^ hi);
}

export function registersToBase64(registers: Uint8Array): string {
  let s = '';
  for (let i = 0; i < registers.length; i++) s += String.fromCharCode(registers[i]);
  return btoa(s);
}

export function registersFromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
