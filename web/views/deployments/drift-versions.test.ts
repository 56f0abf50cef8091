import { describe, expect, it } from 'vitest';
import { driftVersions } from './drift-versions';

const versions = (...n: number[]) => n.map((version) => ({ version }));

describe('driftVersions', () => {
  it('puts the champion first, the canary next, the rest newest first', () => {
    expect(
      driftVersions({
        versions: versions(1, 2, 3, 4),
        aliases: { champion: 2 },
        rollout: { challenger: 3, weight: 0.1 },
      }),
    ).toEqual([
      { version: 2, role: 'champion' },
      { version: 3, role: 'canary' },
      { version: 4, role: null },
      { version: 1, role: null },
    ]);
  });

  it('does not call a version at weight 0 a canary', () => {
    expect(
      driftVersions({ versions: versions(1, 2), aliases: { champion: 1 }, rollout: { challenger: 2, weight: 0 } }).map(
        (v) => v.role,
      ),
    ).toEqual(['champion', null]);
  });
});
