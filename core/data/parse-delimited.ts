import Papa from 'papaparse';
import { FlywheelError } from '../errors';
import { TableAssembler } from './table-from-cells';
import type { Table } from './table';

/** Characters handed to papaparse per chunk: large enough to amortise the callback, small enough for steady progress. */
const CHUNK_CHARS = 1 << 20;
/** A single field this long is a broken file (a missing quote swallowing the rest), not data. */
export const MAX_FIELD_CHARS = 1 << 20;

export interface ParseOptions {
  /** Field delimiter; auto-detected when omitted. */
  delimiter?: string;
  onProgress?: (fraction: number, rows: number) => void;
}

/**
 * Parses CSV/TSV text into a Table with papaparse in chunks, reporting progress. Errors name the
 * source and the line: an empty file, a header without rows, a ragged row, an oversized field.
 */
export function parseDelimited(text: string, source: string, options: ParseOptions = {}): Table {
  if (text.trim().length === 0) throw new FlywheelError('bad_data', `${source} is empty`, [{ path: source, message: 'empty file' }]);
  let assembler: TableAssembler | null = null;
  let dataRow = 0;
  let consumed = 0;
  let failure: FlywheelError | null = null;
  // papaparse streams strings in chunks too, but its types only admit `chunk` for files.
  const config: Papa.ParseConfig<string[]> & { chunkSize: number; chunk: (r: Papa.ParseResult<string[]>, p: Papa.Parser) => void } = {
    delimiter: options.delimiter ?? '',
    skipEmptyLines: 'greedy',
    chunkSize: CHUNK_CHARS,
    chunk: (results, parser) => {
      try {
        for (const row of results.data) {
          if (!assembler) {
            assembler = new TableAssembler(source, row);
            continue;
          }
          dataRow++;
          checkRow(row, assembler.width, source, dataRow);
          assembler.pushRow(row);
        }
        consumed += CHUNK_CHARS;
        options.onProgress?.(Math.min(1, consumed / text.length), dataRow);
      } catch (e) {
        failure = e as FlywheelError;
        parser.abort();
      }
    },
  };
  Papa.parse<string[]>(text, config);
  if (failure) throw failure;
  if (!assembler) throw new FlywheelError('bad_data', `${source} is empty`, [{ path: source, message: 'empty file' }]);
  options.onProgress?.(1, dataRow);
  return (assembler as TableAssembler).build();
}

function checkRow(row: string[], width: number, source: string, dataRow: number): void {
  // Line numbers assume one line per row (true unless a quoted field holds a newline).
  const line = dataRow + 1;
  if (row.length !== width) {
    throw new FlywheelError('bad_data', `${source}:${line}: row ${dataRow} has ${row.length} fields, the header has ${width}`, [{ path: `${source}:${line}`, message: `expected ${width} fields, found ${row.length}` }]);
  }
  for (let i = 0; i < row.length; i++) {
    if (row[i].length > MAX_FIELD_CHARS) {
      throw new FlywheelError('bad_data', `${source}:${line}: field ${i + 1} is ${row[i].length.toLocaleString('en-US')} characters long (limit ${MAX_FIELD_CHARS.toLocaleString('en-US')}); is a quote left open?`, [{ path: `${source}:${line}`, message: 'field too long' }]);
    }
  }
}
