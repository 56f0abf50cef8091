/**
 * The "Try it" form: one field per input of a model's signature, prefilled with a typical training
 * value (the baseline's median, or its most frequent category), and the instance the form's text
 * values become (numbers for numeric inputs, null for an empty field).
 */
import type { FeatureSchema, TableProfile } from '../../../core/features';
import { FlywheelError } from '../../../core/errors';

function isNumeric(f: FeatureSchema): boolean {
  return f.type === 'numeric' || f.type === 'integer';
}

/** Form text per input: what a typical training row holds. */
export function defaultValues(inputs: readonly FeatureSchema[], baseline: TableProfile | null): Record<string, string> {
  return Object.fromEntries(
    inputs.map((f) => {
      const col = baseline?.columns.find((c) => c.name === f.name);
      if (col?.type === 'number' && col.count > 0) {
        const median = col.quantiles['0.5'] ?? col.mean;
        return [
          f.name,
          String(f.type === 'integer' || col.integer ? Math.round(median) : Number(median.toPrecision(4))),
        ];
      }
      if (col?.type === 'string' && col.top.length) return [f.name, col.top[0].value];
      return [f.name, f.domain?.[0] ?? ''];
    }),
  );
}

/**
 * What a form field holds: its text as prefilled, or what the browser binds once edited (a number
 * field gives a number, or null when cleared).
 */
export type FormValue = string | number | null | undefined;

/** The instance to send; a numeric field that is not a number throws `bad_input` naming it. */
export function formInstance(
  inputs: readonly FeatureSchema[],
  values: Record<string, FormValue>,
): Record<string, string | number | null> {
  return Object.fromEntries(
    inputs.map((f) => {
      const value = values[f.name];
      if (typeof value === 'number') {
        if (!Number.isFinite(value))
          throw new FlywheelError('bad_input', `${f.name} must be a finite number, got ${value}`, [
            { path: f.name, message: 'not a finite number' },
          ]);
        return [f.name, isNumeric(f) ? value : String(value)];
      }
      const text = (value ?? '').trim();
      if (text === '') return [f.name, null];
      if (!isNumeric(f)) return [f.name, text];
      const n = Number(text);
      if (!Number.isFinite(n))
        throw new FlywheelError('bad_input', `${f.name} must be a number, got "${text}"`, [
          { path: f.name, message: 'not a number' },
        ]);
      return [f.name, n];
    }),
  );
}

/** The input control a feature gets: a select over its domain, a number field, or free text. */
export function controlOf(f: FeatureSchema): 'select' | 'number' | 'text' {
  if ((f.type === 'categorical' || f.type === 'boolean') && f.domain?.length) return 'select';
  return isNumeric(f) ? 'number' : 'text';
}
