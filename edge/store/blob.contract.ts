/**
 * The blob port's contract: one suite, registered once per store (disk, memory, R2 on workerd), so
 * every caller can rely on exactly these behaviours.
 */
import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../../core/errors';
import type { BlobStore } from './blob';

/** Deterministic bytes (a linear congruential sequence) so a large blob is not all zeros. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const BAD_KEYS = [
  '',
  '/abs/x.zip',
  '../x.zip',
  'bundles/../x.zip',
  'bundles/./x.zip',
  'bundles//x.zip',
  'bundles/x/',
  'a\\b.zip',
  'a\0b',
  'C:/x.zip',
  'x'.repeat(1025),
];

export function blobContract(name: string, make: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    it('get returns what put stored, byte for byte', async () => {
      const store = await make();
      const data = bytes(1 << 20, 7);
      await store.put('bundles/penguins/abc.zip', data);
      expect(await store.has('bundles/penguins/abc.zip')).toBe(true);
      const back = await store.get('bundles/penguins/abc.zip');
      expect(back).toBeInstanceOf(Uint8Array);
      expect(back!.length).toBe(data.length);
      expect(same(back!, data)).toBe(true);
    });

    it('a missing key reads as null / false, and deleting it is fine', async () => {
      const store = await make();
      expect(await store.get('bundles/none/x.zip')).toBeNull();
      expect(await store.has('bundles/none/x.zip')).toBe(false);
      await store.delete('bundles/none/x.zip');
    });

    it('put replaces, delete removes, neighbours are untouched', async () => {
      const store = await make();
      await store.put('bundles/m/a.zip', bytes(10, 1));
      await store.put('bundles/m/b.zip', bytes(20, 2));
      await store.put('bundles/m/a.zip', bytes(5, 3));
      expect(Array.from((await store.get('bundles/m/a.zip'))!)).toEqual(Array.from(bytes(5, 3)));
      await store.delete('bundles/m/a.zip');
      expect(await store.has('bundles/m/a.zip')).toBe(false);
      expect(await store.get('bundles/m/a.zip')).toBeNull();
      expect(Array.from((await store.get('bundles/m/b.zip'))!)).toEqual(Array.from(bytes(20, 2)));
    });

    it('stores an empty blob', async () => {
      const store = await make();
      await store.put('empty.bin', new Uint8Array(0));
      expect(await store.has('empty.bin')).toBe(true);
      expect((await store.get('empty.bin'))!.length).toBe(0);
    });

    it('keeps its own copy: changing the buffers afterwards changes nothing stored', async () => {
      const store = await make();
      const data = bytes(16, 4);
      await store.put('k.bin', data);
      data.fill(0);
      const first = (await store.get('k.bin'))!;
      first.fill(1);
      expect(Array.from((await store.get('k.bin'))!)).toEqual(Array.from(bytes(16, 4)));
    });

    it('concurrent puts to one key leave one whole value', async () => {
      const store = await make();
      const a = bytes(100_000, 5);
      const b = bytes(100_000, 6);
      await Promise.all([store.put('race.bin', a), store.put('race.bin', b)]);
      const got = (await store.get('race.bin'))!;
      expect(same(got, a) || same(got, b)).toBe(true);
    });

    it('refuses unsafe keys with bad_input in every method', async () => {
      const store = await make();
      for (const key of BAD_KEYS) {
        for (const call of [
          () => store.put(key, bytes(1, 0)),
          () => store.get(key),
          () => store.has(key),
          () => store.delete(key),
        ]) {
          const err = await call().then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, `key ${JSON.stringify(key)}`).toBeInstanceOf(FlywheelError);
          expect((err as FlywheelError).code).toBe('bad_input');
        }
      }
    });
  });
}
