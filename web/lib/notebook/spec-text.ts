/**
 * A pipeline cell's text is its spec as JSON. The form and the JSON view edit the same text; this
 * module parses it, names what is wrong (a JSON syntax error's line, or the spec's JSON path), and
 * rewrites it after a form edit.
 */
import { FlywheelError } from '../../../core/errors';
import { parsePipelineSpec, type PipelineSpec } from '../../../core/pipeline/spec';
import { jsonErrorPosition } from './json-position';

export type SpecObject = Record<string, unknown>;

export type SpecCheck =
  | { ok: true; value: SpecObject; spec: PipelineSpec }
  /** `value` is the parsed JSON when the text is JSON but not a valid spec, so the form can still show it. */
  | { ok: false; value: SpecObject | null; problems: { path: string; message: string }[] };

/** Parses and validates a pipeline cell's text; every problem names a JSON path or a line. */
export function checkSpecText(text: string): SpecCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = jsonErrorPosition(text);
    const what =
      at && at.line <= text.split('\n').length
        ? `unexpected ${text[offsetOf(text, at)] === undefined ? 'end of text' : JSON.stringify(text[offsetOf(text, at)])}`
        : (e as Error).message;
    return {
      ok: false,
      value: null,
      problems: [{ path: at ? `line ${at.line}, column ${at.column}` : '(root)', message: `not valid JSON: ${what}` }],
    };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, value: null, problems: [{ path: '(root)', message: 'a pipeline spec is a JSON object' }] };
  try {
    return { ok: true, value: value as SpecObject, spec: parsePipelineSpec(value) };
  } catch (e) {
    if (e instanceof FlywheelError)
      return {
        ok: false,
        value: value as SpecObject,
        problems: e.details.length ? e.details : [{ path: '(root)', message: e.message }],
      };
    throw e;
  }
}

function offsetOf(text: string, at: { line: number; column: number }): number {
  const lines = text.split('\n');
  return lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0) + at.column - 1;
}

/** The value at a dotted path (`train.epochs`), or undefined. */
export function getPath(obj: SpecObject, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * The spec text with one value set (creating objects on the way) or, for `undefined`, removed; empty
 * objects left behind are dropped so the JSON stays as short as the user's intent.
 */
export function setPath(text: string, path: string, value: unknown): string {
  const obj = JSON.parse(text) as SpecObject;
  const keys = path.split('.');
  const parents: SpecObject[] = [obj];
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as SpecObject;
    parents.push(cur);
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  for (let i = keys.length - 2; i >= 0; i--) {
    const child = parents[i + 1];
    if (Object.keys(child).length === 0) delete parents[i][keys[i]];
  }
  return JSON.stringify(obj, null, 2);
}

/** The data source a spec names, whether `data` is a string or `{ source, test }`. */
export function dataSource(value: SpecObject | null): string {
  const data = value?.data;
  if (typeof data === 'string') return data;
  if (data && typeof data === 'object' && typeof (data as { source?: unknown }).source === 'string')
    return (data as { source: string }).source;
  return '';
}

/** Files a spec refers to by name (not samples, not URLs): their bytes must travel with the run. */
export function fileSources(value: SpecObject | null): string[] {
  const data = value?.data;
  const refs =
    typeof data === 'string'
      ? [data]
      : data && typeof data === 'object'
        ? [(data as { source?: unknown }).source, (data as { test?: unknown }).test]
        : [];
  return refs.filter(
    (r): r is string => typeof r === 'string' && r.length > 0 && !r.startsWith('sample:') && !/^https?:\/\//i.test(r),
  );
}
