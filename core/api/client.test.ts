import { describe, expect, it } from 'vitest';
import { EdgeClient } from './client';

/** A client whose edge answers `body` with `status` to every request (the fetch port is the client's own injection point). */
function answering(body: unknown, status = 200): EdgeClient {
  return new EdgeClient('http://127.0.0.1:9', {
    fetch: async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  });
}

describe('EdgeClient checks answers against the contract', () => {
  it('returns an answer the response schema allows', async () => {
    const body = { predictions: [{ value: 1.5 }], model_version: 2, request_ids: ['r1'] };
    expect(await answering(body).predict('m', [{ x: 1 }])).toEqual(body);
  });

  it('refuses an answer of the wrong shape, naming each field that is wrong', async () => {
    const wrong = answering({ predictions: [{ value: 'high' }], model_version: '2', request_ids: ['r1'] });
    const error = await wrong.predict('m', [{ x: 1 }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FlywheelError', code: 'internal' });
    expect((error as Error).message).toMatch(
      /POST \/v1\/models\/m\/predict with a body the API contract does not allow/,
    );
    expect((error as { details: { path: string }[] }).details.map((d) => d.path).sort()).toEqual([
      'model_version',
      'predictions.0',
    ]);
  });

  it('refuses fields the contract does not have where it is strict, and keeps extra ones where it is loose', async () => {
    await expect(answering({ status: 'ok', version: '1', debug: true }).health()).rejects.toThrow(
      /\(body\): Unrecognized key/,
    );
    const job = {
      id: 'j',
      model: 'm',
      attempts: 1,
      max_attempts: 3,
      status: 'running',
      payload: {
        model: 'm',
        trigger: { cause: 'drift', reason: 'r' },
        spec: {},
        champion: { version: 1, metrics: {} },
        feedback: '/f',
      },
    };
    expect(await answering(job).claimJob('runner')).toEqual(job);
  });

  it("still reports the edge's own errors as they were sent", async () => {
    const error = await answering({ error: { code: 'not_found', message: 'no model named "m"', details: [] } }, 404)
      .model('m')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_found', message: 'no model named "m"' });
  });
});
