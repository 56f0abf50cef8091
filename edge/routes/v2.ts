/**
 * The Open Inference Protocol (KServe V2): health, model metadata and `infer`. Inputs are either one
 * tensor per feature (named as the feature, shape [n] or [n, 1]) or one [n, features] tensor in
 * signature order; outputs are `label` (BYTES) and `probabilities` (FP32, [n, k]), or `value` (FP32).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { FlywheelError } from '../../core/errors';
import { validated, type EdgeContext, type EdgeEnv } from '../http';
import { clientJsonBody } from '../protocols';
import type { EdgeServices } from '../services';
import { modelName, versionNumber } from './registry';
import { checkReadable, predict } from './caller';

const tensorSchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()).min(1).max(2),
  datatype: z.enum(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES']),
  data: z.array(z.unknown()),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export const inferSchema = z.strictObject({
  id: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  inputs: z.array(tensorSchema).min(1),
  outputs: z.array(z.strictObject({ name: z.string(), parameters: z.record(z.string(), z.unknown()).optional() })).optional(),
});

const V2_TYPE: Record<string, string> = { numeric: 'FP64', integer: 'INT64', boolean: 'BOOL', categorical: 'BYTES', datetime: 'BYTES', text: 'BYTES' };

export function v2Routes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();
  r.get('/v2/health/live', (c) => c.json({ live: true }));
  r.get('/v2/health/ready', (c) => c.json({ ready: true }));
  r.get('/v2', (c) => c.json({ name: 'flywheel', version: svc.ports.version, extensions: [] }));

  const metadata = async (name: string, version: number | null) => {
    const info = await svc.registry.describe(name);
    const v = version ?? (await svc.serving.routing(name))?.primary ?? null;
    if (v === null) throw new FlywheelError('not_found', `model "${name}" has no versions`);
    const stored = await svc.registry.requireVersion(name, v);
    const sig = stored.manifest.signature;
    return {
      name,
      versions: info.versions.map((x) => String(x.version)),
      platform: 'flywheel-lean',
      inputs: sig.inputs.map((f) => ({ name: f.name, datatype: V2_TYPE[f.type], shape: [-1] })),
      outputs: sig.output.task === 'classification'
        ? [{ name: 'label', datatype: 'BYTES', shape: [-1] }, { name: 'probabilities', datatype: 'FP32', shape: [-1, sig.output.labels.length] }]
        : [{ name: 'value', datatype: 'FP32', shape: [-1] }],
    };
  };
  r.get('/v2/models/:name', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    return c.json(await metadata(name, null));
  });
  r.get('/v2/models/:name/versions/:version', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    return c.json(await metadata(name, versionNumber(c.req.param('version'))));
  });
  r.get('/v2/models/:name/ready', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    return c.json({ name, ready: true });
  });

  const infer = async (c: EdgeContext, name: string, pinned: number | null) => {
    // tritonclient sends no content-type: any JSON-ish type is read (edge/protocols/client-json.ts).
    const body = validated(await clientJsonBody(c, { pythonTokens: false }), inferSchema);
    const rows = tensorsToRows(body.inputs);
    const out = await predict(svc, c, name, pinned, rows, 'inputs');
    const n = out.predictions.length;
    const first = out.predictions[0];
    const outputs = 'label' in first
      ? [
          { name: 'label', datatype: 'BYTES', shape: [n], data: out.predictions.map((p) => ('label' in p ? p.label : '')) },
          { name: 'probabilities', datatype: 'FP32', shape: [n, Object.keys(first.probabilities).length], data: out.predictions.flatMap((p) => ('label' in p ? Object.values(p.probabilities) : [])) },
        ]
      : [{ name: 'value', datatype: 'FP32', shape: [n], data: out.predictions.map((p) => ('value' in p ? p.value : NaN)) }];
    const wanted = body.outputs?.map((o) => o.name);
    return c.json({
      model_name: name,
      model_version: String(out.version),
      ...(body.id !== undefined ? { id: body.id } : {}),
      parameters: { request_ids: out.requestIds },
      outputs: wanted ? outputs.filter((o) => wanted.includes(o.name)) : outputs,
    });
  };
  r.post('/v2/models/:name/infer', (c) => infer(c, modelName(c.req.param('name')), null));
  r.post('/v2/models/:name/versions/:version/infer', (c) => infer(c, modelName(c.req.param('name')), versionNumber(c.req.param('version'))));
  return r;
}

/** Rows from V2 tensors: per-feature tensors by name, or one [n, features] tensor as arrays in signature order. */
function tensorsToRows(inputs: z.infer<typeof tensorSchema>[]): unknown[] {
  for (const [i, t] of inputs.entries()) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== size) throw new FlywheelError('bad_input', `inputs[${i}] (${t.name}) has ${t.data.length} values for shape [${t.shape.join(', ')}]`, [{ path: `inputs[${i}].data`, message: 'size does not match shape' }]);
  }
  if (inputs.length === 1 && inputs[0].shape.length === 2 && inputs[0].shape[1] > 1) {
    const [n, k] = inputs[0].shape;
    return Array.from({ length: n }, (_, r) => inputs[0].data.slice(r * k, (r + 1) * k));
  }
  const n = inputs[0].shape[0];
  for (const [i, t] of inputs.entries()) {
    if (t.shape[0] !== n || (t.shape.length === 2 && t.shape[1] !== 1)) throw new FlywheelError('bad_input', `inputs[${i}] (${t.name}) must have shape [${n}] or [${n}, 1] like inputs[0]`, [{ path: `inputs[${i}].shape`, message: 'shape differs' }]);
  }
  return Array.from({ length: n }, (_, r) => Object.fromEntries(inputs.map((t) => [t.name, t.data[r]])));
}
