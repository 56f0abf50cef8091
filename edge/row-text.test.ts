import { describe, expect, it } from 'vitest';
import { singleRowText } from './row-text';

describe('singleRowText', () => {
  it('cuts the row out of compact and spaced bodies', () => {
    const row = { a: 1.5, b: 'x]y[', c: [1, [2]], d: { e: '}{' } };
    const compact = JSON.stringify({ instances: [row] });
    expect(JSON.parse(singleRowText(compact)!)).toEqual(row);
    const spaced = JSON.stringify({ instances: [row] }, null, 2);
    expect(JSON.parse(singleRowText(spaced)!)).toEqual(row);
    expect(JSON.parse(singleRowText(`\n { "instances" : [ ${JSON.stringify(row)} ] } \n`)!)).toEqual(row);
    // A key written with escapes is not cut (the text is serialised instead).
    expect(singleRowText(`{"\\u0069nstances":[${JSON.stringify(row)}]}`)).toBeNull();
    // Nor is a row holding a backslash or the key's own text: refused, never cut wrong.
    expect(singleRowText(JSON.stringify({ instances: [{ e: '"q"' }] }))).toBeNull();
    expect(singleRowText(JSON.stringify({ instances: [{ e: 'instances' }] }))).toBeNull();
  });

  it('never returns anything but the row of a one-row body, over bodies built to mislead it', () => {
    const rows = [
      '{"a":1}',
      '{"b":"]"}',
      '{"c":"[\\"]"}',
      '{ "d" : [ 1 , { "e" : "}" } ] }',
      '{"instances":[{"x":1}]}',
      '{}',
    ];
    const keys = ['"instances"', '"\\u0069nstances"', '"instance\\u0073"'];
    const values = [...rows.map((r) => `[${r}]`), '[]', '"["', `[${rows[0]},${rows[1]}]`];
    let cut = 0;
    for (const v1 of values) {
      for (const k2 of ['', ...keys]) {
        for (const v2 of values) {
          for (const space of ['', ' ', '\n ']) {
            const body = `{${space}"instances"${space}:${space}${v1}${k2 ? `,${space}${k2}:${space}${v2}` : ''}${space}}`;
            const { instances } = JSON.parse(body) as { instances: unknown };
            // What the caller promises: the body parsed to one row.
            if (!Array.isArray(instances) || instances.length !== 1) continue;
            const span = singleRowText(body);
            if (span === null) continue;
            cut++;
            expect(JSON.parse(span)).toEqual(instances[0]);
          }
        }
      }
    }
    expect(cut).toBeGreaterThan(0);
  });

  it('refuses a span that a duplicated key made', () => {
    // JSON.parse keeps the last "instances": one row, but the span runs across both arrays.
    const body = '{"instances":[{"a":1}],"instances":[{"b":2}]}';
    expect(JSON.parse(body)).toEqual({ instances: [{ b: 2 }] });
    expect(singleRowText(body)).toBeNull();
    expect(singleRowText('{"instances":[{"a":1},{"c":"]"}],"\\u0069nstances":[{"b":2}]}')).toBeNull();
    expect(singleRowText('{"instances":[],"instances":[{"b":2}]}')).toBeNull();
    // The first "[" inside a string of a duplicated key (found by fuzzing the fast path).
    const tricky = '{"instances":"[","instances":[{"a":1,"[\\",":"],]\\\\"}]}';
    expect(JSON.parse(tricky)).toEqual({ instances: [{ a: 1, '[",': '],]\\' }] });
    expect(singleRowText(tricky)).toBeNull();
  });

  it('refuses text without an array', () => {
    expect(singleRowText('{"instances":{}}')).toBeNull();
    expect(singleRowText('')).toBeNull();
  });
});
