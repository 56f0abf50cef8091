import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../core/data/table-from-cells';
import { profileTable } from '../core/features';
import { appendOutput, consoleText, streamBundle, toMime } from './mime';

const table = tableFromRecords([
  { species: 'Adelie', mass: 3750 },
  { species: 'Gentoo', mass: 5000 },
]);

describe('toMime', () => {
  it('shows a profile as a profile, not as a table (it has rowCount and columns too)', () => {
    const bundle = toMime(profileTable(table));
    expect(bundle['application/vnd.flywheel.profile+json']?.columns.map((c) => c.name)).toEqual(['species', 'mass']);
    expect(bundle['application/vnd.flywheel.table+json']).toBeUndefined();
    expect(bundle['text/plain']).toBe('Profile: 2 rows × 2 columns');
  });

  it('still shows a table as a table', () => {
    expect(toMime(table)['application/vnd.flywheel.table+json']).toEqual({
      columns: ['species', 'mass'],
      rows: [
        ['Adelie', 3750],
        ['Gentoo', 5000],
      ],
      total: 2,
    });
  });
});

describe('console streams', () => {
  it('prints arguments as the console does, one line per call', () => {
    expect(consoleText(['rows', 344, { a: 1 }])).toBe('rows 344 {\n  "a": 1\n}\n');
    expect(consoleText([new TypeError('bad')])).toBe('TypeError: bad\n');
  });

  it('joins text written to the same stream back to back, as Jupyter does', () => {
    let out = appendOutput([], streamBundle('stdout', 'a\n'));
    out = appendOutput(out, streamBundle('stdout', 'b\n'));
    out = appendOutput(out, streamBundle('stderr', 'careful\n'));
    out = appendOutput(out, { 'text/plain': '42' });
    out = appendOutput(out, streamBundle('stdout', 'c\n'));
    expect(out).toEqual([
      streamBundle('stdout', 'a\nb\n'),
      streamBundle('stderr', 'careful\n'),
      { 'text/plain': '42' },
      streamBundle('stdout', 'c\n'),
    ]);
  });
});
