import { describe, expect, it } from 'vitest';
import { curlLine, shellQuote } from './curl-line';

describe('curlLine', () => {
  it('quotes the body for a POSIX shell', () => {
    expect(curlLine('http://localhost:8787/v1/models/p/predict', { instances: [{ name: "O'Brien", x: 1 }] })).toBe(
      `curl -X POST http://localhost:8787/v1/models/p/predict -H 'content-type: application/json' -d '{"instances":[{"name":"O'\\''Brien","x":1}]}'`,
    );
  });

  it('reads the key from the environment when the model needs one', () => {
    expect(curlLine('http://h/v1/models/p/predict', {}, true)).toContain(
      `-H "authorization: Bearer $FLYWHEEL_KEY" -d '{}'`,
    );
  });

  it('leaves safe words bare', () => {
    expect(shellQuote('https://edge.example.com/v1/models/a-b_c.1/predict')).toBe(
      'https://edge.example.com/v1/models/a-b_c.1/predict',
    );
    expect(shellQuote('a b')).toBe(`'a b'`);
  });
});
