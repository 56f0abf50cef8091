/**
 * The pipeline form's typed fields, checked as they are typed: the text of a field becomes the spec's
 * value only when the spec's own schema (core/model/spec) accepts it; otherwise the form says why
 * under the field and the cell cannot run, rather than reverting the text or failing after Run.
 */
import { ModelSpecSchema, TrainSpecSchema } from '../../../core/model/spec';

/** `value` undefined: the field is empty and the spec's default applies. */
export type FieldCheck<T> = { ok: true; value: T | undefined } | { ok: false; message: string };

export function checkHidden(text: string): FieldCheck<number[]> {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) return { ok: true, value: undefined };
  const units = parts.map(Number);
  if (ModelSpecSchema.shape.hidden.safeParse(units).success) return { ok: true, value: units };
  const bad = parts.find((p, i) => !ModelSpecSchema.shape.hidden.safeParse([units[i]]).success);
  return {
    ok: false,
    message: `"${bad}" is not a layer size: give whole numbers of units from 1 to 4096, separated by commas (e.g. 64, 32)`,
  };
}

export function checkEpochs(text: string): FieldCheck<number> {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  return TrainSpecSchema.shape.epochs.safeParse(n).success
    ? { ok: true, value: n }
    : { ok: false, message: `epochs must be a whole number of at least 1 (not "${t}")` };
}

export function checkLearningRate(text: string): FieldCheck<number> {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  return TrainSpecSchema.shape.learningRate.safeParse(n).success
    ? { ok: true, value: n }
    : { ok: false, message: `the learning rate must be a number above 0, such as 0.005 (not "${t}")` };
}

/** The search budget of `model.type: auto`: a duration such as 15s, 2m or 1h. */
export function checkBudget(text: string): FieldCheck<string> {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  return ModelSpecSchema.shape.budget.safeParse(t).success
    ? { ok: true, value: t }
    : { ok: false, message: `the budget is a duration such as 60s, 5m or 1h (not "${t}")` };
}
