/**
 * Per-field warnings for served rows, as TFDV's skew checks give them: a category the training data
 * never had (the model sees it as the unknown slot) or a number outside the range seen in training.
 * The row is still predicted; the answer says which fields to distrust. The same rows count in the
 * drift window's out-of-range and unseen-category figures.
 */
import type { InputWarning } from '../core/api/contract';
import type { FeatureSchema } from '../core/features';

interface FieldCheck {
  name: string;
  /** Categories seen in training, for a categorical feature; null for a numeric one. */
  domain: Set<string> | null;
  min: number;
  max: number;
}

/** Checks per signature, built once per loaded version. */
const checksBySignature = new WeakMap<readonly FeatureSchema[], FieldCheck[]>();

function checksOf(inputs: readonly FeatureSchema[]): FieldCheck[] {
  let checks = checksBySignature.get(inputs);
  if (!checks) {
    checks = [];
    for (const f of inputs) {
      if (f.type === 'categorical' && f.domain)
        checks.push({ name: f.name, domain: new Set(f.domain), min: 0, max: 0 });
      else if ((f.type === 'numeric' || f.type === 'integer') && f.min !== undefined && f.max !== undefined)
        checks.push({ name: f.name, domain: null, min: f.min, max: f.max });
    }
    checksBySignature.set(inputs, checks);
  }
  return checks;
}

/** The warnings for `records` against the training signature, or null when every field is within what training saw. */
export function inputWarnings(
  inputs: readonly FeatureSchema[],
  records: readonly Record<string, unknown>[],
): InputWarning[] | null {
  const checks = checksOf(inputs);
  let out: InputWarning[] | null = null;
  for (let row = 0; row < records.length; row++) {
    const record = records[row];
    for (const c of checks) {
      const value = record[c.name];
      if (c.domain) {
        if (typeof value === 'string' && !c.domain.has(value)) {
          (out ??= []).push({
            row,
            field: c.name,
            kind: 'unseen_category',
            message: `${JSON.stringify(value)} is a category training never saw: predicted as unknown`,
          });
        }
      } else if (typeof value === 'number' && (value < c.min || value > c.max)) {
        (out ??= []).push({
          row,
          field: c.name,
          kind: 'out_of_range',
          message: `${value} is outside the training range [${c.min}, ${c.max}]`,
        });
      }
    }
  }
  return out;
}
