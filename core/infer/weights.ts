/**
 * Decoding `weights.bin` into named Float32Arrays, following tfjs `io.decodeWeights`: weights lie
 * back to back in manifest order, in the platform's (little-endian) byte order, optionally quantised.
 */
import { FlywheelError } from '../errors';
import type { WeightSpec } from './layers-format';

export interface DecodedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Bytes per stored value, by dtype (quantised dtypes included), as tfjs's `DTYPE_VALUE_SIZE_MAP`. */
const BYTES_PER_VALUE: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Splits the weight bytes by the manifest and decodes each weight to float32 (dequantising uint8,
 * uint16 and float16 as tfjs does). The byte count must match the manifest exactly: a short or long
 * `weights.bin` means the files do not belong together, which is a `bad_model` error saying both sizes.
 */
export function decodeWeights(specs: WeightSpec[], data: Uint8Array): Map<string, DecodedWeight> {
  const weights = new Map<string, DecodedWeight>();
  let offset = 0;
  specs.forEach((spec, i) => {
    const path = `weightsManifest.weights[${i}]`;
    if (!spec || typeof spec.name !== 'string' || !Array.isArray(spec.shape) || !spec.shape.every(isDim)) {
      throw new FlywheelError('bad_model', `${path} needs a string name and a shape of non-negative integers`, [
        { path, message: 'malformed weight spec' },
      ]);
    }
    if (weights.has(spec.name)) {
      throw new FlywheelError('bad_model', `weight "${spec.name}" appears twice in the weights manifest`, [
        { path, message: 'duplicate weight name' },
      ]);
    }
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const size = BYTES_PER_VALUE[stored];
    if (size === undefined) {
      throw new FlywheelError(
        'unsupported',
        `weight "${spec.name}" is stored as ${stored}, which the lean runtime cannot read`,
        [{ path, message: `dtype ${stored}` }],
      );
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const end = offset + count * size;
    if (end <= data.byteLength) {
      // slice() copies to a fresh, aligned buffer: a quantised weight can leave the next one misaligned.
      weights.set(spec.name, {
        name: spec.name,
        shape: spec.shape,
        values: decodeValues(spec, stored, data.slice(offset, end).buffer, count),
      });
    }
    offset = end;
  });
  if (offset !== data.byteLength) {
    throw new FlywheelError(
      'bad_model',
      `weights.bin has ${data.byteLength} bytes but the weights manifest describes ${offset} bytes (${specs.length} weights): the weights do not belong to this model.json`,
      [{ path: 'weightsManifest', message: `expected ${offset} bytes, got ${data.byteLength}` }],
    );
  }
  return weights;
}

function decodeValues(spec: WeightSpec, stored: string, buffer: ArrayBuffer, count: number): Float32Array {
  const q = spec.quantization;
  switch (stored) {
    case 'float32':
      return new Float32Array(buffer);
    case 'int32':
      return Float32Array.from(new Int32Array(buffer));
    case 'bool':
      return Float32Array.from(new Uint8Array(buffer));
    case 'float16':
      return decodeFloat16(new Uint16Array(buffer));
    case 'uint8':
    case 'uint16': {
      if (typeof q?.scale !== 'number' || typeof q.min !== 'number') {
        throw new FlywheelError(
          'bad_model',
          `weight "${spec.name}" is quantised to ${stored} without a scale and min`,
          [{ path: spec.name, message: 'missing scale/min' }],
        );
      }
      const raw = stored === 'uint8' ? new Uint8Array(buffer) : new Uint16Array(buffer);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = raw[i] * q.scale + q.min;
      return out;
    }
    default:
      throw new FlywheelError(
        'unsupported',
        `weight "${spec.name}" is stored as ${stored}, which the lean runtime cannot use`,
        [{ path: spec.name, message: `dtype ${stored}` }],
      );
  }
}

/** IEEE 754 half precision to float32; every half value is exact in float32, so this matches tfjs bit for bit. */
function decodeFloat16(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

function isDim(d: unknown): boolean {
  return Number.isInteger(d) && (d as number) >= 0;
}
