/**
 * The columnar table every part of Flywheel shares. Numbers live in a Float64Array (NaN marks a
 * missing value); everything else is dictionary-encoded (codes into `dictionary`, -1 marks missing),
 * so a 1M-row table costs 8 or 4 bytes a cell and copies cheaply between threads.
 */
export interface NumberColumn {
  readonly kind: 'number';
  readonly name: string;
  readonly values: Float64Array;
}

export interface StringColumn {
  readonly kind: 'string';
  readonly name: string;
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

export type Column = NumberColumn | StringColumn;

export interface Table {
  readonly rowCount: number;
  readonly columns: readonly Column[];
}

/** A row value as users write it in JSON or CSV. */
export type Cell = number | string | boolean | null | undefined;

export const MISSING_CODE = -1;

export function column(table: Table, name: string): Column {
  const found = table.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column "${name}" (columns: ${table.columns.map((c) => c.name).join(', ')})`);
  return found;
}

export function hasColumn(table: Table, name: string): boolean {
  return table.columns.some((c) => c.name === name);
}

/** The value of one cell as JavaScript: a number, a string, or null when missing. */
export function cellValue(col: Column, row: number): number | string | null {
  if (col.kind === 'number') {
    const v = col.values[row];
    return Number.isNaN(v) ? null : v;
  }
  const code = col.codes[row];
  return code === MISSING_CODE ? null : col.dictionary[code];
}

/** Rows `indices` of `table`, in that order. */
export function takeRows(table: Table, indices: ArrayLike<number>): Table {
  const n = indices.length;
  const columns = table.columns.map((col): Column => {
    if (col.kind === 'number') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[indices[i]];
      return { kind: 'number', name: col.name, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = col.codes[indices[i]];
    return { kind: 'string', name: col.name, codes, dictionary: col.dictionary };
  });
  return { rowCount: n, columns };
}

/** Rows as plain objects, for display and JSON (small tables only). */
export function toRows(table: Table, limit = table.rowCount): Record<string, number | string | null>[] {
  const n = Math.min(limit, table.rowCount);
  const rows: Record<string, number | string | null>[] = [];
  for (let r = 0; r < n; r++) {
    const row: Record<string, number | string | null> = {};
    for (const col of table.columns) row[col.name] = cellValue(col, r);
    rows.push(row);
  }
  return rows;
}

/** A table with only the named columns, sharing their storage. */
export function selectColumns(table: Table, names: readonly string[]): Table {
  return { rowCount: table.rowCount, columns: names.map((n) => column(table, n)) };
}
