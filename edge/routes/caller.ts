/**
 * The services' calls as a Hono route makes them: the caller's key scope, request id and routing key
 * are read from the context here, so edge/services.ts stays free of Hono.
 */
import type { EdgeContext } from '../http';
import type { EdgeServices, PredictedRows } from '../services';

/** Private models need a predict key; public ones are open. Unknown models are a 404. */
export function checkReadable(svc: EdgeServices, c: EdgeContext, model: string): Promise<void> {
  return svc.checkReadable(c.get('scope'), model);
}

/** The predict path for a route: `predictRows` for the context's caller, and the served version in `x-model-version`. */
export async function predict(
  svc: EdgeServices,
  c: EdgeContext,
  model: string,
  pinned: number | null,
  rows: readonly unknown[],
  path: string,
): Promise<PredictedRows> {
  const out = await svc.predictRows({
    model,
    pinned,
    rows,
    path,
    requestId: c.get('requestId'),
    scope: c.get('scope'),
    routingKey: c.req.header('x-routing-key') ?? null,
  });
  c.header('x-model-version', String(out.version));
  return out;
}
