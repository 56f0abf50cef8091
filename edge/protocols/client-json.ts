/** JSON bodies as protocol clients send them: any JSON-ish content type, and Python's NaN/Infinity tokens. */
import JSON5 from 'json5';
import { FlywheelError } from '../../core/errors';
import { isJsonType, MAX_JSON_BYTES, notJson, parseJson, readLimited, type EdgeContext } from '../http';

/**
 * Whether a POST declared as `type` may hold the JSON a protocol client sent: JSON's own types, no
 * type at all (tritonclient sends none) and application/x-www-form-urlencoded, which is what
 * `curl -d` sends, as in TF Serving's documented examples. The body is then read as JSON and a
 * body that does not parse is refused as such.
 */
export function mayBeJson(type: string): boolean {
  return type.trim() === '' || isJsonType(type) || /^application\/x-www-form-urlencoded\b/i.test(type);
}

/**
 * Parses JSON as Python's `json.dumps` writes it, which spells non-finite floats `NaN`, `Infinity`
 * and `-Infinity` (pandas frames with missing values are full of them). Standard JSON is tried
 * first, the common case and by far the faster parser; only text it refuses is read again by
 * JSON5, a superset of JSON that has those tokens. A NaN then reaches the encoder as a missing
 * value, and ±Infinity as a non-finite number it refuses naming the field.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON5.parse(text);
    } catch (e) {
      throw new FlywheelError('bad_input', `the body is not valid JSON: ${(e as Error).message}`, [
        { path: 'body', message: 'invalid JSON' },
      ]);
    }
  }
}

/**
 * Reads a JSON body the way another protocol's clients send it: content type as in `mayBeJson`,
 * size limited as every JSON body, and with `pythonTokens` (the MLflow and TF Serving routes) NaN
 * and Infinity allowed.
 */
export async function clientJsonBody(c: EdgeContext, options: { pythonTokens: boolean }): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!mayBeJson(type)) throw notJson(type);
  const text = new TextDecoder().decode(await readLimited(c, MAX_JSON_BYTES));
  return options.pythonTokens ? parsePythonJson(text) : parseJson(text);
}
