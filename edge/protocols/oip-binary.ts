/**
 * Triton's binary tensor data extension (server/docs/protocol/extension_binary_data.md), the default
 * of tritonclient and KServe's client: the body is the JSON request, `Inference-Header-Content-Length`
 * bytes long, then each binary tensor's bytes in the order of the tensors that declare
 * `parameters.binary_data_size`. Elements are little-endian, row-major, unpadded; BOOL is one byte
 * (0 or 1) and each BYTES element a 4-byte little-endian length and that many bytes.
 */
import { FlywheelError } from '../../core/errors';
import { badTensor, elementCount, type Datatype, type RequestTensor } from './oip-tensors';

/** The header that says how long the JSON part of a binary request or response is. */
export const INFERENCE_HEADER = 'Inference-Header-Content-Length';
/** The extension's name in `GET /v2`'s `extensions`, as Triton reports it. */
export const BINARY_EXTENSION = 'binary_tensor_data';

/** Bytes per element of each fixed-size datatype. */
const ELEMENT_BYTES: Record<Exclude<Datatype, 'BYTES'>, number> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** A body's JSON part and the binary part after it, as `Inference-Header-Content-Length` (the header's raw value) divides them. */
export function splitBinaryBody(body: Uint8Array, headerLength: string): { json: Uint8Array; binary: Uint8Array } {
  const n = /^\s*\d{1,15}\s*$/.test(headerLength) ? Number(headerLength) : NaN;
  if (!Number.isSafeInteger(n))
    throw new FlywheelError(
      'bad_input',
      `${INFERENCE_HEADER} must be the JSON header's length in bytes, got ${JSON.stringify(headerLength.slice(0, 40))}`,
      [{ path: INFERENCE_HEADER, message: 'not a byte count' }],
    );
  if (n > body.byteLength)
    throw new FlywheelError(
      'bad_input',
      `${INFERENCE_HEADER} says the JSON header is ${n} bytes, but the whole body is ${body.byteLength}`,
      [{ path: INFERENCE_HEADER, message: 'longer than the body' }],
    );
  return { json: body.subarray(0, n), binary: body.subarray(n) };
}

/**
 * Each input's values from the binary part (null for an input given as JSON `data`). Every size is
 * checked against the datatype and shape, and the sizes together must be exactly the binary part:
 * a truncated body or bytes left over are refused, naming the tensor.
 */
export function binaryInputValues(inputs: readonly RequestTensor[], binary: Uint8Array): (unknown[] | null)[] {
  let at = 0;
  const out = inputs.map((t, i) => {
    const size = t.parameters?.binary_data_size;
    const path = `inputs[${i}]`;
    if (size === undefined) {
      if (t.data === undefined)
        throw badTensor(path, `${t.name} has neither data nor parameters.binary_data_size`, 'no data');
      return null;
    }
    if (t.data !== undefined)
      throw badTensor(path, `${t.name} has both data and parameters.binary_data_size: send one`, 'data twice');
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw badTensor(
        `${path}.parameters.binary_data_size`,
        `${t.name}'s binary_data_size must be a whole number of bytes, got ${JSON.stringify(size)}`,
        'not a byte count',
      );
    if (at + size > binary.byteLength)
      throw badTensor(
        `${path}.parameters.binary_data_size`,
        `${t.name} declares ${size} bytes of binary data but only ${binary.byteLength - at} remain after the JSON header (the body is cut short, or the sizes are wrong)`,
        'past the end of the body',
      );
    const values = decodeTensor(t, binary.subarray(at, at + size), path);
    at += size;
    return values;
  });
  if (at !== binary.byteLength)
    throw new FlywheelError(
      'bad_input',
      `the body has ${binary.byteLength - at} byte(s) after the last binary input: the binary_data_size values add up to ${at}, the binary part is ${binary.byteLength}`,
      [{ path: 'body', message: 'bytes left over' }],
    );
  return out;
}

/** One tensor's values from its bytes. */
function decodeTensor(t: RequestTensor, bytes: Uint8Array, path: string): unknown[] {
  const count = elementCount(t.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (t.datatype === 'BYTES') return decodeBytes(t, view, bytes, count, path);
  const width = ELEMENT_BYTES[t.datatype];
  if (bytes.byteLength !== count * width) {
    throw badTensor(
      `${path}.parameters.binary_data_size`,
      `${t.name} is ${t.datatype} of shape [${t.shape.join(', ')}]: ${count} × ${width} = ${count * width} bytes, but binary_data_size is ${bytes.byteLength}`,
      'size does not match shape and datatype',
    );
  }
  const read = READERS[t.datatype];
  const out = new Array<unknown>(count);
  for (let j = 0; j < count; j++) out[j] = read(view, j * width);
  if (t.datatype === 'BOOL') {
    const bad = out.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0)
      throw badTensor(
        `${path}[${bad}]`,
        `${t.name} is BOOL, whose elements are the bytes 0 or 1, got ${String(out[bad])}`,
        'not a BOOL',
      );
    return out.map((v) => v === 1);
  }
  return out;
}

const READERS: Record<Exclude<Datatype, 'BYTES'>, (v: DataView, at: number) => number> = {
  BOOL: (v, at) => v.getUint8(at),
  UINT8: (v, at) => v.getUint8(at),
  INT8: (v, at) => v.getInt8(at),
  UINT16: (v, at) => v.getUint16(at, true),
  INT16: (v, at) => v.getInt16(at, true),
  FP16: (v, at) => half(v.getUint16(at, true)),
  UINT32: (v, at) => v.getUint32(at, true),
  INT32: (v, at) => v.getInt32(at, true),
  FP32: (v, at) => v.getFloat32(at, true),
  // Features are doubles: integers past 2^53 round, as they would in JSON.
  UINT64: (v, at) => Number(v.getBigUint64(at, true)),
  INT64: (v, at) => Number(v.getBigInt64(at, true)),
  FP64: (v, at) => v.getFloat64(at, true),
};

/** An IEEE 754 half-precision float from its 16 bits (DataView has no getFloat16 before Node 24). */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function decodeBytes(t: RequestTensor, view: DataView, bytes: Uint8Array, count: number, path: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const j = out.length;
    if (j === count)
      throw badTensor(
        `${path}.parameters.binary_data_size`,
        `${t.name} holds more than the ${count} BYTES element(s) of shape [${t.shape.join(', ')}]: ${bytes.byteLength - at} byte(s) are left after element ${j - 1}`,
        'more elements than the shape',
      );
    if (at + 4 > bytes.byteLength)
      throw badTensor(
        `${path}[${j}]`,
        `${t.name}'s BYTES element ${j} needs a 4-byte length, but only ${bytes.byteLength - at} byte(s) remain`,
        'length cut short',
      );
    const n = view.getUint32(at, true);
    at += 4;
    if (at + n > bytes.byteLength)
      throw badTensor(
        `${path}[${j}]`,
        `${t.name}'s BYTES element ${j} says it is ${n} bytes long, but only ${bytes.byteLength - at} remain in the tensor`,
        'element cut short',
      );
    try {
      out.push(utf8.decode(bytes.subarray(at, at + n)));
    } catch {
      throw badTensor(`${path}[${j}]`, `${t.name}'s BYTES element ${j} is not UTF-8 text`, 'not UTF-8');
    }
    at += n;
  }
  if (out.length !== count)
    throw badTensor(
      `${path}.parameters.binary_data_size`,
      `${t.name} holds ${out.length} BYTES element(s), but shape [${t.shape.join(', ')}] needs ${count}`,
      'fewer elements than the shape',
    );
  return out;
}

/** An output's values as the extension's bytes: FP32 little-endian, or BYTES as length-prefixed UTF-8. */
export function encodeTensor(datatype: 'FP32' | 'BYTES', values: readonly (number | string)[]): Uint8Array {
  if (datatype === 'FP32') {
    const out = new Uint8Array(values.length * 4);
    const view = new DataView(out.buffer);
    values.forEach((v, j) => view.setFloat32(j * 4, v as number, true));
    return out;
  }
  const parts = values.map((v) => encoder.encode(String(v)));
  const out = new Uint8Array(parts.reduce((a, p) => a + 4 + p.byteLength, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.byteLength, true);
    out.set(p, at + 4);
    at += 4 + p.byteLength;
  }
  return out;
}

/** A response body: the JSON header, then each binary output's bytes in the order of the outputs. */
export function binaryBody(header: unknown, parts: readonly Uint8Array[]): { body: Uint8Array; headerLength: number } {
  const json = encoder.encode(JSON.stringify(header));
  const body = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, json.byteLength));
  body.set(json, 0);
  let at = json.byteLength;
  for (const p of parts) {
    body.set(p, at);
    at += p.byteLength;
  }
  return { body, headerLength: json.byteLength };
}
