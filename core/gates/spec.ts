/**
 * The gate spec, TFMA-style: a metric with value thresholds (`min`, `max`) and/or a change threshold
 * against the champion (`vsChampion`: absolute `minDelta` or relative `minRatio`). The same schema
 * validates gates in a pipeline spec and in an automation policy.
 */
import { z } from 'zod';
import { FlywheelError } from '../errors';
import { METRIC_NAMES, type MetricName } from '../metrics';
import { issueDetails } from './zod-details';

/**
 * How much better than the champion the candidate must be, measured in the metric's direction (see
 * `evaluateGates`): `minDelta` is an absolute improvement, `minRatio` is 1 + improvement / |champion|.
 */
export type ChangeThreshold = { minDelta: number; minRatio?: undefined } | { minRatio: number; minDelta?: undefined };

export interface GateSpec {
  metric: MetricName;
  min?: number;
  max?: number;
  vsChampion?: ChangeThreshold;
}

const changeThresholdSchema = z
  .strictObject({ minDelta: z.number().optional(), minRatio: z.number().optional() })
  .refine((t) => (t.minDelta === undefined) !== (t.minRatio === undefined), {
    message: 'vsChampion needs exactly one of minDelta or minRatio',
  })
  .transform((t): ChangeThreshold =>
    t.minDelta !== undefined ? { minDelta: t.minDelta } : { minRatio: t.minRatio as number },
  );

const metricSchema = z.enum(METRIC_NAMES as [MetricName, ...MetricName[]], {
  error: (issue) => `unknown metric ${JSON.stringify(issue.input)}; known metrics: ${METRIC_NAMES.join(', ')}`,
});

export const gateSpecSchema = z
  .strictObject({
    metric: metricSchema,
    min: z.number().optional(),
    max: z.number().optional(),
    vsChampion: changeThresholdSchema.optional(),
  })
  .refine((g) => g.min !== undefined || g.max !== undefined || g.vsChampion !== undefined, {
    message: 'a gate needs at least one of min, max or vsChampion',
  })
  .refine((g) => g.min === undefined || g.max === undefined || g.min <= g.max, {
    message: 'min is greater than max, so no value can pass',
    path: ['min'],
  });

export const gatesSchema = z.array(gateSpecSchema);

/**
 * Gates from untrusted JSON. Throws `bad_spec` whose details name the JSON path of every problem,
 * prefixed with `path` (where the gates sit in the document, `gates` by default).
 */
export function parseGates(value: unknown, path = 'gates'): GateSpec[] {
  const result = gatesSchema.safeParse(value);
  if (result.success) return result.data;
  const details = issueDetails(result.error, path);
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  throw new FlywheelError('bad_spec', `${details[0].path}: ${details[0].message}${more}`, details);
}
