import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSourceIO } from './node-io';
import { runCaptured } from './run-captured';

const run = runCaptured;

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-cli-'));
  server = createServer((req, res) => {
    if (req.url === '/data.csv') res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n1,x\n2,y\n');
    else res.writeHead(404).end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('flywheel profile', () => {
  it('prints a readable profile of sample:penguins', async () => {
    const r = await run('profile', 'sample:penguins');
    expect(r.code).toBe(0);
    expect(r.out).toContain('sample:penguins — 344 rows, 7 columns');
    expect(r.out).toMatch(/Species\s+categorical\s+0\s+3\s+Adelie 44%, Gentoo 36%, Chinstrap 20%/);
    expect(r.out).toMatch(/Body Mass \(g\)\s+integer\s+2 \(0\.6%\)\s+4202\s+802\s+2700\s+4050\s+6300/);
  });

  it('stops quietly when its reader does (`| head`), as Unix tools do', async () => {
    // The real process: the pipe closes after one line, and what is left to print has no reader.
    const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin.js');
    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      ['-c', `"${process.execPath}" "${bin}" profile sample:penguins | head -1; echo "exit \${PIPESTATUS[0]}"`],
      { timeout: 60_000 },
    );
    expect(stdout).toBe('sample:penguins — 344 rows, 7 columns\nexit 0\n');
    expect(stderr).toBe('');
  });

  it('prints correct JSON for sample:flights-200k', async () => {
    const r = await run('profile', 'sample:flights-200k', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    // numpy on the same file: len 200000, delay mean 7.500795, std (ddof=1) 31.98378126768778, min -86, max 1444.
    expect(json.rows).toBe(200_000);
    expect(json.schema.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'delay:integer',
      'distance:integer',
      'time:numeric',
    ]);
    const delay = json.profile.columns[0];
    expect(delay).toMatchObject({ count: 200_000, missing: 0, min: -86, max: 1444 });
    expect(delay.mean).toBeCloseTo(7.500795, 9);
    expect(delay.std).toBeCloseTo(31.98378126768778, 9);
    expect(delay.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(delay.count);
    expect(delay.sample).toBeUndefined();
  });

  it('reads a URL and a file', async () => {
    expect(JSON.parse((await run('profile', `${base}/data.csv`, '--json')).out).rows).toBe(2);
    const file = path.join(dir, 'ok.tsv');
    await writeFile(file, 'a\tb\n1\t2\n');
    expect(JSON.parse((await run('profile', file, '--json')).out).rows).toBe(1);
  });

  it.each([
    [['sample:nope'], /unknown sample "nope"; samples are sample:penguins, sample:cars/],
    [['/no/such/file.csv'], /could not read \/no\/such\/file\.csv: ENOENT/],
    [['http://127.0.0.1:1/x.csv'], /could not read http:\/\/127\.0\.0\.1:1\/x\.csv: fetch failed/],
    [[tmpdir()], /could not read \/.*: it is a directory, not a file/],
  ])('exits 2 with a clear message for %s', async (args, message) => {
    const r = await run('profile', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('names an HTTP failure', async () => {
    const r = await run('profile', `${base}/missing.csv`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`could not read ${base}/missing.csv: HTTP 404`);
  });

  it('refuses a binary file, an empty file, ragged rows', async () => {
    const bin = path.join(dir, 'x.csv');
    await writeFile(bin, Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0xff]));
    expect((await run('profile', bin)).err).toContain('looks like a binary file');
    const empty = path.join(dir, 'empty.csv');
    await writeFile(empty, '');
    expect((await run('profile', empty)).err).toContain(`${empty} is empty`);
    const ragged = path.join(dir, 'ragged.csv');
    await writeFile(ragged, 'a,b\n1,2\n1,2,3\n');
    const r = await run('profile', ragged);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${ragged}:3: row 2 has 3 fields, the header has 2`);
  });

  it('shows usage on bad options', async () => {
    const r = await run('profile', 'sample:cars', '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: flywheel profile SRC');
  });
});

describe('flywheel validate', () => {
  it('exits 0 on data matching its own schema and 1 on errors', async () => {
    const schemaFile = path.join(dir, 'penguins.schema.json');
    await writeFile(schemaFile, (await run('profile', 'sample:penguins', '--json')).out);
    expect((await run('validate', 'sample:penguins', '--schema', schemaFile)).code).toBe(0);
    const data = path.join(dir, 'bad.csv');
    await writeFile(
      data,
      'Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g)\nAdelie,Atlantis,abc,18,181,3750\n',
    );
    const r = await run('validate', data, '--schema', schemaFile);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error\s+Beak Length \(mm\)\s+wrong_type\s+1\s+"abc"/);
    expect(r.out).toMatch(/error\s+Sex\s+missing_column/);
    expect(r.out).toMatch(/warning\s+Island\s+unseen_category\s+1\s+"Atlantis"/);
  });

  it('refuses a malformed schema naming the field', async () => {
    const schemaFile = path.join(dir, 'bad.schema.json');
    await writeFile(schemaFile, JSON.stringify({ columns: [{ name: 'a', type: 'float' }] }));
    const r = await run('validate', 'sample:penguins', '--schema', schemaFile);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${schemaFile}:columns.0.type`);
  });
});

describe('flywheel evaluate and predict with a bundle', () => {
  it('says why a metric has no value, and names every column the data lacks', async () => {
    const out = path.join(dir, 'linear');
    const trained = await run(
      'train',
      '--data',
      'sample:penguins',
      '--target',
      'Species',
      '--model',
      'linear',
      '--out',
      out,
    );
    expect(trained.code).toBe(0);
    const bundle = path.join(out, 'bundle.zip');
    // Two of the three species: one-vs-rest ROC AUC of the third is undefined, and the table says so.
    const rows = JSON.parse(new TextDecoder().decode(await nodeSourceIO.readSample('penguins.json'))) as Record<
      string,
      unknown
    >[];
    const two = path.join(dir, 'two-species.json');
    await writeFile(two, JSON.stringify(rows.filter((r) => r.Species !== 'Chinstrap')));
    const scored = await run('evaluate', bundle, '--data', two);
    expect(scored.code).toBe(0);
    expect(scored.out).toMatch(
      /roc_auc\s+— \(class "Chinstrap" has no rows in y_true, so its one-vs-rest ROC AUC is undefined\)/,
    );
    expect(scored.out).toMatch(/accuracy\s+(1|0\.\d+)\n/);
    // A file of other columns: every missing one named at once, with what the file has.
    const other = path.join(dir, 'other.csv');
    await writeFile(other, 'Island,Sex,colour\nBiscoe,MALE,red\n');
    const refused = await run('predict', bundle, '--data', other);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'the data has no columns "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)" and "Body Mass (g)", which the model needs (it has "Island", "Sex", "colour")',
    );
    // The message names them all: no detail lines repeat some of them.
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    // One species: every absent class is named, as the one class present.
    const one = path.join(dir, 'one-species.json');
    await writeFile(one, JSON.stringify(rows.filter((r) => r.Species === 'Adelie')));
    expect((await run('evaluate', bundle, '--data', one)).out).toMatch(
      /roc_auc\s+— \(only one class \("Adelie"\) is present in y_true \(no rows of "Chinstrap", "Gentoo"\), so ROC AUC is undefined\)/,
    );
  });
});
