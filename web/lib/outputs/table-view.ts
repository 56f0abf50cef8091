/** Paging and sorting of a table output, kept apart from the component so the order rules are testable. */
import type { TableOutput } from '../../../workers/protocol';

/** Rows per page of a table output. */
export const PAGE_SIZE = 20;

export type SortState = { column: number; descending: boolean } | null;
type Value = TableOutput['rows'][number][number];

/** Next sort after clicking a header: ascending, then descending, then unsorted. */
export function nextSort(sort: SortState, column: number): SortState {
  if (!sort || sort.column !== column) return { column, descending: false };
  return sort.descending ? null : { column, descending: true };
}

/** The rows in sort order (nulls last either way, numbers before text); the input is not changed. */
export function sortedRows(rows: TableOutput['rows'], sort: SortState): TableOutput['rows'] {
  if (!sort) return rows;
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[sort.column];
    const y = b[sort.column];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * compare(x, y);
  });
}

function compare(x: Exclude<Value, null>, y: Exclude<Value, null>): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'number') return -1;
  if (typeof y === 'number') return 1;
  return String(x).localeCompare(String(y), undefined, { numeric: true });
}

export function pageCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / PAGE_SIZE));
}

export function pageRows<T>(rows: T[], page: number): T[] {
  return rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
}
