/**
 * TF Serving's REST API (KServe V1): `POST /v1/models/{name}[/versions/{v}|/labels/{label}]:predict`,
 * `GET …/metadata` and the status of a label. The status of a model or a version is the native
 * `GET /v1/models/{name}[/versions/{v}]` (./registry.ts), which carries `model_version_status`.
 * Errors on these paths are `{"error": "…"}` (edge/app.ts picks the shape by isTfServingPath).
 */
import { Hono } from 'hono';
import { FlywheelError } from '../../core/errors';
import { MAX_JSON_BYTES, readLimited, type EdgeContext, type EdgeEnv } from '../http';
import { clientJsonBody } from '../protocols';
import { tfServingAnswer, tfServingMetadata, tfServingRows } from '../protocols/tf-serving';
import { modelVersionStatus } from '../protocols/tf-serving-status';
import { checkReadable, predict as predictFor } from './caller';
import type { EdgeServices } from '../services';
import { modelName, versionNumber } from './registry';

/** Which version a path names: a number, an alias (TF Serving's label), or neither (routing chooses). */
type Target = { version: string } | { label: string } | null;

export function tfServingRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();

  /** The version `target` names, after the caller may read the model; null: routing chooses (canary split, else the champion). */
  const resolve = async (c: EdgeContext, name: string, target: Target): Promise<number | null> => {
    await checkReadable(svc, c, name);
    if (target === null) return null;
    if ('version' in target) return (await svc.registry.requireVersion(name, versionNumber(target.version))).version;
    const version = await svc.registry.aliasVersion(name, target.label);
    if (version === null) {
      const labels = Object.keys((await svc.registry.describe(name)).aliases);
      throw new FlywheelError(
        'not_found',
        `model "${name}" has no label "${target.label}"${labels.length ? `: its labels are ${labels.join(', ')}` : ''}`,
        [{ path: 'label', message: 'no such label' }],
      );
    }
    return version;
  };

  /** The version a read (status, metadata) is about: the named one, else the one plain predictions go to. */
  const resolveServed = async (c: EdgeContext, name: string, target: Target): Promise<number> => {
    const named = await resolve(c, name, target);
    if (named !== null) return named;
    const routing = await svc.serving.routing(name);
    if (!routing)
      throw new FlywheelError('not_found', `model "${name}" has no versions`, [{ path: name, message: 'no versions' }]);
    return routing.primary;
  };

  const predict = async (c: EdgeContext, name: string, target: Target) => {
    // The model and version are judged before the body (api_rest.md: a body for a model that is not there is a 404).
    let pinned: number | null;
    try {
      pinned = await resolve(c, name, target);
    } catch (e) {
      // Read what the client sent before answering: workerd resets a connection whose request body was left unread.
      await readLimited(c, MAX_JSON_BYTES).catch(() => undefined);
      throw e;
    }
    // As TF Serving's clients send it: `curl -d` (form-urlencoded) and Python's NaN/Infinity.
    const { rows, path, columnar } = tfServingRows(await clientJsonBody(c, { pythonTokens: true }));
    const out = await predictFor(svc, c, name, pinned, rows, path);
    return c.json({ ...tfServingAnswer(out.predictions, columnar), model_version: String(out.version) });
  };
  const withoutVerb = (raw: string) => raw.replace(/:predict$/, '');

  r.post('/v1/models/:target{[^/]+:predict}', (c) => predict(c, modelName(withoutVerb(c.req.param('target'))), null));
  r.post('/v1/models/:name/versions/:target{[^/]+:predict}', (c) =>
    predict(c, modelName(c.req.param('name')), { version: withoutVerb(c.req.param('target')) }),
  );
  r.post('/v1/models/:name/labels/:target{[^/]+:predict}', (c) =>
    predict(c, modelName(c.req.param('name')), { label: withoutVerb(c.req.param('target')) }),
  );

  const metadata = async (c: EdgeContext, target: Target) => {
    const name = modelName(c.req.param('name')!);
    const version = await resolveServed(c, name, target);
    return c.json(tfServingMetadata(name, version, (await svc.registry.requireVersion(name, version)).manifest));
  };
  r.get('/v1/models/:name/metadata', (c) => metadata(c, null));
  r.get('/v1/models/:name/versions/:version/metadata', (c) => metadata(c, { version: c.req.param('version') }));
  r.get('/v1/models/:name/labels/:label/metadata', (c) => metadata(c, { label: c.req.param('label') }));

  r.get('/v1/models/:name/labels/:label', async (c) => {
    const name = modelName(c.req.param('name'));
    return c.json({
      model_version_status: modelVersionStatus([await resolveServed(c, name, { label: c.req.param('label') })]),
    });
  });

  return r;
}
