/** Monitoring routes: feedback, telemetry, drift, the audit log, and Prometheus metrics. */
import { Hono } from 'hono';
import { feedbackRequestSchema } from '../../core/api/contract';
import { FlywheelError } from '../../core/errors';
import { parseWindow, PROMETHEUS_CONTENT_TYPE } from '../../core/telemetry';
import { onlineMetrics, recordFeedback } from '../feedback';
import { jsonBody, scopeOf, type EdgeEnv } from '../http';
import { readsPrivate, type EdgeServices } from '../services';
import { modelName, versionNumber } from './registry';
import { checkReadable } from './caller';

export function monitoringRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();

  r.post('/v1/models/:name/feedback', async (c) => {
    const name = modelName(c.req.param('name'));
    // Labels train the next model and judge the challenger: never anonymous, even for a public model.
    if (!c.get('scope'))
      throw new FlywheelError(
        'unauthorized',
        'feedback needs an API key with the "feedback" or "predict" scope (Authorization: Bearer <key>): labels train the next model, so they are never anonymous',
        [{ path: 'authorization', message: 'missing key' }],
      );
    if (!(await svc.registry.modelExists(name))) throw new FlywheelError('not_found', `no model named "${name}"`);
    const body = await jsonBody(c, feedbackRequestSchema);
    // Predictions served moments ago may still be buffered: write them first so the join sees them.
    await svc.log.flush();
    return c.json(await recordFeedback(svc.db, name, body.items, svc.now()));
  });

  r.get('/v1/models/:name/telemetry', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    const windowMs = parseWindow(c.req.query('window') ?? '1h', 'window');
    await svc.monitor.flush();
    const summary = await svc.monitor.telemetry(name, windowMs);
    return c.json({ ...summary, online: await onlineMetrics(svc.db, name, svc.now() - windowMs) });
  });

  r.get('/v1/models/:name/drift', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    const windowMs = parseWindow(c.req.query('window') ?? '1h', 'window');
    const routing = await svc.serving.routing(name);
    if (!routing) throw new FlywheelError('not_found', `model "${name}" has no versions`);
    const q = c.req.query('version');
    const version = q ? versionNumber(q) : routing.primary;
    const stored = await svc.registry.requireVersion(name, version);
    await svc.monitor.flush();
    return c.json(await svc.monitor.drift(name, version, stored.manifest.baseline, windowMs));
  });

  r.get('/v1/models/:name/events', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    if (!(await svc.registry.modelExists(name))) throw new FlywheelError('not_found', `no model named "${name}"`);
    return c.json({ events: await svc.events.list(name) });
  });

  r.get('/metrics', async (c) => {
    // Outside /v1, so the key (a scraper may send one) is read here: private models are shown only to a predict key.
    const scope = await scopeOf(svc.keys, c.req.header('authorization'));
    const hidden = readsPrivate(scope) ? new Set<string>() : await svc.registry.privateModels();
    await svc.monitor.flush();
    return c.text(await svc.monitor.prometheus({ buffered: svc.log.pending, dropped: svc.log.dropped }, hidden), 200, {
      'content-type': PROMETHEUS_CONTENT_TYPE,
    });
  });

  return r;
}
