/**
 * The Open Inference Protocol (KServe V2, Triton): health, server and model metadata, model
 * readiness and `infer`, with Triton's binary tensor data extension (edge/protocols/oip-*.ts).
 * Every answer under /v2, errors and unknown paths included, is in the protocol's shape.
 */
import { Hono } from 'hono';
import { FlywheelError } from '../../core/errors';
import { authenticate, MAX_JSON_BYTES, readLimited, type EdgeContext, type EdgeEnv } from '../http';
import {
  BINARY_EXTENSION,
  checkRequestedOutputs,
  INFERENCE_HEADER,
  inferAnswer,
  oipError,
  outputNames,
  parseInferBody,
  tensorsToRows,
} from '../protocols';
import type { EdgeServices } from '../services';
import { modelName } from './registry';
import { checkReadable, predict } from './caller';

/**
 * Infer bodies above this are refused with 413: the JSON limit, since binary tensors are smaller
 * than the same values written as JSON.
 */
const MAX_INFER_BYTES = MAX_JSON_BYTES;

const V2_TYPE: Record<string, string> = {
  numeric: 'FP64',
  integer: 'INT64',
  boolean: 'BOOL',
  categorical: 'BYTES',
  datetime: 'BYTES',
  text: 'BYTES',
};

/** A version segment of a V2 path: anything but a version number names no version, so it is a 404 like a version that does not exist. */
function versionIn(model: string, raw: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(raw))
    throw new FlywheelError('not_found', `model "${model}" has no version "${raw}"`, [
      { path: `${model}/versions/${raw}`, message: 'no such version' },
    ]);
  return Number(raw);
}

export function v2Routes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();
  // Hono keeps a mounted app's onError for its own routes and middleware: a 401 is in V2's shape too.
  r.onError((e, c) => {
    const { status, body } = oipError(e, c.get('requestId'));
    return c.json(body, status as 400);
  });
  r.use('/v2/*', authenticate(svc.keys));
  r.get('/v2/health/live', (c) => c.json({ live: true }));
  r.get('/v2/health/ready', (c) => c.json({ ready: true }));
  const server = (c: EdgeContext) =>
    c.json({ name: 'flywheel', version: svc.ports.version, extensions: [BINARY_EXTENSION] });
  r.get('/v2', server);
  r.get('/v2/', server);

  /** The model's version `pinned`, or the one routing serves (the champion) when null; a 404 when there is none. */
  const resolve = async (c: EdgeContext, rawName: string, rawVersion: string | null) => {
    const name = modelName(rawName);
    await checkReadable(svc, c, name);
    const version = rawVersion === null ? (await svc.serving.routing(name))?.primary : versionIn(name, rawVersion);
    if (version === undefined)
      throw new FlywheelError('not_found', `model "${name}" has no versions`, [{ path: name, message: 'no versions' }]);
    return { name, version, stored: await svc.registry.requireVersion(name, version) };
  };

  const metadata = async (c: EdgeContext, rawVersion: string | null) => {
    const { name, stored } = await resolve(c, c.req.param('name')!, rawVersion);
    const info = await svc.registry.describe(name);
    const sig = stored.manifest.signature;
    const k = sig.output.task === 'classification' ? sig.output.labels.length : 0;
    return c.json({
      name,
      versions: info.versions.map((x) => String(x.version)),
      platform: 'flywheel-lean',
      inputs: sig.inputs.map((f) => ({ name: f.name, datatype: V2_TYPE[f.type], shape: [-1] })),
      outputs: outputNames(sig.output.task).map((o) =>
        o === 'probabilities'
          ? { name: o, datatype: 'FP32', shape: [-1, k] }
          : { name: o, datatype: o === 'label' ? 'BYTES' : 'FP32', shape: [-1] },
      ),
    });
  };
  r.get('/v2/models/:name', (c) => metadata(c, null));
  r.get('/v2/models/:name/versions/:version', (c) => metadata(c, c.req.param('version')));

  /** Ready when the version exists and loads: the model can answer now. */
  const ready = async (c: EdgeContext, rawVersion: string | null) => {
    const { name, version } = await resolve(c, c.req.param('name')!, rawVersion);
    await svc.serving.load(name, version);
    return c.json({ name, ready: true });
  };
  r.get('/v2/models/:name/ready', (c) => ready(c, null));
  r.get('/v2/models/:name/versions/:version/ready', (c) => ready(c, c.req.param('version')));

  const infer = async (c: EdgeContext, rawVersion: string | null) => {
    const name = modelName(c.req.param('name')!);
    const body = await readLimited(c, MAX_INFER_BYTES);
    // An unknown model or version is a 404 before the body is judged.
    const pinned = rawVersion === null ? null : versionIn(name, rawVersion);
    await checkReadable(svc, c, name);
    const { version } = await svc.serving.choose(name, pinned, c.req.header('x-routing-key') ?? null);
    const loaded = svc.serving.loadedNow(name, version) ?? (await svc.serving.load(name, version));
    const { request, values } = parseInferBody(
      c.req.header('content-type') ?? '',
      c.req.header(INFERENCE_HEADER),
      body,
    );
    if (request.model_name !== undefined && request.model_name !== name)
      throw new FlywheelError(
        'bad_input',
        `model_name "${request.model_name}" is not the model of the path, "${name}"`,
        [{ path: 'model_name', message: 'differs from the path' }],
      );
    checkRequestedOutputs(request, outputNames(loaded.manifest.head.task));
    const rows = tensorsToRows(request.inputs, values, loaded.featureNames);
    if (rows.length === 0)
      throw new FlywheelError('bad_input', 'the inputs hold no rows: their first dimension is 0', [
        { path: 'inputs[0].shape', message: 'no rows' },
      ]);
    const out = await predict(svc, c, name, version, rows, 'rows');
    // Row i of a batch is logged as `<request_id>:<i>` (feedback names it so), as on the native routes.
    const answer = inferAnswer(
      request,
      { model_name: name, model_version: String(out.version), parameters: { request_id: c.get('requestId') } },
      out.predictions,
    );
    if (!answer.binary) return c.json(answer.json);
    return c.body(answer.binary.body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/octet-stream',
      [INFERENCE_HEADER]: String(answer.binary.headerLength),
    });
  };
  r.post('/v2/models/:name/infer', (c) => infer(c, null));
  r.post('/v2/models/:name/versions/:version/infer', (c) => infer(c, c.req.param('version')));

  // Any other /v2 path is the protocol's 404, not the native envelope.
  r.all('/v2/*', (c) => {
    throw new FlywheelError('not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  });
  return r;
}
