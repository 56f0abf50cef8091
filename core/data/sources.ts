import { FlywheelError, errorMessage } from '../errors';
import { columnarFormatOf, parseArrow, parseParquet } from './parse-columnar';
import { parseDelimited, type ParseOptions } from './parse-delimited';
import { parseJsonRecords } from './parse-json';
import { tableFromRecords } from './table-from-cells';
import type { Cell, Table } from './table';

/** The shipped sample datasets: `sample:<name>` → file in the npm package vega-datasets. */
export const SAMPLES: Readonly<Record<string, string>> = {
  penguins: 'penguins.json',
  cars: 'cars.json',
  'seattle-weather': 'seattle-weather.csv',
  'flights-20k': 'flights-20k.json',
  'flights-200k': 'flights-200k.json',
};

/** How a runtime reads bytes: the CLI passes Node's file system, the browser passes fetch and File. */
export interface SourceIO {
  readFile(path: string): Promise<Uint8Array>;
  readSample(file: string): Promise<Uint8Array>;
  fetch(url: string): Promise<Response>;
}

/** What a dataset can be given as: `sample:name`, a path or URL (CSV, TSV, JSON, JSON lines, Parquet, Arrow), rows, or a Table. */
export type SourceRef = string | { rows: Record<string, Cell>[]; name?: string } | { table: Table; name?: string };

export interface LoadedSource {
  table: Table;
  /** A human name of where the data came from. */
  name: string;
  /** The bytes' size, when read from bytes. */
  bytes: number;
}

/** Bytes at the start of a file inspected to tell text from binary. */
const SNIFF_BYTES = 8192;

/**
 * Loads any source into a Table. Every failure is a FlywheelError naming the source: an unknown
 * sample (listing the known ones), an unreadable file or URL, a binary file, bad CSV or JSON.
 */
export async function loadSource(ref: SourceRef, io: SourceIO, options: ParseOptions = {}): Promise<LoadedSource> {
  if (typeof ref !== 'string') {
    if ('table' in ref) return { table: ref.table, name: ref.name ?? 'table', bytes: 0 };
    return { table: tableFromRecords(ref.rows, ref.name ?? 'rows'), name: ref.name ?? 'rows', bytes: 0 };
  }
  const { bytes, name, format } = await readBytes(ref, io);
  const table = await parseBytes(bytes, name, format, options);
  return { table, name, bytes: bytes.byteLength };
}

type Format = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet' | 'arrow';

async function readBytes(
  ref: string,
  io: SourceIO,
): Promise<{ bytes: Uint8Array; name: string; format: Format | null }> {
  if (ref.startsWith('sample:')) {
    const sample = ref.slice('sample:'.length);
    const file = SAMPLES[sample];
    if (!file)
      throw new FlywheelError(
        'bad_source',
        `unknown sample "${sample}"; samples are ${Object.keys(SAMPLES)
          .map((s) => `sample:${s}`)
          .join(', ')}`,
        [{ path: ref, message: 'unknown sample' }],
      );
    return { bytes: await io.readSample(file), name: ref, format: formatOf(file) };
  }
  if (/^https?:\/\//i.test(ref)) {
    let response: Response;
    try {
      response = await io.fetch(ref);
    } catch (e) {
      throw new FlywheelError('bad_source', `could not read ${ref}: ${errorMessage(e)}`, [
        { path: ref, message: 'unreachable' },
      ]);
    }
    if (!response.ok)
      throw new FlywheelError(
        'bad_source',
        `could not read ${ref}: HTTP ${response.status} ${response.statusText}`.trim(),
        [{ path: ref, message: `HTTP ${response.status}` }],
      );
    const type = response.headers.get('content-type') ?? '';
    const format =
      formatOf(new URL(ref).pathname) ??
      (type.includes('json') ? 'json' : type.includes('tab-separated') ? 'tsv' : null);
    return { bytes: new Uint8Array(await response.arrayBuffer()), name: ref, format };
  }
  try {
    return { bytes: await io.readFile(ref), name: ref, format: formatOf(ref) };
  } catch (e) {
    if (e instanceof FlywheelError) throw e;
    throw new FlywheelError('bad_source', `could not read ${ref}: ${errorMessage(e)}`, [
      { path: ref, message: 'unreadable' },
    ]);
  }
}

function formatOf(path: string): Format | null {
  const ext = path.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'json') return 'json';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'parquet' || ext === 'pq') return 'parquet';
  if (ext === 'arrow' || ext === 'arrows' || ext === 'feather' || ext === 'ipc') return 'arrow';
  return null;
}

/** The text at the start of `bytes`, refusing what is evidently not text (NUL bytes, many invalid sequences). */
function textHead(bytes: Uint8Array, name: string): string {
  const head = bytes.subarray(0, SNIFF_BYTES);
  const headText = new TextDecoder('utf-8').decode(head);
  const replaced = headText.split('\uFFFD').length - 1;
  if (head.includes(0) || replaced > headText.length * 0.01 + 3) {
    throw new FlywheelError('bad_data', `${name} looks like a binary file, not CSV, JSON, Parquet or Arrow`, [
      { path: name, message: 'binary content' },
    ]);
  }
  return headText;
}

/** UTF-8 text of `bytes`, refusing what is evidently not text. */
export function decodeText(bytes: Uint8Array, name: string): string {
  textHead(bytes, name);
  return new TextDecoder('utf-8').decode(bytes);
}

async function parseBytes(
  bytes: Uint8Array,
  name: string,
  format: Format | null,
  options: ParseOptions,
): Promise<Table> {
  const kind = format ?? columnarFormatOf(bytes) ?? (/^\s*[[{]/.test(textHead(bytes, name)) ? 'json' : 'csv');
  if (kind === 'parquet') return parseParquet(bytes, name);
  if (kind === 'arrow') return parseArrow(bytes, name);
  if (kind === 'json') return parseJsonRecords(decodeText(bytes, name), name);
  if (kind === 'jsonl') return parseJsonRecords(decodeText(bytes, name), name, true);
  // Delimited text is decoded a piece at a time as it is parsed: the whole text never exists at once.
  textHead(bytes, name);
  return parseDelimited(bytes, name, {
    ...options,
    delimiter: options.delimiter ?? (kind === 'tsv' ? '\t' : undefined),
  });
}
