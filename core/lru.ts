/**
 * A least-recently-used map with a size limit: what a cache keyed by client input (model names, API
 * keys) must be, so that a flood of unique values costs a bounded amount of memory. A Map keeps
 * insertion order, so re-inserting on each hit keeps the oldest entry first, where eviction takes it.
 * Web-standard only: the same cache runs on Node and on Workers.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`an LruMap holds at least one entry, got maxSize ${maxSize}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value for `key`, which becomes the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `key` as the most recently used, evicting the least recently used past `maxSize`. */
  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
