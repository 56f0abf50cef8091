/**
 * The Open Inference Protocol's request tensors (kserve/open-inference-protocol `inference_rest.md`):
 * the request schema, tensor data given flat or in its nested row-major shape, and rows made from
 * the tensors: one tensor per feature (named as the feature, shape [n] or [n, 1]) or one
 * [n, features] tensor in signature order.
 */
import { z } from 'zod';
import { FlywheelError } from '../../core/errors';

export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;
export type Datatype = (typeof DATATYPES)[number];

/** `$parameters`: values are strings, numbers or booleans, nothing nested (inference_rest.md, "Parameters"). */
export const parametersSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/**
 * An optional member that may also come as null: older KServe clients send `"id": null` when no id
 * was set (`InferRequest.to_rest`), and KServe's server reads null as absent. Read as absent here too.
 */
function optional<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();
}

const tensorSchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()).min(1).max(2),
  datatype: z.enum(DATATYPES),
  /** Flat, or nested as the shape; absent when the tensor comes as binary data (`parameters.binary_data_size`). */
  data: z.array(z.unknown()).optional(),
  parameters: optional(parametersSchema),
});
export type RequestTensor = z.infer<typeof tensorSchema>;

/** `$inference_request`. */
export const inferSchema = z.strictObject({
  /** Not in `$inference_request`, but in the binary extension's example; it must name the model of the path. */
  model_name: optional(z.string()),
  id: optional(z.string()),
  parameters: optional(parametersSchema),
  inputs: z.array(tensorSchema).min(1),
  outputs: optional(z.array(z.strictObject({ name: z.string().min(1), parameters: optional(parametersSchema) }))),
});
export type InferRequest = z.infer<typeof inferSchema>;

export function badTensor(path: string, message: string, problem: string): FlywheelError {
  return new FlywheelError('bad_input', `${path}: ${message}`, [{ path, message: problem }]);
}

/** The number of elements a shape holds. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A JSON tensor's values in row-major order. The spec lets `data` be flat or nested in the tensor's
 * own shape; nested data must match the shape at every level, and flat data must hold exactly as
 * many values as the shape. Values are scalars (null is a missing value).
 */
export function jsonTensorValues(t: RequestTensor, i: number): unknown[] {
  const path = `inputs[${i}]`;
  const data = t.data!;
  const shape = `[${t.shape.join(', ')}]`;
  if (!data.some(Array.isArray)) {
    const size = elementCount(t.shape);
    if (data.length !== size)
      throw badTensor(
        `${path}.data`,
        `${t.name} has ${data.length} value(s) for shape ${shape}, which holds ${size}`,
        'size does not match shape',
      );
    data.forEach((v, j) => checkScalar(v, `${path}.data[${j}]`));
    return data;
  }
  const out: unknown[] = [];
  const walk = (node: unknown, depth: number, at: string): void => {
    if (depth === t.shape.length) {
      checkScalar(node, at);
      out.push(node);
      return;
    }
    const want = t.shape[depth];
    if (!Array.isArray(node) || node.length !== want) {
      const got = Array.isArray(node) ? `${node.length} value(s)` : 'a scalar';
      throw badTensor(
        at,
        `${t.name} has ${got} where shape ${shape} needs ${want} (dimension ${depth})`,
        'nesting does not match shape',
      );
    }
    node.forEach((v, j) => walk(v, depth + 1, `${at}[${j}]`));
  };
  walk(data, 0, `${path}.data`);
  return out;
}

function checkScalar(v: unknown, at: string): void {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return;
  throw badTensor(
    at,
    `expected a number, string, boolean or null, got ${Array.isArray(v) ? 'an array nested deeper than the shape' : typeof v}`,
    'not a scalar',
  );
}

/**
 * Rows for the model from the input tensors and their values: one [n, k] tensor (k > 1) is n rows
 * in signature order; otherwise each tensor is one feature, named as the feature, of shape [n] or [n, 1].
 */
export function tensorsToRows(
  inputs: readonly RequestTensor[],
  values: readonly unknown[][],
  features: readonly string[],
): unknown[] {
  if (inputs.length === 1 && inputs[0].shape.length === 2 && inputs[0].shape[1] > 1) {
    const [n, k] = inputs[0].shape;
    return Array.from({ length: n }, (_, r) => values[0].slice(r * k, (r + 1) * k));
  }
  const known = new Set(features);
  const unknown = inputs.filter((t) => !known.has(t.name)).map((t) => t.name);
  if (unknown.length) {
    throw new FlywheelError(
      'bad_input',
      `input(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')} are not features of the model; its inputs are ${features.map((f) => JSON.stringify(f)).join(', ')} (or one [n, ${features.length}] tensor in that order)`,
      unknown.map((n) => ({ path: `inputs.${n}`, message: 'unknown input' })),
    );
  }
  const seen = new Set<string>();
  for (const [i, t] of inputs.entries()) {
    if (seen.has(t.name)) throw badTensor(`inputs[${i}].name`, `${t.name} is given twice`, 'duplicate input');
    seen.add(t.name);
  }
  const n = inputs[0].shape[0];
  for (const [i, t] of inputs.entries()) {
    if (t.shape[0] !== n || (t.shape.length === 2 && t.shape[1] !== 1))
      throw badTensor(
        `inputs[${i}].shape`,
        `${t.name} must have shape [${n}] or [${n}, 1] like inputs[0], got [${t.shape.join(', ')}]`,
        'shape differs',
      );
  }
  return Array.from({ length: n }, (_, r) => Object.fromEntries(inputs.map((t, i) => [t.name, values[i][r]])));
}
