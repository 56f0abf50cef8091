/**
 * MLflow's scoring-server input (`mlflow models serve`, POST /invocations): JSON with one of
 * `dataframe_split`, `dataframe_records`, `instances` or `inputs` (and `params` beside it, which no
 * Flywheel model takes), MLflow 1's `format=pandas-split` / `pandas-records` JSON, or CSV as pandas
 * writes it; errors as MLflow writes them.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { FlywheelError, isFlywheelError } from '../../core/errors';
import { errorEnvelope, validated } from '../http';
import { rowsOf } from '../routes/predict';
import { mayBeJson, parsePythonJson } from './client-json';

/** The content types MLflow's scoring server takes, for error messages. */
export const MLFLOW_CONTENT_TYPES = ['application/json', 'text/csv'] as const;

export interface MlflowRows {
  rows: unknown[];
  /** Where the rows sit in the body, for error messages. */
  path: string;
}

const record = z.record(z.string(), z.unknown());
const row = z.union([record, z.array(z.unknown())]);
/** pandas' `orient="split"` (`to_json`, `to_dict`): `columns` may be left out, then rows are in signature order. */
const splitSchema = z.strictObject({
  columns: z.array(z.string()).optional(),
  data: z.array(z.array(z.unknown())).min(1),
  index: z.array(z.unknown()).optional(),
});
const recordsSchema = z.array(record).min(1);
const params = { params: record.optional() };
const FORMS = {
  dataframe_split: z.strictObject({ dataframe_split: splitSchema, ...params }),
  dataframe_records: z.strictObject({ dataframe_records: recordsSchema, ...params }),
  instances: z.strictObject({ instances: z.array(row).min(1), ...params }),
  inputs: z.strictObject({
    inputs: z.union([z.array(row).min(1), z.record(z.string(), z.array(z.unknown()))], {
      error: 'must be a list of rows, or an object of columns ({feature: [value, …]})',
    }),
    ...params,
  }),
};
type Form = keyof typeof FORMS;

/** Every JSON form /invocations takes, for the OpenAPI document (requests are read with `mlflowRows`). */
export const mlflowRequestSchema = z.union(Object.values(FORMS));

/** The rows of an /invocations body sent as `type`. */
export function mlflowRows(type: string, bytes: Uint8Array): MlflowRows {
  const [mime, ...rest] = type.split(';').map((s) => s.trim());
  const options = new Map(
    rest.filter(Boolean).map((p) => p.split('=').map((s) => s.trim().toLowerCase()) as [string, string]),
  );
  const charset = options.get('charset');
  if (charset !== undefined && charset !== 'utf-8')
    throw new FlywheelError('bad_input', `only UTF-8 bodies are read, got charset=${charset}`, [
      { path: 'content-type', message: 'not UTF-8' },
    ]);
  const text = new TextDecoder().decode(bytes);
  if (/^text\/csv$/i.test(mime)) return csvRows(text);
  if (!mayBeJson(mime))
    throw new FlywheelError('bad_input', `expected content-type ${MLFLOW_CONTENT_TYPES.join(' or ')}, got "${type}"`, [
      { path: 'content-type', message: 'unsupported' },
    ]);
  const data = parsePythonJson(text);
  const format = options.get('format');
  if (format === 'pandas-split') return splitRows(validated(data, splitSchema), 'data');
  if (format === 'pandas-records') return { rows: validated(data, recordsSchema), path: 'body' };
  if (format !== undefined)
    throw new FlywheelError(
      'bad_input',
      `unknown format=${format}: use pandas-split or pandas-records, or none with a dataframe_split, dataframe_records, instances or inputs key`,
      [{ path: 'content-type', message: 'unknown format' }],
    );
  return jsonRows(data);
}

function jsonRows(data: unknown): MlflowRows {
  const keys = typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.keys(data) : [];
  const forms = keys.filter((k): k is Form => k in FORMS);
  if (forms.length !== 1) {
    const got = Array.isArray(data)
      ? 'an array'
      : keys.length
        ? `keys ${keys.join(', ')}`
        : typeof data === 'object'
          ? 'no keys'
          : typeof data;
    throw new FlywheelError(
      'bad_input',
      `expected exactly one of ${Object.keys(FORMS).join(', ')} (MLflow's input forms), got ${got}`,
      [{ path: 'body', message: forms.length ? 'more than one input form' : 'no input form' }],
    );
  }
  switch (forms[0]) {
    case 'dataframe_split':
      return splitRows(validated(data, FORMS.dataframe_split).dataframe_split, 'dataframe_split.data');
    case 'dataframe_records':
      return { rows: validated(data, FORMS.dataframe_records).dataframe_records, path: 'dataframe_records' };
    case 'instances':
      return rowsOf({ instances: validated(data, FORMS.instances).instances });
    case 'inputs':
      return rowsOf({ inputs: validated(data, FORMS.inputs).inputs });
  }
}

function splitRows(split: z.infer<typeof splitSchema>, path: string): MlflowRows {
  const { columns, data } = split;
  if (!columns) return { rows: data, path };
  const rows = data.map((r, i) => {
    if (r.length !== columns.length)
      throw new FlywheelError('bad_input', `${path}[${i}] has ${r.length} values for ${columns.length} columns`, [
        { path: `${path}[${i}]`, message: 'length differs' },
      ]);
    return Object.fromEntries(columns.map((col, j) => [col, r[j]]));
  });
  return { rows, path };
}

/**
 * The cells `pandas.read_csv` (what MLflow's scoring server reads CSV with) takes as missing by
 * default, in any column: an empty cell (how `to_csv` writes NaN), `NA` (R's `write.csv`), `NaN`, ….
 */
const PANDAS_NA_VALUES = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

/**
 * CSV as `DataFrame.to_csv(index=False)` writes it: a header of column names, then rows. Cells stay
 * text (the encoder reads numbers from text); pandas' missing-value markers are missing.
 */
function csvRows(text: string): MlflowRows {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  const problem = parsed.errors[0];
  if (problem)
    throw new FlywheelError(
      'bad_input',
      `the CSV body is malformed at row ${(problem.row ?? 0) + 1}: ${problem.message}`,
      parsed.errors.slice(0, 20).map((e) => ({ path: `row ${(e.row ?? 0) + 1}`, message: e.message })),
    );
  if (parsed.data.length === 0)
    throw new FlywheelError('bad_input', 'the CSV body has a header but no rows', [
      { path: 'body', message: 'no rows' },
    ]);
  const rows = parsed.data.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, PANDAS_NA_VALUES.has(v) ? null : v])),
  );
  return { rows, path: 'csv' };
}

/** MLflow's error codes (mlflow/protos/databricks.proto) for the statuses the edge answers with. */
const MLFLOW_CODE: Record<number, string> = {
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  409: 'RESOURCE_ALREADY_EXISTS',
  429: 'REQUEST_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
};

/** Anything thrown, as MLflow's scoring server answers it: `{"error_code", "message"}`, any other 4xx a BAD_REQUEST. */
export function mlflowError(
  e: unknown,
  requestId: string | undefined,
): { status: number; body: { error_code: string; message: string } } {
  const envelope = errorEnvelope(e, requestId);
  // A body of a type it does not read is a 415 on MLflow's server, as on any HTTP server.
  const status = isFlywheelError(e) && e.details[0]?.path === 'content-type' ? 415 : envelope.status;
  return { status, body: { error_code: MLFLOW_CODE[status] ?? 'BAD_REQUEST', message: envelope.body.error.message } };
}
