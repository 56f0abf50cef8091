import { describe, expect, it } from 'vitest';
import { runLabels } from './run-labels';

describe('runLabels', () => {
  it('adds a short id only where names collide', () => {
    expect(
      runLabels([
        { id: 'abcdef123', name: 'p' },
        { id: '987654zz', name: 'p' },
        { id: 'x', name: 'q' },
      ]),
    ).toEqual(['p · abcdef', 'p · 987654', 'q']);
  });
});
