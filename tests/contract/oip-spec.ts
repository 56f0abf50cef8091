/**
 * The Open Inference Protocol's response schemas, written as zod from `components.schemas` of
 * kserve/open-inference-protocol `specification/protocol/open_inference_rest.yaml` (objects there
 * allow other keys, so these do too; `$parameters` values are strings, numbers or booleans as
 * inference_rest.md's "Parameters" says). A binary output has no `data` (extension_binary_data.md):
 * its `parameters.binary_data_size` stands for it. Also: a binary body split as that document lays it out.
 */
import { z } from 'zod';

const parameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
type TensorData = (number | string | boolean | null | TensorData)[];
// null: a non-finite FP32 written by JSON.stringify.
const tensorData: z.ZodType<TensorData> = z.lazy(() =>
  z.array(z.union([z.number(), z.string(), z.boolean(), z.null(), tensorData])),
);
const metadataTensor = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number().int()) });

export const oipSpec = {
  metadataServerResponse: z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) }),
  metadataModelResponse: z.object({
    name: z.string(),
    versions: z.array(z.string()).optional(),
    platform: z.string(),
    inputs: z.array(metadataTensor).optional(),
    outputs: z.array(metadataTensor).optional(),
  }),
  /** inference_rest.md's `$ready_model_response` (the yaml gives the route no body schema). */
  readyModelResponse: z.object({ name: z.string(), ready: z.boolean() }),
  errorResponse: z.object({ error: z.string() }),
  inferenceResponse: z.object({
    model_name: z.string(),
    model_version: z.string().optional(),
    id: z.string().optional(),
    parameters: parameters.optional(),
    outputs: z.array(
      z.union([
        z.object({
          name: z.string(),
          shape: z.array(z.number().int()),
          datatype: z.string(),
          parameters: parameters.optional(),
          data: tensorData,
        }),
        z.object({
          name: z.string(),
          shape: z.array(z.number().int()),
          datatype: z.string(),
          parameters: parameters.and(z.object({ binary_data_size: z.number().int().nonnegative() })),
        }),
      ]),
    ),
  }),
};

/** A binary response: its JSON header and each binary output's bytes by name, read as tritonclient's InferResult reads them. */
export function splitBinaryResponse(
  body: Uint8Array,
  headerLength: number,
): { json: z.infer<typeof oipSpec.inferenceResponse>; tensors: Map<string, Uint8Array> } {
  const json = oipSpec.inferenceResponse.parse(JSON.parse(new TextDecoder().decode(body.subarray(0, headerLength))));
  const tensors = new Map<string, Uint8Array>();
  let at = headerLength;
  for (const o of json.outputs) {
    const size = o.parameters?.binary_data_size;
    if (typeof size !== 'number') continue;
    tensors.set(o.name, body.subarray(at, at + size));
    at += size;
  }
  if (at !== body.byteLength)
    throw new Error(
      `the binary outputs take ${at - headerLength} bytes, the body has ${body.byteLength - headerLength} after the JSON`,
    );
  return { json, tensors };
}

/** BYTES elements (uint32 little-endian length, then UTF-8), as tritonclient's deserialize_bytes_tensor reads them. */
export function readBytesTensor(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let at = 0; at < bytes.byteLength;) {
    const n = view.getUint32(at, true);
    out.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  return out;
}

/** A request body as the binary extension lays it out, with BYTES and FP64 tensors as tritonclient encodes them. */
export function binaryRequest(header: object, tensors: Uint8Array[]): { body: Uint8Array; headerLength: number } {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const body = new Uint8Array(json.byteLength + tensors.reduce((a, t) => a + t.byteLength, 0));
  body.set(json);
  let at = json.byteLength;
  for (const t of tensors) {
    body.set(t, at);
    at += t.byteLength;
  }
  return { body, headerLength: json.byteLength };
}

/** One value as a binary tensor: FP64 little-endian for a number, a length-prefixed UTF-8 BYTES element for a string. */
export function binaryValue(v: number | string): { datatype: 'FP64' | 'BYTES'; bytes: Uint8Array } {
  if (typeof v === 'number') {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, v, true);
    return { datatype: 'FP64', bytes };
  }
  const text = new TextEncoder().encode(v);
  const bytes = new Uint8Array(4 + text.byteLength);
  new DataView(bytes.buffer).setUint32(0, text.byteLength, true);
  bytes.set(text, 4);
  return { datatype: 'BYTES', bytes };
}
