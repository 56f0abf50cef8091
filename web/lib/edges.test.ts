import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../../core/errors';
import { describeEdgeError, isKeyProblem, normalizeEdgeUrl, withSameOrigin } from './edges';

const edge = { name: 'prod', url: 'https://edge.example.com' };

describe('normalizeEdgeUrl', () => {
  it('drops trailing slashes and keeps a path prefix', () => {
    expect(normalizeEdgeUrl(' https://edge.example.com/ ')).toBe('https://edge.example.com');
    expect(normalizeEdgeUrl('http://localhost:8787/flywheel/')).toBe('http://localhost:8787/flywheel');
  });

  it('refuses what is not an http(s) URL, naming the field', () => {
    expect(() => normalizeEdgeUrl('edge.example.com')).toThrow(/not a URL/);
    try {
      normalizeEdgeUrl('ftp://edge');
      expect.unreachable();
    } catch (e) {
      expect((e as FlywheelError).details[0].path).toBe('url');
    }
  });
});

describe('withSameOrigin', () => {
  it('puts the same origin first, adding it when missing, and drops duplicate URLs', () => {
    const list = withSameOrigin([edge, { name: 'again', url: edge.url }], 'http://localhost:8787');
    expect(list.map((e) => e.url)).toEqual(['http://localhost:8787', edge.url]);
    expect(list[0].name).toBe('This server');
  });

  it('keeps a saved same-origin entry with its key', () => {
    const list = withSameOrigin([edge, { name: 'This server', url: 'http://h', key: 'k' }], 'http://h');
    expect(list[0]).toEqual({ name: 'This server', url: 'http://h', key: 'k' });
    expect(list).toHaveLength(2);
  });
});

describe('describeEdgeError', () => {
  it('asks for a key with the needed scope on 401 and 403', () => {
    const missing = new FlywheelError('unauthorized', 'this needs an API key with the "publish" scope');
    expect(describeEdgeError(missing, edge, 'publish')).toMatch(
      /^prod refused the request: .*Enter a key with the "publish" scope\.$/,
    );
    expect(describeEdgeError(missing, { ...edge, key: 'k' }, 'publish')).toContain('The saved key is wrong or revoked');
    const scope = new FlywheelError('forbidden', 'this needs the "admin" scope; the key has "publish"');
    expect(describeEdgeError(scope, edge, 'admin')).toContain(
      'the key has "publish". Enter a key with the "admin" scope',
    );
    expect(isKeyProblem(scope)).toBe(true);
    expect(isKeyProblem(new Error('x'))).toBe(false);
  });

  it('says an unreachable edge may be down', () => {
    const down = new FlywheelError('bad_source', 'cannot reach the edge', [{ path: edge.url, message: 'unreachable' }]);
    expect(describeEdgeError(down, edge, 'predict')).toMatch(
      /^Cannot reach https:\/\/edge\.example\.com: is the edge running/,
    );
  });
});
