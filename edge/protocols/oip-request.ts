/**
 * An Open Inference Protocol `infer` call end to end, without HTTP: the request read from its body
 * (JSON, or JSON then binary tensors), the model's outputs chosen as the request asks and laid out
 * as JSON or binary tensors, and errors in the protocol's shape, `{"error": "<message>"}`.
 */
import type { Prediction } from '../../core/api/contract';
import { FlywheelError } from '../../core/errors';
import { errorEnvelope, notJson, parseJson, validated } from '../http';
import { mayBeJson } from './client-json';
import { binaryBody, binaryInputValues, encodeTensor, INFERENCE_HEADER, splitBinaryBody } from './oip-binary';
import { inferSchema, jsonTensorValues, type InferRequest } from './oip-tensors';

export interface ParsedInfer {
  request: InferRequest;
  /** Each input's values, row-major and flat. */
  values: unknown[][];
}

/**
 * Reads an infer body sent as `type`, with `headerLength` the `Inference-Header-Content-Length`
 * header when there is one. JSON comes with any JSON-ish type or none (tritonclient sends none); a
 * body with binary tensors also as application/octet-stream.
 */
export function parseInferBody(type: string, headerLength: string | undefined, body: Uint8Array): ParsedInfer {
  const binaryType = /^application\/octet-stream\b/i.test(type.trim());
  if (headerLength === undefined) {
    if (binaryType)
      throw new FlywheelError(
        'bad_input',
        `a binary body needs the ${INFERENCE_HEADER} header, the length of its JSON part`,
        [{ path: INFERENCE_HEADER, message: 'missing' }],
      );
    if (!mayBeJson(type)) throw notJson(type);
    const request = validated(parseJson(new TextDecoder().decode(body)), inferSchema);
    return {
      request,
      values: request.inputs.map((t, i) => (t.data === undefined ? noData(i, t.name) : jsonTensorValues(t, i))),
    };
  }
  if (!binaryType && !mayBeJson(type))
    throw new FlywheelError(
      'bad_input',
      `expected content-type application/octet-stream or application/json, got "${type}"`,
      [{ path: 'content-type', message: 'unsupported' }],
    );
  const { json, binary } = splitBinaryBody(body, headerLength);
  const request = validated(parseJson(new TextDecoder().decode(json)), inferSchema);
  const fromBinary = binaryInputValues(request.inputs, binary);
  return { request, values: request.inputs.map((t, i) => fromBinary[i] ?? jsonTensorValues(t, i)) };
}

function noData(i: number, name: string): never {
  throw new FlywheelError(
    'bad_input',
    `inputs[${i}]: ${name} has no data (binary_data_size needs the ${INFERENCE_HEADER} header)`,
    [{ path: `inputs[${i}].data`, message: 'missing' }],
  );
}

interface OutputTensor {
  name: string;
  datatype: 'FP32' | 'BYTES';
  shape: number[];
  data: (number | string)[];
}

/** The outputs of a model with `task`: `label` (BYTES) and `probabilities` (FP32, [n, k]) of a classifier, or a regressor's `value` (FP32). */
export function outputNames(task: 'classification' | 'regression'): string[] {
  return task === 'classification' ? ['label', 'probabilities'] : ['value'];
}

function outputTensors(predictions: readonly Prediction[]): OutputTensor[] {
  const n = predictions.length;
  const first = predictions[0];
  if ('label' in first) {
    const k = Object.keys(first.probabilities).length;
    return [
      { name: 'label', datatype: 'BYTES', shape: [n], data: predictions.map((p) => ('label' in p ? p.label : '')) },
      {
        name: 'probabilities',
        datatype: 'FP32',
        shape: [n, k],
        data: predictions.flatMap((p) => ('label' in p ? Object.values(p.probabilities) : [])),
      },
    ];
  }
  return [
    { name: 'value', datatype: 'FP32', shape: [n], data: predictions.map((p) => ('value' in p ? p.value : NaN)) },
  ];
}

/**
 * Refuses requested outputs the model does not have, and output parameters of extensions this
 * server does not speak (Triton's classification and shared memory), before anything is predicted.
 */
export function checkRequestedOutputs(request: InferRequest, available: readonly string[]): void {
  const wanted = request.outputs ?? [];
  const missing = wanted.filter((o) => !available.includes(o.name)).map((o) => o.name);
  if (missing.length) {
    throw new FlywheelError(
      'bad_input',
      `the model has no output(s) ${missing.map((m) => JSON.stringify(m)).join(', ')}; its outputs are ${available.map((a) => JSON.stringify(a)).join(', ')}`,
      missing.map((m) => ({ path: `outputs.${m}`, message: 'no such output' })),
    );
  }
  for (const [i, o] of wanted.entries()) {
    for (const p of ['classification', 'shared_memory_region'] as const) {
      if (o.parameters?.[p] !== undefined)
        throw new FlywheelError(
          'unsupported',
          `outputs[${i}].parameters.${p}: this server does not implement that extension`,
          [{ path: `outputs[${i}].parameters.${p}`, message: 'unsupported extension' }],
        );
    }
    const binary = o.parameters?.binary_data;
    if (binary !== undefined && typeof binary !== 'boolean')
      throw new FlywheelError(
        'bad_input',
        `outputs[${i}].parameters.binary_data must be true or false, got ${JSON.stringify(binary)}`,
        [{ path: `outputs[${i}].parameters.binary_data`, message: 'not a boolean' }],
      );
  }
  const all = request.parameters?.binary_data_output;
  if (all !== undefined && typeof all !== 'boolean')
    throw new FlywheelError(
      'bad_input',
      `parameters.binary_data_output must be true or false, got ${JSON.stringify(all)}`,
      [{ path: 'parameters.binary_data_output', message: 'not a boolean' }],
    );
}

export interface InferAnswer {
  /** The JSON response, or the JSON header of a binary one. */
  json: Record<string, unknown>;
  /** Set when some output is binary: the whole body and the JSON part's length. */
  binary?: { body: Uint8Array; headerLength: number };
}

/**
 * `$inference_response` for `predictions`: the outputs asked for, in the order asked (all of them
 * when none are named), each as JSON data or, when `binary_data` (or the request's
 * `binary_data_output`) says so, as binary data after the JSON.
 */
export function inferAnswer(
  request: InferRequest,
  head: { model_name: string; model_version: string; parameters: Record<string, string | number | boolean> },
  predictions: readonly Prediction[],
): InferAnswer {
  const tensors = outputTensors(predictions);
  const allBinary = request.parameters?.binary_data_output === true;
  const chosen = request.outputs
    ? request.outputs.map((o) => ({
        tensor: tensors.find((t) => t.name === o.name)!,
        binary: (o.parameters?.binary_data as boolean | undefined) ?? allBinary,
      }))
    : tensors.map((tensor) => ({ tensor, binary: allBinary }));
  const parts: Uint8Array[] = [];
  const outputs = chosen.map(({ tensor, binary }) => {
    if (!binary) return tensor;
    const bytes = encodeTensor(tensor.datatype, tensor.data);
    parts.push(bytes);
    return {
      name: tensor.name,
      datatype: tensor.datatype,
      shape: tensor.shape,
      parameters: { binary_data_size: bytes.byteLength },
    };
  });
  const json = { ...head, ...(request.id !== undefined ? { id: request.id } : {}), outputs };
  return parts.length ? { json, binary: binaryBody(json, parts) } : { json };
}

/** Anything thrown, as the Open Inference Protocol answers errors: `{"error": "<message>"}` with the native status. */
export function oipError(e: unknown, requestId: string | undefined): { status: number; body: { error: string } } {
  const { status, body } = errorEnvelope(e, requestId);
  return { status, body: { error: body.error.message } };
}
