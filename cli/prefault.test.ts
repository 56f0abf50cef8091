import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseDelimited } from '../core/data/parse-delimited';
import { prefaultedMemory } from './prefault';

/** The process's resident memory in bytes (Linux). */
function residentBytes(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

async function until(done: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return done();
}

describe.runIf(availableParallelism() >= 2)('prefaulted column memory (flywheel profile)', () => {
  it('makes a large column resident ahead of the reader, and no further than the rows read allow', async () => {
    const memory = prefaultedMemory();
    try {
      const before = residentBytes();
      // 64 MiB for 8M rows, as an estimate of a file's rows would size it; no row read yet.
      const column = memory.float64(8 << 20);
      expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
      // The thread writes 256k rows (2 MiB) ahead of the rows read, not the estimate: an estimate far
      // over (short lines first) once made peak memory grow with it.
      await until(() => residentBytes() - before > 2 << 20, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(residentBytes() - before).toBeLessThan(16 << 20);
      // Nothing written here: only the thread can make these pages resident, as the rows are read.
      memory.rowsRead!(8 << 20);
      expect(await until(() => residentBytes() - before > 48 << 20, 20_000)).toBe(true);
      expect(column.every((v) => v === 0)).toBe(true);
    } finally {
      memory.close();
    }
  });

  it('keeps every value the reader writes while the thread runs over the same pages', () => {
    const memory = prefaultedMemory();
    try {
      const floats = memory.float64(4 << 20);
      const ints = memory.int32(4 << 20);
      // Values whose low word is zero (1.0, 2^k) are the ones a careless write of zero would lose.
      for (let i = 0; i < floats.length; i++) floats[i] = i % 3 ? 2 ** (i % 40) : i + 0.5;
      for (let i = 0; i < ints.length; i++) ints[i] = i + 1;
      for (let i = 0; i < floats.length; i++)
        if (floats[i] !== (i % 3 ? 2 ** (i % 40) : i + 0.5)) throw new Error(`float ${i}`);
      for (let i = 0; i < ints.length; i++) if (ints[i] !== i + 1) throw new Error(`int ${i}`);
    } finally {
      memory.close();
    }
  });

  it('gives small columns plain memory and starts no thread for them', () => {
    const memory = prefaultedMemory();
    expect(memory.float64(1000).buffer).toBeInstanceOf(ArrayBuffer);
    expect(memory.int32(1000).buffer).toBeInstanceOf(ArrayBuffer);
    memory.close();
  });

  it('parses a large CSV into the same table as plain memory', () => {
    const lines = ['n,x,word'];
    // Lines of one length, so the row count estimated from the first piece holds and no column is copied.
    for (let i = 0; i < 600_000; i++)
      lines.push(`${1e6 + i},${(1e5 + (i % 9999) * 0.37).toFixed(2)},${i % 7 ? 'w' + (10 + (i % 50)) : 'NA '}`);
    const text = lines.join('\n');
    const memory = prefaultedMemory();
    const shared = parseDelimited(text, 'big.csv', { memory });
    memory.close();
    const plain = parseDelimited(text, 'big.csv');
    expect(shared.columns[0].kind === 'number' && shared.columns[0].values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.rowCount).toBe(plain.rowCount);
    shared.columns.forEach((column, c) => {
      const other = plain.columns[c];
      const a = column.kind === 'number' ? column.values : column.codes;
      const b = other.kind === 'number' ? other.values : other.codes;
      expect([column.kind, column.name, a.length]).toEqual([other.kind, other.name, b.length]);
      expect(
        a.every((v, i) => Object.is(v, b[i])),
        `${column.name}: the same values`,
      ).toBe(true);
      if (column.kind === 'string' && other.kind === 'string') expect(column.dictionary).toEqual(other.dictionary);
    });
    expect(shared.columns.map((c) => c.kind)).toEqual(['number', 'number', 'string']);
  });
});
