import { z } from 'zod';
import { FlywheelError } from '../errors';
import { transformOptionsSchema } from '../features/transform-spec';
import { gatesSchema } from '../gates';
import { ModelSpecSchema, TrainSpecSchema } from '../model/spec';

const dataSchema = z.union([
  z
    .string()
    .min(1)
    .transform((source) => ({ source, test: null as string | null })),
  z.strictObject({ source: z.string().min(1), test: z.string().min(1).nullable().default(null) }),
]);

/**
 * The pipeline spec: only `data` and `target` are required; everything else has a
 * default, and the task is inferred from the target when `auto`.
 */
export const pipelineSpecSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-" only (it becomes a URL path)')
    .optional(),
  data: dataSchema,
  target: z.string().min(1),
  task: z.enum(['auto', 'classification', 'regression']).default('auto'),
  features: z
    .strictObject({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).default([]) })
    .default({ exclude: [] }),
  split: z
    .strictObject({
      test: z.number().min(0).max(0.9).default(0.2),
      validation: z.number().min(0).max(0.9).default(0.1),
      seed: z.number().int().default(42),
      stratify: z.boolean().default(true),
    })
    .default({ test: 0.2, validation: 0.1, seed: 42, stratify: true }),
  transform: transformOptionsSchema.default(transformOptionsSchema.parse({})),
  model: ModelSpecSchema.default(ModelSpecSchema.parse({})),
  train: TrainSpecSchema.default(TrainSpecSchema.parse({})),
  gates: gatesSchema.default([]),
  /** Categorical columns to report metrics per slice of. */
  slices: z.array(z.string()).default([]),
});

export type PipelineSpec = z.output<typeof pipelineSpecSchema> & { name: string };

/** Validates a spec; every problem is a detail with its JSON path (`train.epochs`, `split.test`). */
export function parsePipelineSpec(input: unknown): PipelineSpec {
  const parsed = pipelineSpecSchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: i.path.length ? i.path.map(String).join('.') : '(root)',
      message: i.message,
    }));
    throw new FlywheelError(
      'bad_spec',
      `invalid pipeline spec: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  const spec = parsed.data;
  const name = spec.name ?? slug(`${datasetName(spec.data.source)}-${spec.target}`);
  return { ...spec, name };
}

/** `sample:penguins` → penguins, `/data/cars.csv` → cars, a URL → its last path segment. */
function datasetName(source: string): string {
  const last =
    source
      .replace(/^sample:/, '')
      .split(/[?#]/)[0]
      .split(/[/\\]/)
      .filter(Boolean)
      .pop() ?? 'data';
  return last.replace(/\.[a-z]+$/i, '');
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'model'
  );
}
