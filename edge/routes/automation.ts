/** Automation routes: a model's policy, the retrain job queue for runners, and the labelled rows they train on. */
import { Hono } from 'hono';
import Papa from 'papaparse';
import { z } from 'zod';
import { MODEL_NAME, modelTask } from '../../core/api/contract';
import { checkPolicyTask, parsePolicy } from '../../core/automation';
import { FORMULA_CELL } from '../../core/data/csv-formula';
import { FlywheelError } from '../../core/errors';
import { feedbackRows } from '../automation/labelled-rows';
import { jsonBody, requireScope, type EdgeEnv } from '../http';
import type { EdgeServices } from '../services';
import { modelName } from './registry';
import { checkReadable } from './caller';

const runnerName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:@-]+$/, 'letters, digits and . _ : @ -');
export const runnerSchema = z.strictObject({ runner: runnerName });
/** A claim may name the models whose jobs the runner can train (at most MAX_CLAIM_MODELS). */
const MAX_CLAIM_MODELS = 100;
export const claimSchema = z.strictObject({
  runner: runnerName,
  models: z.array(z.string().regex(MODEL_NAME, 'not a model name')).min(1).max(MAX_CLAIM_MODELS).optional(),
});
export const completeSchema = z.union([
  z.strictObject({
    runner: z.string().min(1).max(100),
    status: z.literal('succeeded'),
    version: z.number().int().positive(),
    bundle_id: z.string().optional(),
  }),
  z.strictObject({
    runner: z.string().min(1).max(100),
    status: z.literal('failed'),
    error: z.string().min(1).max(2000),
  }),
]);

export function automationRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();

  r.put('/v1/models/:name/policy', async (c) => {
    requireScope(c, 'admin');
    const name = modelName(c.req.param('name'));
    if (!(await svc.registry.modelExists(name))) throw new FlywheelError('not_found', `no model named "${name}"`);
    const raw = await jsonBody(c, z.unknown());
    const policy = parsePolicy(raw);
    // Its metrics must be the model's task's (a model without a version yet: unchecked).
    const task = modelTask(await svc.registry.describe(name));
    if (task) checkPolicyTask(policy, task);
    await svc.registry.setPolicy(name, raw);
    await svc.events.append(name, 'policy', 'automation policy set', policy);
    return c.json({ model: name, policy });
  });

  r.get('/v1/models/:name/automation', async (c) => {
    const name = modelName(c.req.param('name'));
    await checkReadable(svc, c, name);
    const { state } = await svc.automation.store.read(name);
    return c.json({ model: name, state, jobs: await svc.automation.jobs.list(name) });
  });

  r.post('/v1/jobs/claim', async (c) => {
    requireScope(c, 'publish');
    const { runner, models } = await jsonBody(c, claimSchema);
    const job = await svc.automation.jobs.claim(runner, models);
    if (!job) return c.body(null, 204);
    await svc.events.append(
      job.model,
      'job_claimed',
      `job ${job.id} claimed by ${runner} (attempt ${job.attempts} of ${job.max_attempts})`,
      { job: job.id, runner },
    );
    return c.json(job);
  });

  r.post('/v1/jobs/:id/heartbeat', async (c) => {
    requireScope(c, 'publish');
    const { runner } = await jsonBody(c, runnerSchema);
    const job = await svc.automation.jobs.heartbeat(c.req.param('id'), runner);
    return c.json({ id: job.id, lease_until: job.lease_until });
  });

  r.post('/v1/jobs/:id/release', async (c) => {
    requireScope(c, 'publish');
    const { runner } = await jsonBody(c, runnerSchema);
    const job = await svc.automation.jobs.release(c.req.param('id'), runner);
    await svc.events.append(
      job.model,
      'job_released',
      `job ${job.id} handed back by ${runner}, which stopped; queued again without using an attempt`,
      { job: job.id, runner },
    );
    return c.json({ id: job.id, status: job.status, attempts: job.attempts });
  });

  r.post('/v1/jobs/:id/complete', async (c) => {
    requireScope(c, 'publish');
    const body = await jsonBody(c, completeSchema);
    const id = c.req.param('id');
    const before = await svc.automation.jobs.get(id);
    const job = await svc.automation.jobs.complete(
      id,
      body.runner,
      body.status === 'succeeded'
        ? { status: 'succeeded', result: { version: body.version } }
        : { status: 'failed', error: body.error },
    );
    if (before?.status === 'running') {
      if (body.status === 'succeeded') {
        await svc.registry.requireVersion(job.model, body.version);
        await svc.automation.challengerPublished(job.model, body.version);
        await svc.events.append(
          job.model,
          'job_done',
          `job ${id} published v${body.version} as a challenger; it is verified before any traffic`,
          { job: id, version: body.version },
        );
      } else {
        await svc.events.append(
          job.model,
          job.status === 'failed' ? 'job_failed' : 'job_retry',
          job.status === 'failed'
            ? `job ${id} failed for good: ${body.error}`
            : `job ${id} failed (${body.error}); queued again`,
          { job: id, error: body.error },
        );
      }
    }
    return c.json({ id: job.id, status: job.status, attempts: job.attempts });
  });

  r.get('/v1/models/:name/feedback-data', async (c) => {
    requireScope(c, 'publish');
    const name = modelName(c.req.param('name'));
    const routing = await svc.serving.routing(name);
    if (!routing) throw new FlywheelError('not_found', `no model named "${name}"`);
    const champion = await svc.registry.requireVersion(name, routing.primary);
    const since = Number(c.req.query('since') ?? 0);
    await svc.log.flush();
    const rows = await feedbackRows(
      svc.db,
      svc.reserve,
      name,
      Number.isFinite(since) ? since : 0,
      champion.manifest,
      'training',
    );
    const columns = [
      ...champion.manifest.signature.inputs.map((f) => f.name),
      champion.manifest.signature.output.target,
    ];
    // Formula-like cells are defused for whoever opens the file in a spreadsheet (core/data/csv-formula.ts); runners undo it exactly.
    const csv = rows.length
      ? Papa.unparse(rows, { columns, escapeFormulae: FORMULA_CELL })
      : Papa.unparse({ fields: columns, data: [] }, { escapeFormulae: FORMULA_CELL });
    return c.text(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'x-rows': String(rows.length) });
  });

  return r;
}
