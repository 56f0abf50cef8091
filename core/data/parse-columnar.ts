import { FlywheelError, errorMessage } from '../errors';
import { MISSING_CODE, type Column, type Table } from './table';

/**
 * Parquet (hyparquet) and Arrow IPC (apache-arrow) files as Tables. Both are columnar and typed, so
 * columns convert whole and keep their types: numbers (and 64-bit integers) become number columns,
 * strings stay strings even when they look numeric, booleans become "true"/"false", dates and
 * timestamps ISO 8601 text (inferred as datetime, as in a CSV). The libraries load only when such a
 * file is read.
 */

/** The file's format by its first bytes: Parquet and Arrow IPC files announce themselves. */
export function columnarFormatOf(bytes: Uint8Array): 'parquet' | 'arrow' | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 8 && ascii(0, 4) === 'PAR1') return 'parquet';
  if (bytes.length >= 6 && ascii(0, 6) === 'ARROW1') return 'arrow';
  // An Arrow IPC stream starts with a continuation marker (0xFFFFFFFF) before its schema message.
  if (bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff)
    return 'arrow';
  return null;
}

/**
 * A Parquet file as a Table, in any codec the format names: snappy (pandas' and pyarrow's default),
 * zstd (DuckDB's and polars'), gzip, brotli, lz4, or none (hyparquet-compressors, loaded with hyparquet).
 */
export async function parseParquet(bytes: Uint8Array, source: string): Promise<Table> {
  const [{ parquetMetadata, parquetRead, parquetSchema }, { compressors }] = await Promise.all([
    import('hyparquet'),
    import('hyparquet-compressors'),
  ]);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const parts = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
  let names: string[];
  let rowCount: number;
  try {
    const metadata = parquetMetadata(buffer);
    names = parquetSchema(metadata).children.map((c) => c.element.name);
    rowCount = Number(metadata.num_rows);
    await parquetRead({
      file: buffer,
      metadata,
      compressors,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const list = parts.get(columnName) ?? [];
        list.push({ rowStart, data: columnData });
        parts.set(columnName, list);
      },
    });
  } catch (e) {
    throw new FlywheelError('bad_data', `${source} could not be read as Parquet: ${errorMessage(e)}`, [
      { path: source, message: 'unreadable Parquet' },
    ]);
  }
  if (rowCount === 0)
    throw new FlywheelError('bad_data', `${source} has a header but no rows`, [{ path: source, message: 'no rows' }]);
  const columns = names.map((name) => {
    const chunks = (parts.get(name) ?? []).sort((a, b) => a.rowStart - b.rowStart);
    const values: unknown[] = new Array(rowCount);
    for (const { rowStart, data } of chunks)
      for (let i = 0; i < data.length && rowStart + i < rowCount; i++) values[rowStart + i] = data[i];
    return columnFromValues(name, values, source);
  });
  return { rowCount, columns };
}

/** An Arrow IPC file or stream (`.arrow`, Feather v2) as a Table. */
export async function parseArrow(bytes: Uint8Array, source: string): Promise<Table> {
  const arrow = await import('apache-arrow');
  let table: import('apache-arrow').Table;
  try {
    table = arrow.tableFromIPC(bytes);
  } catch (e) {
    throw new FlywheelError('bad_data', `${source} could not be read as Arrow IPC: ${errorMessage(e)}`, [
      { path: source, message: 'unreadable Arrow' },
    ]);
  }
  if (table.numRows === 0)
    throw new FlywheelError('bad_data', `${source} has a header but no rows`, [{ path: source, message: 'no rows' }]);
  const columns = table.schema.fields.map((field, i) => {
    const vector = table.getChildAt(i)!;
    const temporal = arrow.DataType.isDate(field.type) || arrow.DataType.isTimestamp(field.type);
    const values: unknown[] = new Array(table.numRows);
    for (let r = 0; r < values.length; r++) {
      const v = vector.get(r);
      // Arrow gives dates and timestamps as epoch milliseconds.
      values[r] = temporal && typeof v === 'number' ? new Date(v) : v;
    }
    return columnFromValues(field.name, values, source);
  });
  return { rowCount: table.numRows, columns };
}

/** A column from typed cells: numeric when every present value is a number or a 64-bit integer, else dictionary-encoded text. */
function columnFromValues(name: string, values: readonly unknown[], source: string): Column {
  const numeric = values.every((v) => v === null || v === undefined || typeof v === 'number' || typeof v === 'bigint');
  if (numeric) {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const n = v === null || v === undefined ? NaN : Number(v);
      if (n === Infinity || n === -Infinity) {
        throw new FlywheelError('bad_data', `${source}: column "${name}" row ${i} is ${n}; numbers must be finite`, [
          { path: `${source}.${name}[${i}]`, message: 'not finite' },
        ]);
      }
      out[i] = n;
    }
    return { kind: 'number', name, values: out };
  }
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const text = cellText(values[i], name, i, source);
    if (text === null) {
      codes[i] = MISSING_CODE;
      continue;
    }
    let code = index.get(text);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(text);
      index.set(text, code);
    }
    codes[i] = code;
  }
  return { kind: 'string', name, codes, dictionary };
}

function cellText(v: unknown, name: string, row: number, source: string): string | null {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean')
    return String(v);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const iso = v.toISOString();
    // A date without a time of day reads as one, as a CSV would write it.
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  throw new FlywheelError(
    'bad_data',
    `${source}: column "${name}" row ${row} is a nested ${Array.isArray(v) ? 'list' : 'structure'}; columns must hold numbers, strings, booleans, dates or nulls`,
    [{ path: `${source}.${name}[${row}]`, message: 'nested value' }],
  );
}
