/**
 * API keys over HTTP, for the admin: create (the secret is in the answer only), list, revoke. What
 * `flywheel keys` does on the local edge's data folder, for edges without one at hand (Workers).
 */
import { Hono } from 'hono';
import { keyCreateRequestSchema } from '../../core/api/contract';
import { FlywheelError } from '../../core/errors';
import { jsonBody, requireScope, type EdgeEnv } from '../http';
import { SECRET_ADMIN_KEY_ID } from '../secret-admin-key';
import type { EdgeServices } from '../services';

export function keyRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();

  r.get('/v1/keys', async (c) => {
    requireScope(c, 'admin');
    return c.json({ keys: await svc.keys.list() });
  });

  r.post('/v1/keys', async (c) => {
    requireScope(c, 'admin');
    const body = await jsonBody(c, keyCreateRequestSchema);
    return c.json(await svc.keys.create(body.scope, body.name ?? null), 201);
  });

  r.delete('/v1/keys/:id', async (c) => {
    requireScope(c, 'admin');
    const id = c.req.param('id');
    // Each isolate start makes this key agree with the secret again: revoking it here would not last.
    if (id === SECRET_ADMIN_KEY_ID)
      throw new FlywheelError(
        'conflict',
        'this key is the ADMIN_KEY secret: change the secret to replace it, delete the secret to revoke it',
        [{ path: id, message: 'managed by the ADMIN_KEY secret' }],
      );
    await svc.keys.revoke(id, { keepAdmin: true });
    return c.json({ id, revoked: true as const });
  });

  return r;
}
