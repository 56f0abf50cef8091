import { parseArgs } from 'node:util';
import { loadSource } from '../../core/data/sources';
// The modules themselves, not core/features' index: that one brings zod (~40 ms to load) to a command that
// validates no spec.
import { inferSchema } from '../../core/features/infer-schema';
import { profileTable, type ColumnProfile, type TableProfile } from '../../core/features/profile';
import type { FeatureSchema } from '../../core/features/schema';
import { EXIT_OK, single, type Command } from '../command';
import { count, num, sparkline, textTable } from '../format';
import { nodeStreamingSourceIO } from '../node-io';
import { prefaultedMemory } from '../prefault';
import { progressLine } from '../progress';

export const profileCommand: Command = {
  name: 'profile',
  summary: 'schema and statistics of a data source',
  usage: `flywheel profile SRC [--json]

SRC is sample:NAME (penguins, cars, seattle-weather, flights-20k, flights-200k), a CSV/TSV/JSON/Parquet/Arrow
file, or a URL.
Prints each column's inferred type, missing values, statistics and a small histogram; --json prints the
schema and the profile as JSON on stdout.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const src = single(positionals, 'SRC');
    const progress = progressLine(io, `reading ${src}`);
    const memory = prefaultedMemory();
    const loaded = await loadSource(src, nodeStreamingSourceIO, { onProgress: progress.update, memory }).finally(
      memory.close,
    );
    progress.done();
    // Printed, never merged: no quantile sketch (its sort is a quarter of the work).
    const profile = profileTable(loaded.table, { sketch: false });
    const schema = inferSchema(loaded.table, profile);
    if (values.json) {
      io.out(
        JSON.stringify(
          { source: loaded.name, rows: loaded.table.rowCount, schema, profile: publicProfile(profile) },
          null,
          2,
        ),
      );
      return EXIT_OK;
    }
    io.out(`${loaded.name} — ${count(loaded.table.rowCount)} rows, ${loaded.table.columns.length} columns\n`);
    io.out(renderProfile(profile, schema.columns));
    return EXIT_OK;
  },
};

/** The profile without the sketches that exist only to merge (the sample, HyperLogLog registers, the KLL sketch). */
export function publicProfile(profile: TableProfile): unknown {
  return {
    rowCount: profile.rowCount,
    columns: profile.columns.map(({ ...c }) => {
      if (c.type === 'number') {
        const { sample: _sample, hll: _hll, m2: _m2, sketch: _sketch, ...rest } = c;
        return rest;
      }
      const { hll: _hll, ...rest } = c;
      return rest;
    }),
  };
}

export function renderProfile(profile: TableProfile, schema: FeatureSchema[]): string {
  const rows = profile.columns.map((c, i) => {
    const f = schema[i];
    const missing = c.missing ? `${c.missing} (${pct(c.missing, profile.rowCount)})` : '0';
    return [c.name, f.type, missing, ...stats(c)];
  });
  return textTable(
    ['column', 'type', 'missing', 'mean', 'std', 'min', 'median', 'max', 'distinct', 'distribution'],
    rows,
  );
}

function stats(c: ColumnProfile): string[] {
  if (c.type === 'number') {
    return [
      num(c.mean),
      num(c.std),
      num(c.min),
      (c.quantilesExact ? '' : '≈') + num(c.quantiles['0.5']),
      num(c.max),
      `≈${c.distinct}`,
      sparkline(c.histogram.counts),
    ];
  }
  const top = c.top
    .slice(0, 3)
    .map((t) => `${truncate(t.value, 16)} ${pct(t.count, c.count)}`)
    .join(', ');
  return ['', '', '', '', '', String(c.distinct), top + (c.distinct > 3 ? ', …' : '')];
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / Math.max(1, whole)).toFixed(part / whole < 0.1 ? 1 : 0)}%`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
