import { describe, expect, it } from 'vitest';
import { markerGivesWay } from './list-marker';

/** Types `keys` one by one at the end of `line` the way the editor applies markerGivesWay. */
function type(line: string, keys: string): string {
  for (const k of keys) {
    const at = markerGivesWay(line, '', k);
    line = (at === null ? line : line.slice(0, at)) + k;
  }
  return line;
}

describe('markerGivesWay', () => {
  it('lets a typed bullet replace the one Enter inserted', () => {
    expect(type('- ', '- Gentoo')).toBe('- Gentoo');
    expect(type('  * ', '* nested')).toBe('  * nested');
    expect(type('- ', 'Gentoo')).toBe('- Gentoo');
  });

  it('lets a typed number replace an ordered marker', () => {
    expect(type('2. ', '2. Dream')).toBe('2. Dream');
    expect(type('2. ', 'Dream')).toBe('2. Dream');
  });

  it('leaves other text alone', () => {
    expect(markerGivesWay('- ', '', '*')).toBeNull();
    expect(markerGivesWay('- a', '', '-')).toBeNull();
    expect(markerGivesWay('- ', 'rest', '-')).toBeNull();
    expect(markerGivesWay('text ', '', '-')).toBeNull();
  });
});
