/**
 * TensorFlow Serving's REST API (KServe's V1 protocol is the same), as its `api_rest.md` writes it:
 * the predict body (`signature_name`, row `instances` or columnar `inputs`), the answer in the
 * matching form (`predictions` or `outputs`), model status, metadata with the `serving_default`
 * signature, and errors as `{"error": "<message>"}`.
 */
import { z } from 'zod';
import type { Prediction } from '../../core/api/contract';
import type { Manifest } from '../../core/bundle';
import type { FeatureSchema } from '../../core/features';
import { FlywheelError } from '../../core/errors';
import { errorEnvelope, validated } from '../http';
import { columnsToRows } from '../routes/predict';

/** The one signature a Flywheel model has, under TF Serving's default name. */
export const SERVING_DEFAULT = 'serving_default';

/**
 * Which paths speak TF Serving, so their errors are its `{"error": "…"}`: a last segment with a verb
 * (`NAME:predict`, `VERSION:predict`, `LABEL:predict`, and `:classify`/`:regress`, which are refused
 * in that shape), `…/metadata`, and the status of a label. `GET /v1/models/{name}` and
 * `…/versions/{v}` are the native API's as well: they carry TF Serving's fields, but their errors
 * stay in the native envelope, whose `error` is an object.
 */
const TF_SERVING_PATH =
  /^\/v1\/models\/[^/]+(?:\/(?:versions|labels)\/[^/]+)?(?::[A-Za-z]+|\/metadata)$|^\/v1\/models\/[^/]+\/labels\/[^/]+$/;

export function isTfServingPath(path: string): boolean {
  return TF_SERVING_PATH.test(path);
}

/** Anything thrown, as TF Serving answers it: the status of the native envelope, the message alone. */
export function tfServingError(e: unknown, requestId: string | undefined): { status: number; body: { error: string } } {
  const { status, body } = errorEnvelope(e, requestId);
  return { status, body: { error: body.error.message } };
}

const instance = z.union([
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
]);
const signatureName = { signature_name: z.string().optional() };
const rowForm = z.strictObject({ ...signatureName, instances: z.array(instance).min(1) });
const columnForm = z.strictObject({
  ...signatureName,
  inputs: z.union([z.array(instance).min(1), z.record(z.string(), z.array(z.unknown()))], {
    error: 'must be a list of rows, or an object of columns ({feature: [value, …]})',
  }),
});

/** A :predict body: row `instances` or columnar `inputs` (one [n, features] tensor as rows, or a tensor per feature), not both. */
export const tfServingPredictSchema = z.union([rowForm, columnForm]);

export interface TfServingRows {
  rows: unknown[];
  /** Where the rows sit in the body, for error messages. */
  path: 'instances' | 'inputs';
  /** Columnar requests (`inputs`) are answered with `outputs`, row requests with `predictions`. */
  columnar: boolean;
}

/**
 * The rows of a parsed :predict body. A scalar instance is a one-feature row (api_rest.md's
 * `{"instances": [1.0, 2.0, 5.0]}`); a model with more features says how many values it expects.
 * The form is told first, so a bad body is refused naming the field of its own form.
 */
export function tfServingRows(data: unknown): TfServingRows {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new FlywheelError(
      'bad_input',
      `the body must be a JSON object with "instances" (rows) or "inputs" (columns), got ${Array.isArray(data) ? 'an array' : data === null ? 'null' : typeof data}`,
      [{ path: 'body', message: 'not an object' }],
    );
  }
  const rows = 'instances' in data;
  if (rows && 'inputs' in data)
    throw new FlywheelError('bad_input', 'send either "instances" (rows) or "inputs" (columns), not both', [
      { path: 'inputs', message: 'both forms' },
    ]);
  if (!rows && !('inputs' in data)) {
    const keys = Object.keys(data);
    throw new FlywheelError(
      'bad_input',
      `"instances" is missing: send {"instances": [row, …]} or TF Serving's columnar {"inputs": {feature: [value, …]}}; ${
        keys.length
          ? `it has ${keys
              .slice(0, 5)
              .map((k) => JSON.stringify(k))
              .join(', ')}`
          : 'it is empty'
      }`,
      [{ path: 'instances', message: 'missing' }],
    );
  }
  const body = rows ? validated(data, rowForm) : validated(data, columnForm);
  const name = body.signature_name;
  if (name !== undefined && name !== '' && name !== SERVING_DEFAULT) {
    throw new FlywheelError(
      'bad_input',
      `signature_name ${JSON.stringify(name)} is not a signature of this model: it has only "${SERVING_DEFAULT}"`,
      [{ path: 'signature_name', message: 'unknown signature' }],
    );
  }
  const asRow = (x: unknown) => (typeof x === 'object' && x !== null ? x : [x]);
  const read = (rows: unknown[], path: TfServingRows['path'], columnar: boolean): TfServingRows => ({
    rows: rows.map((row, i) => decodeB64Values(row, `${path}[${i}]`)),
    path,
    columnar,
  });
  if ('instances' in body) return read(body.instances.map(asRow), 'instances', false);
  if (Array.isArray(body.inputs)) return read(body.inputs.map(asRow), 'inputs', true);
  return read(columnsToRows(body.inputs, 'inputs'), 'inputs', true);
}

/**
 * TF Serving's JSON for a binary string, `{"b64": "…"}` (api_rest.md, "Encoding binary values"),
 * as the UTF-8 text it encodes; a row's other values are left as they are.
 */
function decodeB64Values(row: unknown, path: string): unknown {
  const decode = (v: unknown, at: string): unknown => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    const b64 = (v as { b64?: unknown }).b64;
    if (keys.length !== 1 || typeof b64 !== 'string') return v;
    try {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new FlywheelError('bad_input', `${at}: {"b64": …} must hold base64 of UTF-8 text`, [
        { path: at, message: 'bad base64 text' },
      ]);
    }
  };
  if (Array.isArray(row)) return row.map((v, j) => decode(v, `${path}[${j}]`));
  if (typeof row === 'object' && row !== null)
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, decode(v, `${path}.${k}`)]));
  return row;
}

/**
 * The answer to a :predict. A regressor has one output, so its values stand alone; a classifier has
 * two: rows answer `{"label", "probabilities"}` per row (probabilities by class, as the native API),
 * columns answer each output as a tensor, `probabilities` as [n, classes] in the order of the
 * manifest's labels (the order of the keys in a row answer).
 */
export function tfServingAnswer(
  predictions: readonly Prediction[],
  columnar: boolean,
): { predictions: unknown[] } | { outputs: unknown } {
  if (!columnar) return { predictions: predictions.map((p) => ('value' in p ? p.value : p)) };
  const first = predictions[0];
  if (!('label' in first)) return { outputs: predictions.map((p) => ('value' in p ? p.value : null)) };
  return {
    outputs: {
      label: predictions.map((p) => ('label' in p ? p.label : null)),
      probabilities: predictions.map((p) => ('label' in p ? Object.values(p.probabilities) : [])),
    },
  };
}

/** TensorFlow's dtype for a feature as JSON carries it. */
const DTYPE: Record<FeatureSchema['type'], string> = {
  numeric: 'DT_DOUBLE',
  integer: 'DT_INT64',
  boolean: 'DT_BOOL',
  categorical: 'DT_STRING',
  datetime: 'DT_STRING',
  text: 'DT_STRING',
};

/** A TensorInfo as proto3 JSON writes it (int64 sizes as strings). */
function tensorInfo(name: string, dtype: string, dims: number[]) {
  return {
    dtype,
    tensor_shape: { dim: dims.map((size) => ({ size: String(size), name: '' })), unknown_rank: false },
    name,
  };
}

/** GetModelMetadataResponse: the model, its version, and the `serving_default` signature: an input per feature, the outputs a :predict answers with. */
export function tfServingMetadata(model: string, version: number, manifest: Manifest) {
  const sig = manifest.signature;
  const inputs = Object.fromEntries(sig.inputs.map((f) => [f.name, tensorInfo(f.name, DTYPE[f.type], [-1])]));
  const outputs =
    sig.output.task === 'classification'
      ? {
          label: tensorInfo('label', 'DT_STRING', [-1]),
          probabilities: tensorInfo('probabilities', 'DT_FLOAT', [-1, sig.output.labels.length]),
        }
      : { value: tensorInfo('value', 'DT_FLOAT', [-1]) };
  return {
    model_spec: { name: model, signature_name: '', version: String(version) },
    metadata: {
      signature_def: {
        '@type': 'type.googleapis.com/tensorflow.serving.SignatureDefMap',
        signature_def: { [SERVING_DEFAULT]: { inputs, outputs, method_name: 'tensorflow/serving/predict' } },
      },
    },
  };
}
