import { FlywheelError } from '../errors';
import { tableFromRecords } from './table-from-cells';
import type { Cell, Table } from './table';

/**
 * Parses JSON text holding an array of records (or one record per line for `.jsonl`/`.ndjson`)
 * into a Table. Errors name the source and, for JSON syntax errors, the position.
 */
export function parseJsonRecords(text: string, source: string, lines = false): Table {
  if (text.trim().length === 0)
    throw new FlywheelError('bad_data', `${source} is empty`, [{ path: source, message: 'empty file' }]);
  if (lines) {
    const records = text
      .split('\n')
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l.trim() !== '')
      .map(([l, i]) => parseOrThrow(l, `${source}:${i + 1}`));
    return tableFromRecords(records as Record<string, Cell>[], source);
  }
  const data = parseOrThrow(text, source);
  const records = Array.isArray(data) ? data : findRecordArray(data);
  if (!records)
    throw new FlywheelError('bad_data', `${source} must hold a JSON array of records ([{"feature": value}, …])`, [
      { path: source, message: 'not an array of records' },
    ]);
  return tableFromRecords(records as Record<string, Cell>[], source);
}

function parseOrThrow(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FlywheelError('bad_data', `${where} is not valid JSON: ${(e as Error).message}`, [
      { path: where, message: 'invalid JSON' },
    ]);
  }
}

/** `{"data": [...]}`-style wrappers: the single array-valued property, if there is exactly one. */
function findRecordArray(data: unknown): unknown[] | null {
  if (data === null || typeof data !== 'object') return null;
  const arrays = Object.values(data).filter(Array.isArray);
  return arrays.length === 1 ? arrays[0] : null;
}
