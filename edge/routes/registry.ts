/** Registry routes: list and describe models, publish bundles, read versions, move aliases, set the canary. */
import { Hono } from 'hono';
import {
  MODEL_NAME,
  aliasRequestSchema,
  modelSettingsRequestSchema,
  rolloutRequestSchema,
  type PublishResponse,
} from '../../core/api/contract';
import { MAX_BUNDLE_BYTES, readBundle } from '../../core/bundle';
import { FlywheelError } from '../../core/errors';
import { modelVersionStatus } from '../protocols/tf-serving-status';
import { jsonBody, readLimited, requireScope, type EdgeEnv } from '../http';
import { readsPrivate, type EdgeServices } from '../services';
import { checkReadable } from './caller';

const ALIAS = /^[a-z][a-z0-9_-]{0,31}$/;

export function modelName(raw: string): string {
  if (!MODEL_NAME.test(raw))
    throw new FlywheelError(
      'bad_input',
      `"${raw}" is not a valid model name: letters, digits, ".", "_" and "-", starting with a letter or digit`,
      [{ path: 'name', message: 'invalid name' }],
    );
  return raw;
}

export function versionNumber(raw: string): number {
  const v = Number(raw);
  if (!/^[1-9][0-9]{0,8}$/.test(raw))
    throw new FlywheelError('bad_input', `"${raw}" is not a version number`, [
      { path: 'version', message: 'invalid version' },
    ]);
  return v;
}

export function registryRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();

  r.get('/v1/models', async (c) => {
    const models = await svc.registry.listModels(readsPrivate(c.get('scope')));
    return c.json({ models });
  });

  r.post('/v1/models/:name/versions', async (c) => {
    requireScope(c, 'publish');
    const name = modelName(c.req.param('name'));
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(zip|octet-stream)\b/i.test(type)) {
      throw new FlywheelError('bad_input', `a bundle is uploaded as application/zip, got "${type || 'none'}"`, [
        { path: 'content-type', message: 'not a zip' },
      ]);
    }
    const bytes = await readLimited(c, MAX_BUNDLE_BYTES);
    const bundle = await readBundle(bytes, 'the uploaded bundle');
    const existing = await svc.registry.findVersionByBundle(name, bundle.id);
    if (existing !== null) {
      const body: PublishResponse = { model: name, version: existing, bundle_id: bundle.id, created: false };
      return c.json(body, 200);
    }
    const blobKey = `bundles/${name}/${bundle.id}.zip`;
    await svc.blobs.put(blobKey, bytes);
    const version = await svc.registry.addVersion(name, bundle.id, blobKey, bytes.byteLength, bundle.manifest);
    const m = bundle.manifest.metrics;
    await svc.events.append(name, 'publish', `published v${version} (bundle ${bundle.id.slice(0, 12)})`, {
      version,
      bundle_id: bundle.id,
      metrics: m,
    });
    const routing = await svc.registry.routing(name);
    if (routing && version === 1) {
      await svc.registry.setAlias(name, 'champion', 1);
      await svc.events.append(
        name,
        'alias',
        'champion → v1: the first version of a model serves until another is promoted',
        { alias: 'champion', version: 1, previous: null },
      );
    }
    svc.serving.invalidate(name);
    const body: PublishResponse = { model: name, version, bundle_id: bundle.id, created: true };
    return c.json(body, 201);
  });

  r.get('/v1/models/:name', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    return c.json(await svc.registry.describe(name));
  });

  r.patch('/v1/models/:name', async (c) => {
    requireScope(c, 'admin');
    const name = modelName(c.req.param('name'));
    const body = await jsonBody(c, modelSettingsRequestSchema);
    await svc.registry.setPrivate(name, body.private);
    await svc.events.append(
      name,
      'visibility',
      body.private ? 'made private: predictions need a predict key' : 'made public: predictions need no key',
    );
    svc.serving.invalidate(name);
    return c.json(await svc.registry.describe(name));
  });

  r.get('/v1/models/:name/versions/:version', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    const v = await svc.registry.requireVersion(name, versionNumber(c.req.param('version')));
    return c.json({
      model: name,
      version: v.version,
      bundle_id: v.bundleId,
      size: v.size,
      created_at: v.createdAt,
      manifest: v.manifest,
      model_version_status: modelVersionStatus([v.version]),
    });
  });

  r.get('/v1/models/:name/versions/:version/bundle', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    const v = await svc.registry.requireVersion(name, versionNumber(c.req.param('version')));
    const bytes = await svc.blobs.get(v.blobKey);
    if (!bytes) throw new FlywheelError('internal', `the bundle of ${name} v${v.version} is missing from storage`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${name}-v${v.version}.zip"`,
    });
  });

  r.put('/v1/models/:name/aliases/:alias', async (c) => {
    requireScope(c, 'admin');
    const name = modelName(c.req.param('name'));
    const alias = c.req.param('alias');
    if (!ALIAS.test(alias))
      throw new FlywheelError('bad_input', `"${alias}" is not a valid alias name`, [
        { path: 'alias', message: 'invalid alias' },
      ]);
    const body = await jsonBody(c, aliasRequestSchema);
    const previous = await svc.registry.setAlias(name, alias, body.version);
    const reason = body.reason ?? `set by an admin${previous !== null ? ` (was v${previous})` : ''}`;
    await svc.events.append(name, 'alias', `${alias} → v${body.version}: ${reason}`, {
      alias,
      version: body.version,
      previous,
    });
    svc.serving.invalidate(name);
    return c.json({ model: name, alias, version: body.version, previous });
  });

  r.put('/v1/models/:name/rollout', async (c) => {
    requireScope(c, 'admin');
    const name = modelName(c.req.param('name'));
    const body = await jsonBody(c, rolloutRequestSchema);
    await svc.registry.setRollout(name, body.challenger, body.weight);
    await svc.events.append(
      name,
      'rollout',
      `${Math.round(body.weight * 100)}% of traffic → v${body.challenger}: ${body.reason ?? 'set by an admin'}`,
      { challenger: body.challenger, weight: body.weight },
    );
    svc.serving.invalidate(name);
    return c.json({ model: name, challenger: body.challenger, weight: body.weight });
  });

  return r;
}
