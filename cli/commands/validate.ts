import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadSource } from '../../core/data/sources';
import { FlywheelError, errorMessage } from '../../core/errors';
import { schemaSchema, validateTable, type Schema } from '../../core/features';
import { EXIT_FAILED, EXIT_OK, UsageError, single, type Command } from '../command';
import { textTable } from '../format';
import { nodeSourceIO } from '../node-io';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'anomalies of a data source against a schema',
  usage: `flywheel validate SRC --schema FILE [--json]

Checks SRC against a schema (as printed by \`flywheel profile SRC --json\` under "schema", or a bundle's).
Lists each anomaly with its column, kind, count, examples and severity. Exits 1 when any is an error.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { schema: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const src = single(positionals, 'SRC');
    if (!values.schema) throw new UsageError('--schema FILE is required');
    const schema = await readSchema(values.schema);
    const { table, name } = await loadSource(src, nodeSourceIO);
    const anomalies = validateTable(table, schema);
    const errors = anomalies.filter((a) => a.severity === 'error').length;
    if (values.json) io.out(JSON.stringify({ source: name, rows: table.rowCount, anomalies, errors }, null, 2));
    else if (anomalies.length === 0) io.out(`${name}: no anomalies against ${values.schema} (${table.rowCount} rows)`);
    else {
      io.out(`${name}: ${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'}, ${errors} error(s)\n`);
      io.out(
        textTable(
          ['severity', 'column', 'kind', 'count', 'examples', 'message'],
          anomalies.map((a) => [
            a.severity,
            a.column,
            a.kind,
            String(a.count),
            a.examples.map((e) => JSON.stringify(e)).join(', '),
            a.message,
          ]),
        ),
      );
    }
    return errors > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

/** A schema file: the schema itself, or any JSON with a `schema` property (profile output, a manifest). */
async function readSchema(file: string): Promise<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new FlywheelError('bad_schema', `could not read the schema ${file}: ${errorMessage(e)}`, [
      { path: file, message: 'unreadable' },
    ]);
  }
  const candidate = json && typeof json === 'object' && 'schema' in json ? (json as { schema: unknown }).schema : json;
  const parsed = schemaSchema.safeParse(candidate);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: `${file}:${i.path.join('.') || '(root)'}`,
      message: i.message,
    }));
    throw new FlywheelError(
      'bad_schema',
      `${file} is not a valid schema: ${details[0].path}: ${details[0].message}`,
      details,
    );
  }
  return parsed.data;
}
