import { describe, expect, it } from 'vitest';
import { LruMap } from './lru';

describe('LruMap', () => {
  it('evicts the least recently used entry past its size', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1).set('b', 2);
    expect(m.get('a')).toBe(1); // a is now newer than b
    m.set('c', 3);
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')).toBe(1);
    expect(m.get('c')).toBe(3);
    expect(m.size).toBe(2);
  });

  it('stays at its size under a flood of unique keys', () => {
    const m = new LruMap<number, number>(100);
    for (let i = 0; i < 10_000; i++) m.set(i, i);
    expect(m.size).toBe(100);
    expect(m.get(9_999)).toBe(9_999);
    expect(m.get(9_899)).toBeUndefined();
  });

  it('keeps undefined values apart from missing keys, and replaces a value without growing', () => {
    const m = new LruMap<string, number | undefined>(2);
    m.set('u', undefined).set('u', undefined);
    expect(m.size).toBe(1);
    m.set('v', 1);
    m.get('u');
    m.set('w', 2);
    expect(m.get('v')).toBeUndefined();
    expect(m.size).toBe(2);
  });

  it('refuses a size below one', () => {
    expect(() => new LruMap(0)).toThrow('at least one entry');
  });
});
