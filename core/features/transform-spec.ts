import { z } from 'zod';

/** How features are prepared, as the pipeline spec's `transform` section says. */
export const transformOptionsSchema = z.strictObject({
  /**
   * `auto`: the quantile transform for a skewed column (|skewness| > 0.99), standardised otherwise;
   * `quantile`: every numeric column through its quantiles onto a standard normal.
   */
  numeric: z.enum(['auto', 'standardize', 'quantile', 'minmax', 'none']).default('auto'),
  categorical: z.enum(['onehot']).default('onehot'),
  impute: z.enum(['mean', 'median', 'mode', 'constant']).default('median'),
  imputeValue: z.number().default(0),
  datetime: z
    .array(
      z.enum(['year', 'month', 'day', 'weekday', 'hour', 'dayofyear', 'month_sin', 'month_cos', 'doy_sin', 'doy_cos']),
    )
    .default(['year', 'month_sin', 'month_cos', 'doy_sin', 'doy_cos', 'weekday', 'hour']),
});
export type TransformOptions = z.infer<typeof transformOptionsSchema>;
export type DatetimePart = TransformOptions['datetime'][number];

/** Scaling of one numeric output: x' = (x − center) / scale. */
export interface Scaling {
  center: number;
  scale: number;
}

/**
 * One fitted feature. Serialised into the bundle so serving applies exactly what training fitted.
 * One-hot keeps an extra last slot: the unknown bucket, for unseen categories and missing values.
 */
export type FittedFeature =
  | {
      name: string;
      kind: 'numeric';
      fill: number;
      scaling: Scaling;
      /** Present for the quantile transform: x becomes Φ⁻¹ of its rank among these knots, then is scaled. */
      quantiles?: number[];
    }
  | { name: string; kind: 'boolean'; fill: number }
  | { name: string; kind: 'onehot'; categories: string[] }
  | { name: string; kind: 'datetime'; parts: DatetimePart[]; fill: number[]; scaling: Scaling[] };

export interface FittedTransform {
  features: FittedFeature[];
  /** Width of the encoded row. */
  width: number;
  /** Name of each encoded column, e.g. `Island=Biscoe`, `date.month_sin`. */
  outputs: string[];
}

/** Encoded columns a fitted feature produces. */
export function outputNames(f: FittedFeature): string[] {
  switch (f.kind) {
    case 'numeric':
    case 'boolean':
      return [f.name];
    case 'onehot':
      return [...f.categories.map((c) => `${f.name}=${c}`), `${f.name}=(unknown)`];
    case 'datetime':
      return f.parts.map((p) => `${f.name}.${p}`);
  }
}
