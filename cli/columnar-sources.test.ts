/**
 * `flywheel profile` and `flywheel train` on Parquet and Arrow files. The files are penguins written
 * by the formats' JavaScript writers (hyparquet-writer, apache-arrow): Debian packages neither pyarrow
 * nor fastparquet here, so pandas cannot write Parquet on this machine.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../core/data/sources';
import { cellValue } from '../core/data/table';
import { nodeSourceIO } from './node-io';
import { runCaptured as run } from './run-captured';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-columnar-'));
  const { table } = await loadSource('sample:penguins', nodeSourceIO);
  const columns = table.columns.map((col) => ({
    name: col.name,
    data: Array.from({ length: table.rowCount }, (_, r) => cellValue(col, r)),
  }));
  const parquet = parquetWriteBuffer({
    columnData: columns.map((c) => ({
      ...c,
      type: typeof c.data.find((v) => v !== null) === 'number' ? 'DOUBLE' : 'STRING',
    })),
  });
  await writeFile(path.join(dir, 'penguins.parquet'), new Uint8Array(parquet));
  await writeFile(
    path.join(dir, 'penguins.arrow'),
    tableToIPC(tableFromArrays(Object.fromEntries(columns.map((c) => [c.name, c.data]))), 'file'),
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Parquet and Arrow files in the CLI', () => {
  it('profile gives what it gives for the same rows from JSON', async () => {
    const reference = JSON.parse((await run('profile', 'sample:penguins', '--json')).out);
    for (const file of ['penguins.parquet', 'penguins.arrow']) {
      const r = await run('profile', path.join(dir, file), '--json');
      expect(r.code, r.err).toBe(0);
      const json = JSON.parse(r.out);
      expect(json.rows).toBe(344);
      expect(json.schema).toEqual(reference.schema);
      expect(json.profile).toEqual(reference.profile);
    }
  });

  it('train --data takes a Parquet file', async () => {
    const out = path.join(dir, 'model');
    const r = await run(
      'train',
      '--data',
      path.join(dir, 'penguins.parquet'),
      '--target',
      'Species',
      '--model',
      'linear',
      '--epochs',
      '5',
      '--backend',
      'cpu',
      '--no-cache',
      '--out',
      out,
      '--data-dir',
      path.join(dir, 'data'),
    );
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.metrics.accuracy).toBeGreaterThan(0.5);
    expect(report.lineage.dataHash).toMatch(/^[0-9a-f]+$/);
  }, 60_000);
});
