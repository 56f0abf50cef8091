import { FlywheelError } from '../errors';
import { ColumnBuilder, type ColumnMemory } from './column-builder';
import type { Cell, Table } from './table';

/** Builds a Table from a header and rows pushed one at a time; shared by the CSV and JSON readers. */
export class TableAssembler {
  private readonly builders: ColumnBuilder[];
  rowCount = 0;

  constructor(
    readonly source: string,
    header: readonly string[],
    expectedRows?: number,
    memory?: ColumnMemory,
  ) {
    this.builders = uniqueNames(source, header).map((n) => new ColumnBuilder(n, expectedRows, memory));
  }

  get width(): number {
    return this.builders.length;
  }

  /** The columns being built, for a reader that pushes cell by cell (it then calls `endRow`). */
  get columns(): readonly ColumnBuilder[] {
    return this.builders;
  }

  endRow(): void {
    this.rowCount++;
  }

  pushRow(cells: ArrayLike<Cell>): void {
    const b = this.builders;
    for (let i = 0; i < b.length; i++) b[i].push(cells[i]);
    this.rowCount++;
  }

  /** A row of text cells (a CSV row), as many as the header has. */
  pushTexts(cells: readonly string[]): void {
    const b = this.builders;
    for (let i = 0; i < b.length; i++) b[i].pushText(cells[i]);
    this.rowCount++;
  }

  pushRecord(record: Record<string, Cell>): void {
    for (const b of this.builders) {
      const v = record[b.name];
      // NaN is a missing value; ±Infinity is a broken computation upstream, not data.
      if (typeof v === 'number' && (v === Infinity || v === -Infinity)) {
        throw new FlywheelError(
          'bad_data',
          `${this.source}[${this.rowCount}].${b.name} is ${v}; numbers must be finite (use null for a missing value)`,
          [{ path: `${this.source}[${this.rowCount}].${b.name}`, message: 'not finite' }],
        );
      }
      b.push(v);
    }
    this.rowCount++;
  }

  build(): Table {
    if (this.rowCount === 0)
      throw new FlywheelError('bad_data', `${this.source} has a header but no rows`, [
        { path: this.source, message: 'no rows' },
      ]);
    return { rowCount: this.rowCount, columns: this.builders.map((b) => b.build()) };
  }
}

function uniqueNames(source: string, header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, i) => {
    const name = String(raw ?? '').trim() || `column_${i + 1}`;
    if (seen.has(name)) {
      throw new FlywheelError(
        'bad_data',
        `${source}: column "${name}" appears twice in the header (columns ${[...seen].indexOf(name) + 1} and ${i + 1})`,
        [{ path: `${source}:1`, message: `duplicate column "${name}"` }],
      );
    }
    seen.add(name);
    return name;
  });
}

/** A table from in-memory records (`[{feature: value}, ...]`); columns are the union of the keys in order of first appearance. */
export function tableFromRecords(records: readonly Record<string, Cell>[], source = 'rows'): Table {
  if (records.length === 0)
    throw new FlywheelError('bad_data', `${source} is empty: no rows`, [{ path: source, message: 'no rows' }]);
  const names: string[] = [];
  const known = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new FlywheelError('bad_data', `${source}[${i}] is not an object of feature values`, [
        { path: `${source}[${i}]`, message: 'expected an object' },
      ]);
    }
    for (const k of Object.keys(r)) {
      if (known.has(k)) continue;
      known.add(k);
      names.push(k);
    }
  });
  const assembler = new TableAssembler(source, names);
  records.forEach((r, i) => {
    for (const k of names) {
      const v = r[k];
      if (v !== null && v !== undefined && typeof v === 'object') {
        throw new FlywheelError(
          'bad_data',
          `${source}[${i}].${k} is a nested ${Array.isArray(v) ? 'array' : 'object'}; values must be numbers, strings, booleans or null`,
          [{ path: `${source}[${i}].${k}`, message: 'nested value' }],
        );
      }
    }
    assembler.pushRecord(r);
  });
  return assembler.build();
}
