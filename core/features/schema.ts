import { z } from 'zod';

/** Logical feature types, as TFDV infers them. */
export const FEATURE_TYPES = ['numeric', 'integer', 'boolean', 'categorical', 'datetime', 'text'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

export const featureSchemaSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(FEATURE_TYPES),
  nullable: z.boolean().default(true),
  /** Allowed categories (categorical, boolean). */
  domain: z.array(z.string()).optional(),
  /** Observed range at inference; values outside it are reported as warnings. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Share of missing values above which validation reports an error. */
  maxMissingRatio: z.number().min(0).max(1).optional(),
});

export const schemaSchema = z.strictObject({
  columns: z.array(featureSchemaSchema).min(1),
});

export type FeatureSchema = z.infer<typeof featureSchemaSchema>;
export type Schema = z.infer<typeof schemaSchema>;
