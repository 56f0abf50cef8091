/**
 * Parquet and Arrow sources. The files are written by the formats' own JavaScript writers
 * (hyparquet-writer, apache-arrow's IPC writer): pyarrow and fastparquet are not packaged by Debian
 * here, so pandas cannot write Parquet on this machine.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { loadSource, type SourceIO } from './sources';
import { toRows } from './table';

/** A SourceIO whose files are the given bytes. */
function filesIO(files: Record<string, Uint8Array>): SourceIO {
  return {
    readFile: async (path) => files[path] ?? Promise.reject(new Error(`ENOENT: no such file, open '${path}'`)),
    readSample: () => Promise.reject(new Error('no samples')),
    fetch: () => Promise.reject(new Error('no network')),
  };
}

const COLUMNS: ColumnSource[] = [
  { name: 'id', data: [1n, 2n, 3n, 4n], type: 'INT64' },
  { name: 'score', data: [0.5, null, 2.25, -1], type: 'DOUBLE' },
  { name: 'code', data: ['007', '42', null, '007'], type: 'STRING' },
  { name: 'ok', data: [true, false, true, null], type: 'BOOLEAN' },
  {
    name: 'at',
    data: [
      new Date('2024-01-02T03:04:05.000Z'),
      new Date('2024-01-03T00:00:00.000Z'),
      null,
      new Date('2024-02-29T12:00:00.000Z'),
    ],
    type: 'TIMESTAMP',
  },
];
const parquet = new Uint8Array(parquetWriteBuffer({ columnData: [...COLUMNS] }));

const EXPECTED_ROWS = [
  { id: 1, score: 0.5, code: '007', ok: 'true', at: '2024-01-02T03:04:05.000Z' },
  { id: 2, score: null, code: '42', ok: 'false', at: '2024-01-03' },
  { id: 3, score: 2.25, code: null, ok: 'true', at: null },
  { id: 4, score: -1, code: '007', ok: null, at: '2024-02-29T12:00:00.000Z' },
];

describe('Parquet sources', () => {
  it('reads typed columns: 64-bit integers and doubles as numbers, strings kept as text, nulls missing', async () => {
    const { table } = await loadSource('data.parquet', filesIO({ 'data.parquet': parquet }));
    expect(table.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'number'],
      ['score', 'number'],
      ['code', 'string'],
      ['ok', 'string'],
      ['at', 'string'],
    ]);
    expect(toRows(table)).toEqual(EXPECTED_ROWS);
  });

  it('reads pages compressed with codecs beyond snappy (gzip here; zstd, brotli, lz4 by the same decompressors)', async () => {
    const gzipped = new Uint8Array(
      parquetWriteBuffer({ columnData: [...COLUMNS], codec: 'GZIP', compressors: { GZIP: (b) => gzipSync(b) } }),
    );
    expect(gzipped).not.toEqual(parquet);
    expect(toRows((await loadSource('gz.parquet', filesIO({ 'gz.parquet': gzipped }))).table)).toEqual(EXPECTED_ROWS);
  });

  it('recognises Parquet by its magic bytes whatever the name, and names a damaged file', async () => {
    expect((await loadSource('download', filesIO({ download: parquet }))).table.rowCount).toBe(4);
    const damaged = parquet.slice(0, parquet.length - 20);
    const e = await loadSource('bad.parquet', filesIO({ 'bad.parquet': damaged })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FlywheelError);
    expect((e as FlywheelError).message).toMatch(/^bad\.parquet could not be read as Parquet: /);
  });
});

describe('Arrow sources', () => {
  it('reads an IPC file and an IPC stream with the same types as Parquet', async () => {
    const arrow = tableFromArrays({
      id: new BigInt64Array([1n, 2n, 3n, 4n]),
      score: [0.5, null, 2.25, -1],
      code: ['007', '42', null, '007'],
      ok: [true, false, true, null],
    });
    for (const [name, bytes] of [
      ['data.arrow', tableToIPC(arrow, 'file')],
      ['data.arrows', tableToIPC(arrow, 'stream')],
      ['no-extension', tableToIPC(arrow, 'file')],
    ] as const) {
      const { table } = await loadSource(name, filesIO({ [name]: bytes }));
      expect(toRows(table), name).toEqual(EXPECTED_ROWS.map(({ at: _at, ...row }) => row));
    }
  });

  it('names a file that is not Arrow', async () => {
    const e = await loadSource('bad.arrow', filesIO({ 'bad.arrow': new TextEncoder().encode('a,b\n1,2\n') })).catch(
      (x: unknown) => x,
    );
    expect((e as FlywheelError).message).toMatch(/^bad\.arrow could not be read as Arrow IPC: /);
  });
});
