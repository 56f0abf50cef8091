import { describe, expect, it } from 'vitest';
import { KeyMap } from './commands';

const key = (
  k: string,
  mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('notebook keys', () => {
  it('runs from either mode', () => {
    const m = new KeyMap();
    expect(m.command(key('Enter', { shiftKey: true }), 'edit', 0)).toBe('run-advance');
    expect(m.command(key('Enter', { ctrlKey: true }), 'edit', 0)).toBe('run-in-place');
    expect(m.command(key('Enter', { metaKey: true }), 'command', 0)).toBe('run-in-place');
  });

  it('leaves typing alone in edit mode', () => {
    const m = new KeyMap();
    expect(m.command(key('a'), 'edit', 0)).toBeNull();
    expect(m.command(key('Enter'), 'edit', 0)).toBeNull();
    expect(m.command(key('Escape'), 'edit', 0)).toBe('leave');
  });

  it('maps single keys in command mode', () => {
    const m = new KeyMap();
    expect(['Enter', 'k', 'ArrowDown', 'a', 'b', 'm', 'y', '?'].map((k) => m.command(key(k), 'command', 0))).toEqual([
      'edit',
      'up',
      'down',
      'insert-above',
      'insert-below',
      'to-markdown',
      'to-code',
      'help',
    ]);
    expect(m.command(key('a', { ctrlKey: true }), 'command', 0)).toBeNull();
  });

  it('deletes on dd within a second, not on d…d or d x d', () => {
    const m = new KeyMap();
    expect(m.command(key('d'), 'command', 0)).toBeNull();
    expect(m.command(key('d'), 'command', 500)).toBe('delete');
    expect(m.command(key('d'), 'command', 3000)).toBeNull();
    expect(m.command(key('d'), 'command', 4500)).toBeNull();
    expect(m.command(key('x'), 'command', 4600)).toBeNull();
    expect(m.command(key('d'), 'command', 4700)).toBeNull();
    expect(m.command(key('d'), 'command', 4800)).toBe('delete');
  });
});
