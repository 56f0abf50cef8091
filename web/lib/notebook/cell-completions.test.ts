import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { CELL_API } from './cell-api';
import { cellApiCompletions } from './cell-completions';

function complete(doc: string, explicit = false) {
  const state = EditorState.create({ doc });
  return cellApiCompletions(new CompletionContext(state, doc.length, explicit));
}

describe('cell completions', () => {
  it('offers the cell API with signatures and what each does', () => {
    const r = complete('const p = prof');
    expect(r?.from).toBe(10);
    const profile = r?.options.find((o) => o.label === 'profile');
    expect(profile).toMatchObject({ type: 'function', detail: 'profile(table) → TableProfile' });
    expect(String(profile?.info)).toMatch(/Statistics per column/);
    expect(r?.options.map((o) => o.label)).toEqual(
      expect.arrayContaining(['load', 'display', 'tf', 'flywheel', 'chart']),
    );
    expect(CELL_API.every((e) => e.info.length > 20)).toBe(true);
  });

  it('offers sample sources inside load quotes', () => {
    const r = complete("await load('sample:pen");
    expect(r?.from).toBe("await load('".length);
    expect(r?.options.map((o) => o.label)).toContain('sample:penguins');
  });

  it('stays quiet after a dot and on empty input unless asked', () => {
    expect(complete('tf.ten')).toBeNull();
    expect(complete('')).toBeNull();
    expect(complete('', true)?.options.length).toBe(CELL_API.length);
  });
});
