import { describe, expect, it } from 'vitest';
import { groupModels } from './group-models';

describe('groupModels', () => {
  it('groups by name, newest version first, groups by their newest version', () => {
    const groups = groupModels([
      { id: 'a1', name: 'a', createdAt: 1 },
      { id: 'b1', name: 'b', createdAt: 2 },
      { id: 'a2', name: 'a', createdAt: 3 },
    ]);
    expect(groups.map((g) => [g.name, g.versions.map((v) => v.id)])).toEqual([
      ['a', ['a2', 'a1']],
      ['b', ['b1']],
    ]);
    expect(groupModels([])).toEqual([]);
  });
});
