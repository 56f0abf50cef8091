import { FlywheelError, errorMessage } from '../errors';
import { columnarFormatOf, parseArrow, parseParquet } from './parse-columnar';
import { parseDelimited, type ByteSource, type ParseOptions } from './parse-delimited';
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
  /**
   * A local file to read as it is parsed, where the runtime can (Node): delimited text is then parsed
   * through a window of it instead of a copy of the whole file. Without it, `readFile`.
   */
  openFile?(path: string): Promise<OpenFile>;
}

/** A file open for reading a range at a time; closed once parsed. */
export interface OpenFile extends ByteSource {
  close(): Promise<void>;
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
  const opened = await openDelimited(ref, io, options);
  if (opened) return opened;
  const { bytes, name, format } = await readBytes(ref, io);
  const table = await parseBytes(bytes, name, format, options);
  return { table, name, bytes: bytes.byteLength };
}

type Format = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet' | 'arrow';

/**
 * A local delimited-text file parsed as it is read, when `io` can open files; null for anything else
 * (samples, URLs, other formats, a runtime without `openFile`), which is read whole.
 */
async function openDelimited(ref: string, io: SourceIO, options: ParseOptions): Promise<LoadedSource | null> {
  if (!io.openFile || ref.startsWith('sample:') || /^https?:\/\//i.test(ref)) return null;
  const format = formatOf(ref);
  if (format !== null && format !== 'csv' && format !== 'tsv') return null;
  let file: OpenFile;
  try {
    file = await io.openFile(ref);
  } catch (e) {
    throw new FlywheelError('bad_source', `could not read ${ref}: ${errorMessage(e)}`, [
      { path: ref, message: 'unreadable' },
    ]);
  }
  try {
    const head = new Uint8Array(Math.min(file.size, SNIFF_BYTES));
    let got = 0;
    while (got < head.length) {
      const n = file.read(head, got, head.length - got, got);
      if (n === 0) break;
      got += n;
    }
    const kind = kindOf(head, ref, format);
    if (kind !== 'csv' && kind !== 'tsv') return null;
    textHead(head, ref);
    const table = parseDelimited(file, ref, {
      ...options,
      delimiter: options.delimiter ?? (kind === 'tsv' ? '\t' : undefined),
    });
    return { table, name: ref, bytes: file.size };
  } finally {
    await file.close();
  }
}

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

/** The format of a file: its extension's, else what its first bytes say (Parquet, Arrow, JSON, else CSV). */
function kindOf(head: Uint8Array, name: string, format: Format | null): Format {
  return format ?? columnarFormatOf(head) ?? (/^\s*[[{]/.test(textHead(head, name)) ? 'json' : 'csv');
}

async function parseBytes(
  bytes: Uint8Array,
  name: string,
  format: Format | null,
  options: ParseOptions,
): Promise<Table> {
  const kind = kindOf(bytes, name, format);
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
