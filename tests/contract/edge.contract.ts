/**
 * The edge's HTTP contract, written once and run against every runtime (Node + SQLite; workerd +
 * D1/R2). It speaks plain HTTP to a real server on an ephemeral port, through fetch and the
 * typed client, and checks every endpoint of the README's API table, the bad inputs, and that nothing answers 500.
 */
import { gzipSync, zipSync, unzipSync, zlibSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../core/api/client';
import { FlywheelError } from '../../core/errors';
import { fixtures, PENGUIN, PENGUIN_ROW, type Fixtures } from './fixtures';
import { binaryRequest, binaryValue, oipSpec, readBytesTensor, splitBinaryResponse } from './oip-spec';

/**
 * 300 MiB of zeros in a 300 KiB zip. Built before any server starts: compressing it blocks the event
 * loop for seconds, which would otherwise let a kept-alive connection go stale mid-test.
 */
const zipBomb = zipSync({ 'manifest.json': new Uint8Array(300 * 2 ** 20) }, { level: 9 });

export interface EdgeUnderTest {
  url: string;
  adminKey: string;
  /** A key with only the predict scope. */
  predictKey: string;
  /**
   * The runtime's clock cannot time a sub-millisecond request: on Workers `performance.now()` has
   * 1 ms resolution (and in production stands still during CPU work, a Spectre mitigation), so a
   * warm prediction's latency there reads 0 ms.
   */
  coarseClock?: boolean;
  close(): Promise<void>;
}

async function failure(p: Promise<unknown>): Promise<FlywheelError> {
  try {
    await p;
  } catch (e) {
    return e as FlywheelError;
  }
  throw new Error('expected the request to fail');
}

export function edgeContract(runtime: string, start: () => Promise<EdgeUnderTest>): void {
  describe(`edge contract on ${runtime}`, () => {
    let edge: EdgeUnderTest;
    let fx: Fixtures;
    let admin: EdgeClient;
    let anon: EdgeClient;

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${edge.url}${path}`, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      });

    beforeAll(async () => {
      fx = await fixtures();
      edge = await start();
      admin = new EdgeClient(edge.url, { key: edge.adminKey });
      anon = new EdgeClient(edge.url);
      const res = await admin.publish('penguins', fx.penguins);
      expect(res).toMatchObject({ model: 'penguins', version: 1, created: true });
      await admin.publish('cars', fx.cars);
    }, 120_000);

    afterAll(async () => edge?.close());

    let ownModels = 0;
    /**
     * A model of the case's own, published from `bundles` in order (v1, v2, …): a case that changes
     * aliases, rollouts, privacy or feedback does it here, so no case depends on another's writes or order.
     */
    const ownModel = async (prefix: string, ...bundles: Uint8Array[]): Promise<string> => {
      const name = `${prefix}-${++ownModels}`;
      for (const bundle of bundles) await admin.publish(name, bundle);
      return name;
    };

    describe('health and ids', () => {
      it('answers /healthz with a request id', async () => {
        const res = await fetch(`${edge.url}/healthz`);
        expect(res.status).toBe(200);
        expect((await res.json()).status).toBe('ok');
        expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('answers an unknown route with the error envelope and 404', async () => {
        const res = await fetch(`${edge.url}/nope`);
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe('not_found');
      });
    });

    describe('publishing', () => {
      it('needs a publish key: 401 without, 403 with predict scope', async () => {
        expect((await failure(anon.publish('x', fx.penguins))).code).toBe('unauthorized');
        expect((await failure(new EdgeClient(edge.url, { key: edge.predictKey }).publish('x', fx.penguins))).code).toBe(
          'forbidden',
        );
        const res = await fetch(`${edge.url}/v1/models/x/versions`, {
          method: 'POST',
          body: fx.penguins as Uint8Array<ArrayBuffer>,
          headers: { 'content-type': 'application/zip', authorization: 'Bearer fw_nope' },
        });
        expect(res.status).toBe(401);
      });

      it('is idempotent for the same bundle', async () => {
        const again = await admin.publish('penguins', fx.penguins);
        expect(again).toMatchObject({ version: 1, created: false });
      });

      it.each([
        ['not a zip', () => new TextEncoder().encode('hello'), 'is not a zip file'],
        [
          'a tampered bundle',
          (f: Fixtures) => {
            const z = unzipSync(f.penguins);
            z['weights.bin'][10] ^= 1;
            return zipSync(z);
          },
          'weights.bin does not match its sha256',
        ],
        ['a zip bomb', () => zipBomb, 'inflates to more than'],
        [
          'a bundle without its model',
          (f: Fixtures) => {
            const z = unzipSync(f.penguins);
            delete z['model.json'];
            return zipSync(z);
          },
          'has no model.json',
        ],
      ])('refuses %s with 400 and stores nothing', async (_name, make, message) => {
        const e = await failure(admin.publish('refused', make(fx)));
        expect(e.code).toBe('bad_bundle');
        expect(e.message).toContain(message);
        expect((await admin.listModels()).models.map((m) => m.name)).not.toContain('refused');
      });

      it('refuses a wrong content type and a traversal name', async () => {
        const res = await fetch(`${edge.url}/v1/models/x/versions`, {
          method: 'POST',
          body: 'x',
          headers: { 'content-type': 'text/plain', authorization: `Bearer ${edge.adminKey}` },
        });
        expect(res.status).toBe(400);
        for (const name of ['..%2F..%2Fetc', '%2e%2e', 'a%00b', '.hidden']) {
          const r = await fetch(`${edge.url}/v1/models/${name}/versions`, {
            method: 'POST',
            body: fx.penguins as Uint8Array<ArrayBuffer>,
            headers: { 'content-type': 'application/zip', authorization: `Bearer ${edge.adminKey}` },
          });
          expect([400, 404]).toContain(r.status);
        }
      });

      it('lists and describes models and versions, and serves the bundle back byte for byte', async () => {
        const list = await anon.listModels();
        expect(list.models.map((m) => m.name)).toEqual(['cars', 'penguins']);
        const info = await anon.model('penguins');
        expect(info.aliases).toEqual({ champion: 1 });
        expect(info.versions[0]).toMatchObject({ version: 1, task: 'classification' });
        const v = await (await fetch(`${edge.url}/v1/models/penguins/versions/1`)).json();
        expect(v.manifest.signature.output.labels).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
        const zip = new Uint8Array(
          await (await fetch(`${edge.url}/v1/models/penguins/versions/1/bundle`)).arrayBuffer(),
        );
        expect(zip).toEqual(fx.penguins);
        expect((await fetch(`${edge.url}/v1/models/penguins/versions/9`)).status).toBe(404);
        expect((await fetch(`${edge.url}/v1/models/ghost`)).status).toBe(404);
      });
    });

    describe('predictions', () => {
      it('predicts objects and signature-ordered arrays, with labels, probabilities, ids and the version header', async () => {
        const res = await post('/v1/models/penguins/predict', { instances: [PENGUIN, PENGUIN_ROW] });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-model-version')).toBe('1');
        const body = await res.json();
        expect(body.model_version).toBe(1);
        expect(body.request_ids).toHaveLength(2);
        expect(body.predictions[0].label).toBe('Gentoo');
        expect(body.predictions[1]).toEqual(body.predictions[0]);
        const p = body.predictions[0].probabilities;
        expect(Object.keys(p)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
        expect(p.Adelie + p.Chinstrap + p.Gentoo).toBeCloseTo(1, 5);
      });

      it('predicts regression values', async () => {
        const body = await (
          await post('/v1/models/cars/predict', {
            instances: [
              {
                Cylinders: 4,
                Displacement: 97,
                Horsepower: 88,
                Weight_in_lbs: 2130,
                Acceleration: 14.5,
                Year: '1971-01-01',
                Origin: 'Japan',
              },
            ],
          })
        ).json();
        expect(body.predictions[0].value).toBeGreaterThan(20);
        expect(body.predictions[0].value).toBeLessThan(40);
      });

      it('names the row and the feature of bad rows (400)', async () => {
        const res = await post('/v1/models/penguins/predict', {
          instances: [PENGUIN, { ...PENGUIN, 'Body Mass (g)': 'heavy' }, { Island: 'Dream' }],
        });
        expect(res.status).toBe(400);
        const { error } = await res.json();
        expect(error.code).toBe('bad_input');
        expect(error.details).toContainEqual({
          path: 'instances[1].Body Mass (g)',
          message: 'expected a number, got "heavy"',
        });
        expect(error.details).toContainEqual({
          path: 'instances[2].Sex',
          message: 'missing feature (send null for a missing value)',
        });
      });

      it('says that "instances" is missing when a body has neither it nor "inputs" (400)', async () => {
        for (const path of ['/v1/models/penguins/predict', '/v1/models/penguins:predict']) {
          const res = await post(path, { nope: 1 });
          expect(res.status).toBe(400);
          const text = await res.text();
          expect(text).toContain('\\"instances\\" is missing');
          expect(text).toContain('nope');
        }
      });

      it('predicts a row with an unseen category or a value outside the training range, with a warning per field', async () => {
        const res = await post('/v1/models/penguins/predict', {
          instances: [PENGUIN, { ...PENGUIN, Island: 'Atlantis', 'Body Mass (g)': 90000 }],
        });
        expect(res.status).toBe(200);
        const body = await res.json();
        expect(body.predictions).toHaveLength(2);
        expect(body.warnings).toEqual([
          {
            row: 1,
            field: 'Island',
            kind: 'unseen_category',
            message: '"Atlantis" is a category training never saw: predicted as unknown',
          },
          {
            row: 1,
            field: 'Body Mass (g)',
            kind: 'out_of_range',
            message: expect.stringMatching(/^90000 is outside the training range \[\d+, \d+\]$/),
          },
        ]);
        const plain = await (await post('/v1/models/penguins/predict', { instances: [PENGUIN] })).json();
        expect(plain).not.toHaveProperty('warnings');
      });

      it('refuses a row whose inputs overflow the model into a NaN output (400 naming the row and field), not nulls with a label', async () => {
        const res = await post('/v1/models/penguins/predict', {
          instances: [PENGUIN, { ...PENGUIN, 'Body Mass (g)': 1e308 }],
        });
        expect(res.status).toBe(400);
        const { error } = await res.json();
        expect(error.code).toBe('bad_input');
        expect(error.message).toMatch(
          /^instances\[1\]: the model's output for this row is not a number .*: Body Mass \(g\): 1e\+308 is outside the training range \[\d+, \d+\]$/,
        );
        expect(error.details).toEqual([{ path: 'instances[1]', message: "the model's output is not a number" }]);
        // The same row through TF Serving (its error is a string) and V2 (the spec's error response).
        const huge = { ...PENGUIN, 'Body Mass (g)': 1e308 };
        const tf = await post('/v1/models/penguins:predict', { instances: [huge] });
        expect(tf.status).toBe(400);
        expect((await tf.json()).error).toMatch(
          /^instances\[0\]: the model's output for this row is not a number .*Body Mass/,
        );
        const v2 = await post('/v2/models/penguins/infer', {
          inputs: Object.entries(huge).map(([name, v]) => ({
            name,
            shape: [1],
            datatype: typeof v === 'number' ? 'FP64' : 'BYTES',
            data: [v],
          })),
        });
        expect(v2.status).toBe(400);
        expect(oipSpec.errorResponse.parse(await v2.json()).error).toMatch(
          /\[0\]: the model's output for this row is not a number/,
        );
      });

      it.each([
        ['malformed JSON', '{"instances": [', {}, 400],
        ['a wrong content type', JSON.stringify({ instances: [PENGUIN] }), { 'content-type': 'text/plain' }, 400],
        ['an empty instance list', JSON.stringify({ instances: [] }), {}, 400],
        ['an unknown body field', JSON.stringify({ rows: [PENGUIN] }), {}, 400],
        [
          'a body over the limit',
          JSON.stringify({ instances: Array.from({ length: 40_000 }, () => PENGUIN) }),
          {},
          413,
        ],
      ])('refuses %s', async (_name, body, headers, status) => {
        const res = await post('/v1/models/penguins/predict', body, headers);
        expect(res.status).toBe(status);
        expect((await res.json()).error.message).toBeTruthy();
      });

      it('404s an unknown model or version', async () => {
        expect((await post('/v1/models/ghost/predict', { instances: [PENGUIN] })).status).toBe(404);
        expect((await post('/v1/models/penguins/versions/7/predict', { instances: [PENGUIN] })).status).toBe(404);
      });

      it('speaks TF Serving / KServe V1 (:predict) with instances and columnar inputs', async () => {
        const a = await (await post('/v1/models/penguins:predict', { instances: [PENGUIN] })).json();
        expect(a.predictions[0].label).toBe('Gentoo');
        const cols = Object.fromEntries(Object.entries(PENGUIN).map(([k, v]) => [k, [v, v]]));
        const b = await (await post('/v1/models/penguins:predict', { inputs: cols })).json();
        expect(b.outputs.label).toEqual(['Gentoo', 'Gentoo']);
        expect(b.outputs.probabilities[0]).toEqual(Object.values(a.predictions[0].probabilities));
        const cars = await (
          await post('/v1/models/cars:predict', { instances: [[4, 97, 88, 2130, 14.5, '1971-01-01', 'Japan']] })
        ).json();
        expect(typeof cars.predictions[0]).toBe('number');
        const carsColumns = await (
          await post('/v1/models/cars:predict', { inputs: [[4, 97, 88, 2130, 14.5, '1971-01-01', 'Japan']] })
        ).json();
        expect(carsColumns.outputs).toEqual(cars.predictions);
      });

      it('reads TF Serving\'s {"b64": …} strings in rows and columns, and names a bad one', async () => {
        // api_rest.md, "Encoding binary values": a string may come base64-encoded as {"b64": "…"}.
        const b64 = (text: string) => ({ b64: btoa(text) });
        const plain = await (await post('/v1/models/penguins:predict', { instances: [PENGUIN] })).json();
        const rows = await (
          await post('/v1/models/penguins:predict', {
            instances: [{ ...PENGUIN, Island: b64(PENGUIN.Island), Sex: b64(PENGUIN.Sex) }],
          })
        ).json();
        expect(rows.predictions).toEqual(plain.predictions);
        const cols = Object.fromEntries(
          Object.entries(PENGUIN).map(([k, v]) => [k, [typeof v === 'string' ? b64(v) : v]]),
        );
        expect((await (await post('/v1/models/penguins:predict', { inputs: cols })).json()).outputs.label).toEqual([
          plain.predictions[0].label,
        ]);
        const bad = await post('/v1/models/penguins:predict', { instances: [{ ...PENGUIN, Island: { b64: '%%%' } }] });
        expect(bad.status).toBe(400);
        expect((await bad.json()).error).toContain('instances[0].Island: {"b64": …} must hold base64 of UTF-8 text');
        // Columns given as scalars: the message says what inputs may be.
        const scalars = await post('/v1/models/penguins:predict', { inputs: PENGUIN });
        expect(scalars.status).toBe(400);
        expect((await scalars.json()).error).toContain('inputs: must be a list of rows, or an object of columns');
      });

      it('speaks TF Serving on versions and labels, with status, metadata and {"error": …} errors', async () => {
        const status = await (await fetch(`${edge.url}/v1/models/penguins`)).json();
        expect(status.model_version_status[0]).toEqual({
          version: '1',
          state: 'AVAILABLE',
          status: { error_code: 'OK', error_message: '' },
        });
        expect(status.aliases.champion).toBe(1);
        const meta = await (await fetch(`${edge.url}/v1/models/penguins/labels/champion/metadata`)).json();
        expect(meta.model_spec).toEqual({ name: 'penguins', signature_name: '', version: '1' });
        expect(Object.keys(meta.metadata.signature_def.signature_def.serving_default.inputs)).toEqual(
          Object.keys(PENGUIN),
        );
        for (const p of ['/v1/models/penguins/versions/1:predict', '/v1/models/penguins/labels/champion:predict']) {
          const res = await post(p, { signature_name: 'serving_default', instances: [PENGUIN] });
          expect(res.status, p).toBe(200);
          expect((await res.json()).predictions[0].label, p).toBe('Gentoo');
        }
        const refusals: [string, string, Record<string, string>, number, RegExp][] = [
          [
            '/v1/models/penguins:predict',
            JSON.stringify({ signature_name: 'other', instances: [PENGUIN] }),
            {},
            400,
            /signature_name "other"/,
          ],
          [
            '/v1/models/penguins/labels/nope:predict',
            JSON.stringify({ instances: [PENGUIN] }),
            {},
            404,
            /no label "nope"/,
          ],
          [
            '/v1/models/ghost:predict',
            '{"instances": [',
            { 'content-type': 'text/plain' },
            404,
            /no model named "ghost"/,
          ],
          [
            '/v1/models/ghost/versions/1:predict',
            JSON.stringify({ instances: Array.from({ length: 40_000 }, () => PENGUIN) }),
            {},
            404,
            /no model named "ghost"/,
          ],
          ['/v1/models/penguins:predict', '{"instances": [', {}, 400, /not valid JSON/],
          [
            '/v1/models/penguins:predict',
            JSON.stringify({ signature_name: 7, instances: [PENGUIN] }),
            {},
            400,
            /signature_name/,
          ],
          [
            '/v1/models/penguins/versions/abc:predict',
            JSON.stringify({ instances: [PENGUIN] }),
            {},
            400,
            /"abc" is not a version number/,
          ],
          [
            '/v1/models/penguins/labels/champion:predict',
            JSON.stringify({ instances: [PENGUIN] }),
            { 'content-type': 'text/plain' },
            400,
            /content-type/,
          ],
          [
            '/v1/models/penguins:predict',
            JSON.stringify({ inputs: { Island: ['Biscoe'], Sex: [] } }),
            {},
            400,
            /inputs.Sex has 0 values/,
          ],
          [
            '/v1/models/penguins:predict',
            JSON.stringify({ instances: [PENGUIN] }),
            { authorization: 'Bearer fw_nope' },
            401,
            /unknown or revoked/,
          ],
          ['/v1/models/penguins:regress', JSON.stringify({ examples: [PENGUIN] }), {}, 404, /no route for POST/],
        ];
        for (const [p, body, headers, code, message] of refusals) {
          const res = await post(p, body, headers);
          expect(res.status, p).toBe(code);
          const json = await res.json();
          expect(Object.keys(json), p).toEqual(['error']);
          expect(json.error, p).toMatch(message);
        }
        // The native API keeps its envelope on the paths it shares with TF Serving.
        expect((await (await fetch(`${edge.url}/v1/models/ghost`)).json()).error.code).toBe('not_found');
      });

      it('counts every rejected request in /metrics under its status', async () => {
        const count = async (code: number) =>
          Number(
            new RegExp(
              `^flywheel_rejected_requests_total\\{status_class="${String(code)[0]}xx",code="${code}"\\} (\\d+)$`,
              'm',
            ).exec(await (await fetch(`${edge.url}/metrics`)).text())?.[1] ?? 0,
          );
        const before = [await count(400), await count(404)];
        expect((await post('/v1/models/penguins/predict', '{"instances": [')).status).toBe(400);
        expect((await post('/v1/models/penguins:predict', '{}', { 'content-type': 'text/plain' })).status).toBe(400);
        expect((await post('/v1/models/ghost/invocations', JSON.stringify({ instances: [PENGUIN] }))).status).toBe(404);
        expect((await fetch(`${edge.url}/v1/models/penguins/nope`)).status).toBe(404);
        expect([await count(400), await count(404)]).toEqual([before[0] + 2, before[1] + 2]);
      });

      it('speaks the Open Inference Protocol (KServe V2)', async () => {
        expect(await (await fetch(`${edge.url}/v2/health/live`)).json()).toEqual({ live: true });
        expect((await fetch(`${edge.url}/v2/health/ready`)).status).toBe(200);
        const meta = await (await fetch(`${edge.url}/v2/models/penguins`)).json();
        expect(meta.inputs.map((i: { name: string }) => i.name)).toEqual(Object.keys(PENGUIN));
        const inputs = Object.entries(PENGUIN).map(([name, v]) => ({
          name,
          shape: [1],
          datatype: typeof v === 'number' ? 'FP64' : 'BYTES',
          data: [v],
        }));
        const res = await (await post('/v2/models/penguins/infer', { id: 'req-1', inputs })).json();
        expect(res).toMatchObject({ model_name: 'penguins', model_version: '1', id: 'req-1' });
        expect(res.outputs[0]).toEqual({ name: 'label', datatype: 'BYTES', shape: [1], data: ['Gentoo'] });
        expect(res.outputs[1].shape).toEqual([1, 3]);
        const matrix = await (
          await post('/v2/models/penguins/versions/1/infer', {
            inputs: [{ name: 'input', shape: [1, 6], datatype: 'BYTES', data: PENGUIN_ROW }],
          })
        ).json();
        expect(matrix.outputs[0].data).toEqual(['Gentoo']);
        const bad = await post('/v2/models/penguins/infer', {
          inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1] }],
        });
        expect(bad.status).toBe(400);
        expect(oipSpec.errorResponse.parse(await bad.json()).error).toContain('x has 1 value(s) for shape [2]');
      });

      it("answers V2 readiness and metadata only for versions that exist, in the spec's shapes", async () => {
        const get = async (p: string) => {
          const res = await fetch(`${edge.url}${p}`);
          return { status: res.status, body: await res.json() };
        };
        const server = await get('/v2/');
        expect(server.status).toBe(200);
        expect(oipSpec.metadataServerResponse.parse(server.body).extensions).toContain('binary_tensor_data');
        expect((await get('/v2')).body).toEqual(server.body);
        expect(await get('/v2/models/penguins/versions/1/ready')).toEqual({
          status: 200,
          body: oipSpec.readyModelResponse.parse({ name: 'penguins', ready: true }),
        });
        expect(await get('/v2/models/penguins/ready')).toEqual({
          status: 200,
          body: { name: 'penguins', ready: true },
        });
        const meta = await get('/v2/models/penguins/versions/1');
        expect(oipSpec.metadataModelResponse.parse(meta.body).outputs?.map((o) => o.name)).toEqual([
          'label',
          'probabilities',
        ]);
        for (const [p, says] of [
          ['/v2/models/penguins/versions/9/ready', 'no version 9'],
          ['/v2/models/penguins/versions/latest/ready', 'no version "latest"'],
          ['/v2/models/ghost/ready', 'ghost'],
          ['/v2/models/ghost/versions/1/ready', 'ghost'],
          ['/v2/models/penguins/versions/9', 'no version 9'],
          ['/v2/models/penguins/nope', 'no route for GET /v2/models/penguins/nope'],
        ]) {
          const res = await get(p);
          expect(res.status, p).toBe(404);
          expect(oipSpec.errorResponse.parse(res.body).error, p).toContain(says);
        }
        const unknownVersion = await post('/v2/models/penguins/versions/9/infer', {
          inputs: [{ name: 'Island', shape: [1], datatype: 'BYTES', data: ['Biscoe'] }],
        });
        expect(unknownVersion.status).toBe(404);
        // A malformed key is refused by V2's own app, in V2's shape.
        const badKey = await fetch(`${edge.url}/v2/models/penguins`, { headers: { authorization: 'Bearer' } });
        expect(badKey.status).toBe(401);
        expect(oipSpec.errorResponse.parse(await badKey.json()).error).toContain('Bearer');
        // Another scheme's credentials (a proxy's Basic auth passed through) are not Flywheel's: anonymous.
        const basic = await fetch(`${edge.url}/v2/models/penguins`, {
          headers: { authorization: 'Basic Zm9vOmJhcg==' },
        });
        expect(basic.status).toBe(200);
      });

      it("reads an older KServe client's null id and parameters as absent", async () => {
        // kserve's InferRequest.to_rest() sends {"id": None, ...} when no id was set; KServe's server accepts it.
        const res = await post('/v2/models/penguins/infer', {
          id: null,
          parameters: null,
          inputs: [{ name: 'input', shape: [1, 6], datatype: 'BYTES', data: PENGUIN_ROW, parameters: null }],
          outputs: [{ name: 'label', parameters: null }],
        });
        expect(res.status).toBe(200);
        const json = (await res.json()) as Record<string, unknown>;
        expect(oipSpec.inferenceResponse.parse(json).outputs.map((o) => o.name)).toEqual(['label']);
        expect('id' in json).toBe(false);
      });

      it('takes V2 tensor data nested as its shape, refuses unknown outputs and numbers for categories, and keeps parameters scalar', async () => {
        const nested = await post('/v2/models/penguins/infer', {
          inputs: [{ name: 'input', shape: [2, 6], datatype: 'BYTES', data: [PENGUIN_ROW, PENGUIN_ROW] }],
          outputs: [{ name: 'label' }],
        });
        expect(nested.status).toBe(200);
        const answer = oipSpec.inferenceResponse.parse(await nested.json());
        expect(answer.outputs).toEqual([{ name: 'label', datatype: 'BYTES', shape: [2], data: ['Gentoo', 'Gentoo'] }]);
        expect(answer.parameters).toEqual({ request_id: nested.headers.get('x-request-id') });
        const outputs = await post('/v2/models/penguins/infer', {
          inputs: [{ name: 'input', shape: [1, 6], datatype: 'BYTES', data: PENGUIN_ROW }],
          outputs: [{ name: 'output0' }, { name: 'label' }],
        });
        expect(outputs.status).toBe(400);
        expect(oipSpec.errorResponse.parse(await outputs.json()).error).toBe(
          'the model has no output(s) "output0"; its outputs are "label", "probabilities"',
        );
        const numeric = Object.entries({ ...PENGUIN, Island: 3 }).map(([name, v]) => ({
          name,
          shape: [1],
          datatype: typeof v === 'number' ? 'FP64' : 'BYTES',
          data: [v],
        }));
        const category = await post('/v2/models/penguins/infer', { inputs: numeric });
        expect(category.status).toBe(400);
        expect((await category.json()).error).toMatch(
          /rows\[0\]\.Island: expected a category such as "\w+", got the number 3/,
        );
      });

      it('reads bodies sent compressed (Content-Encoding gzip or deflate) within the same limits, as Triton does', async () => {
        const send = (path: string, body: Uint8Array, headers: Record<string, string>) =>
          fetch(`${edge.url}${path}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers });
        const json = new TextEncoder().encode(JSON.stringify({ instances: [PENGUIN] }));
        for (const [coding, body] of [
          ['gzip', gzipSync(json)],
          ['deflate', zlibSync(json)],
        ] as const) {
          for (const path of ['/v1/models/penguins/predict', '/v1/models/penguins:predict']) {
            const res = await send(path, body, { 'content-type': 'application/json', 'content-encoding': coding });
            expect(res.status, `${coding} ${path}`).toBe(200);
            expect((await res.json()).predictions[0].label).toBe('Gentoo');
          }
        }
        // tritonclient's request_compression_algorithm="gzip": the binary extension's body, compressed,
        // with Inference-Header-Content-Length counting the uncompressed JSON.
        const tensors = Object.entries(PENGUIN).map(([name, v]) => ({ name, ...binaryValue(v) }));
        const req = binaryRequest(
          {
            inputs: tensors.map((t) => ({
              name: t.name,
              shape: [1],
              datatype: t.datatype,
              parameters: { binary_data_size: t.bytes.byteLength },
            })),
            outputs: [{ name: 'label', parameters: { binary_data: false } }],
          },
          tensors.map((t) => t.bytes),
        );
        const triton = await send('/v2/models/penguins/infer', gzipSync(req.body), {
          'content-encoding': 'gzip',
          'inference-header-content-length': String(req.headerLength),
        });
        expect(triton.status).toBe(200);
        expect(oipSpec.inferenceResponse.parse(await triton.json()).outputs[0]).toMatchObject({ data: ['Gentoo'] });
        // What a body inflates to is held to the limit, however small it is compressed.
        const bomb = await send('/v1/models/penguins/predict', gzipSync(new Uint8Array(64 * 2 ** 20)), {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        });
        expect(bomb.status).toBe(413);
        expect((await bomb.json()).error.message).toContain('inflates (Content-Encoding: gzip) to more than');
        const br = await send('/v1/models/penguins/predict', json, {
          'content-type': 'application/json',
          'content-encoding': 'br',
        });
        expect(br.status).toBe(400);
        expect((await br.json()).error.message).toContain('Content-Encoding "br" is not read here');
        const broken = await send('/v1/models/penguins/predict', json, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        });
        expect(broken.status).toBe(400);
        expect((await broken.json()).error.message).toContain('the body is not valid gzip data');
      });

      it("speaks Triton's binary tensor data extension, inputs and outputs", async () => {
        const tensors = Object.entries(PENGUIN).map(([name, v]) => ({ name, ...binaryValue(v) }));
        // As tritonclient sends it with no outputs named: binary_data_output, and no content type.
        const header = {
          inputs: tensors.map((t) => ({
            name: t.name,
            shape: [1],
            datatype: t.datatype,
            parameters: { binary_data_size: t.bytes.byteLength },
          })),
          parameters: { binary_data_output: true },
        };
        const req = binaryRequest(
          header,
          tensors.map((t) => t.bytes),
        );
        const res = await fetch(`${edge.url}/v2/models/penguins/versions/1/infer`, {
          method: 'POST',
          body: req.body as Uint8Array<ArrayBuffer>,
          headers: { 'inference-header-content-length': String(req.headerLength) },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/octet-stream');
        const { json, tensors: out } = splitBinaryResponse(
          new Uint8Array(await res.arrayBuffer()),
          Number(res.headers.get('inference-header-content-length')),
        );
        expect(json.outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([
          ['label', 'BYTES', [1]],
          ['probabilities', 'FP32', [1, 3]],
        ]);
        expect(readBytesTensor(out.get('label')!)).toEqual(['Gentoo']);
        const proba = new Float32Array(out.get('probabilities')!.slice().buffer);
        expect(proba.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        // A regressor's value as a binary FP32 output, the same number as in JSON.
        const car = {
          inputs: [
            { name: 'input', shape: [1, 7], datatype: 'BYTES', data: [[4, 97, 88, 2130, 14.5, '1971-01-01', 'Japan']] },
          ],
        };
        const asJson = oipSpec.inferenceResponse.parse(await (await post('/v2/models/cars/infer', car)).json());
        const asBinary = await post('/v2/models/cars/infer', {
          ...car,
          outputs: [{ name: 'value', parameters: { binary_data: true } }],
        });
        const value = splitBinaryResponse(
          new Uint8Array(await asBinary.arrayBuffer()),
          Number(asBinary.headers.get('inference-header-content-length')),
        );
        expect(value.json.outputs).toEqual([
          { name: 'value', datatype: 'FP32', shape: [1], parameters: { binary_data_size: 4 } },
        ]);
        const jsonValue = (asJson.outputs[0] as { data: number[] }).data[0];
        expect(new DataView(value.tensors.get('value')!.slice().buffer).getFloat32(0, true)).toBe(
          Math.fround(jsonValue),
        );
        // The header lies: the JSON would run past the body.
        const lying = await fetch(`${edge.url}/v2/models/penguins/infer`, {
          method: 'POST',
          body: req.body as Uint8Array<ArrayBuffer>,
          headers: { 'inference-header-content-length': String(req.body.byteLength + 10) },
        });
        expect(lying.status).toBe(400);
        expect((await lying.json()).error).toContain('Inference-Header-Content-Length says the JSON header is');
        // Cut short: the last tensor's bytes are missing.
        const short = await fetch(`${edge.url}/v2/models/penguins/infer`, {
          method: 'POST',
          body: req.body.slice(0, req.body.byteLength - 2) as Uint8Array<ArrayBuffer>,
          headers: { 'inference-header-content-length': String(req.headerLength) },
        });
        expect(short.status).toBe(400);
        expect((await short.json()).error).toContain('Sex declares');
        // Past the size limit, whatever the header says.
        const huge = new Uint8Array(4 * 2 ** 20 + 1);
        huge.set(req.body);
        const big = await fetch(`${edge.url}/v2/models/penguins/infer`, {
          method: 'POST',
          body: huge,
          headers: { 'inference-header-content-length': String(req.headerLength) },
        });
        expect(big.status).toBe(413);
        expect(typeof (await big.json()).error).toBe('string');
      });

      it("speaks MLflow's /invocations in its four body forms", async () => {
        const columns = Object.keys(PENGUIN);
        for (const body of [
          { dataframe_split: { columns, data: [PENGUIN_ROW] } },
          { dataframe_records: [PENGUIN] },
          { instances: [PENGUIN] },
          { inputs: [PENGUIN] },
        ]) {
          const res = await (await post('/v1/models/penguins/invocations', body)).json();
          expect(res).toEqual({ predictions: ['Gentoo'] });
        }
      });

      it("reads MLflow's CSV and Python's NaN, and answers errors in MLflow's shape", async () => {
        const columns = Object.keys(PENGUIN);
        const csv = `${columns.map((c) => (c.includes(' ') ? `"${c}"` : c)).join(',')}\n${PENGUIN_ROW.join(',')}\n`;
        expect(
          await (await post('/v1/models/penguins/invocations', csv, { 'content-type': 'text/csv' })).json(),
        ).toEqual({ predictions: ['Gentoo'] });
        const nan = JSON.stringify({ dataframe_records: [{ ...PENGUIN, Sex: null }], params: {} }).replace(
          '"Sex":null',
          '"Sex":NaN',
        );
        const withNaN = await post('/v1/models/penguins/invocations', nan);
        expect(withNaN.status).toBe(200);
        const bad = await post('/v1/models/penguins/invocations', { rows: [PENGUIN] });
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({
          error_code: 'BAD_REQUEST',
          message: expect.stringContaining('dataframe_split'),
        });
      });

      it('serves its OpenAPI document', async () => {
        const res = await fetch(`${edge.url}/openapi.json`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({
          openapi: '3.1.0',
          paths: { '/v1/models/{name}/invocations': { post: {} } },
        });
      });
    });

    describe('versions, aliases and the canary', () => {
      it('serves a promoted version on the next request, and rolls back, with reasons in the audit log', async () => {
        const name = await ownModel('promote', fx.penguins);
        const v2 = await admin.publish(name, fx.penguins2);
        expect(v2).toMatchObject({ version: 2, created: true });
        expect((await admin.predict(name, [PENGUIN])).model_version).toBe(1);
        expect((await failure(anon.setAlias(name, 'champion', 2))).code).toBe('unauthorized');
        await admin.setAlias(name, 'champion', 2, 'better offline');
        expect((await admin.predict(name, [PENGUIN])).model_version).toBe(2);
        await admin.setAlias(name, 'champion', 1, 'roll back');
        expect((await admin.predict(name, [PENGUIN])).model_version).toBe(1);
        expect((await failure(admin.setAlias(name, 'champion', 9))).code).toBe('not_found');
        const { events } = await anon.events(name);
        const text = events.map((e) => `${e.type}: ${e.reason}`);
        expect(text).toContain('alias: champion → v2: better offline');
        expect(text).toContain('alias: champion → v1: roll back');
        expect(events.some((e) => e.type === 'publish')).toBe(true);
      });

      it('splits traffic by weight, sticky per routing key, with the rollout in the audit log', async () => {
        const name = await ownModel('canary', fx.penguins, fx.penguins2);
        await admin.setRollout(name, 2, 0.5);
        const seen = new Set<number>();
        for (let i = 0; i < 40; i++) {
          const key = `user-${i}`;
          const first = (await anon.predict(name, [PENGUIN], { routingKey: key })).model_version;
          const again = (await anon.predict(name, [PENGUIN], { routingKey: key })).model_version;
          expect(again).toBe(first);
          seen.add(first);
        }
        expect([...seen].sort()).toEqual([1, 2]);
        await admin.setRollout(name, 2, 0);
        expect((await anon.predict(name, [PENGUIN], { routingKey: 'user-1' })).model_version).toBe(1);
        const info = await anon.model(name);
        expect(info.rollout).toBeNull();
        expect((await anon.events(name)).events.some((e) => e.type === 'rollout')).toBe(true);
      });

      /** Makes a model private, as an admin does. */
      const makePrivate = async (name: string) => {
        const res = await fetch(`${edge.url}/v1/models/${name}`, {
          method: 'PATCH',
          body: JSON.stringify({ private: true }),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${edge.adminKey}` },
        });
        expect(res.status).toBe(200);
      };
      const CAR = [4, 97, 88, 2130, 14.5, '1971-01-01', 'Japan'];

      it('keeps private models behind a predict key', async () => {
        const name = await ownModel('private', fx.cars);
        await makePrivate(name);
        expect((await failure(anon.predict(name, [CAR]))).code).toBe('unauthorized');
        expect((await admin.predict(name, [CAR])).predictions).toHaveLength(1);
      });

      it('lists private models, and their metrics, only to a predict key', async () => {
        const name = await ownModel('hidden', fx.cars);
        await makePrivate(name);
        await admin.predict(name, [CAR]);
        await anon.predict('penguins', [PENGUIN]);
        const names = async (client: EdgeClient) => (await client.listModels()).models.map((m) => m.name);
        expect(await names(anon)).not.toContain(name);
        expect(await names(anon)).toContain('penguins');
        expect(await names(new EdgeClient(edge.url, { key: edge.predictKey }))).toContain(name);
        const metrics = async (headers: Record<string, string>) =>
          (await fetch(`${edge.url}/metrics`, { headers })).text();
        expect(await metrics({})).not.toContain(`model="${name}"`);
        expect(await metrics({})).toContain('model="penguins"');
        expect(await metrics({ authorization: `Bearer ${edge.predictKey}` })).toContain(`model="${name}"`);
      });
    });

    describe('API keys over HTTP (admin)', () => {
      const keysRequest = (method: string, path: string, key: string | null, body?: unknown) =>
        fetch(`${edge.url}${path}`, {
          method,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
        });

      it('creates a key whose secret is shown once, lists keys without secrets, revokes at once', async () => {
        const created = await admin.createKey('predict', 'web shop');
        expect(created).toMatchObject({ scope: 'predict', id: expect.stringMatching(/^key_/) });
        const shop = new EdgeClient(edge.url, { key: created.key });
        expect((await shop.predict('penguins', [PENGUIN])).predictions).toHaveLength(1);
        expect((await failure(shop.publish('penguins', fx.penguins))).code).toBe('forbidden');
        const listed = (await admin.listKeys()).keys.find((k) => k.id === created.id);
        expect(listed).toEqual({
          id: created.id,
          scope: 'predict',
          name: 'web shop',
          created_at: expect.any(String),
          revoked_at: null,
        });
        expect(JSON.stringify(await admin.listKeys())).not.toContain(created.key);
        expect(await admin.revokeKey(created.id)).toEqual({ id: created.id, revoked: true });
        expect((await failure(shop.predict('penguins', [PENGUIN]))).code).toBe('unauthorized');
        expect((await admin.listKeys()).keys.find((k) => k.id === created.id)!.revoked_at).not.toBeNull();
        expect((await failure(admin.revokeKey(created.id))).code).toBe('not_found');
      });

      it('is for admin keys only', async () => {
        expect((await keysRequest('GET', '/v1/keys', null)).status).toBe(401);
        expect((await keysRequest('GET', '/v1/keys', edge.predictKey)).status).toBe(403);
        const res = await keysRequest('POST', '/v1/keys', edge.predictKey, { scope: 'admin' });
        expect(res.status).toBe(403);
        expect((await res.json()).error.message).toContain('needs the "admin" scope');
      });

      it('refuses a bad scope or name, naming the field', async () => {
        for (const [body, field] of [
          [{ scope: 'root' }, 'scope'],
          [{ scope: 'predict', name: 'bell\u0007' }, 'name'],
          [{ scope: 'predict', extra: 1 }, '(body)'],
        ] as const) {
          const res = await keysRequest('POST', '/v1/keys', edge.adminKey, body);
          expect(res.status).toBe(400);
          const error = (await res.json()).error;
          expect(error.code).toBe('bad_input');
          expect(JSON.stringify(error.details)).toContain(field === '(body)' ? 'extra' : field);
        }
      });

      it('keeps the last admin key: refused with 409, revocable once there is another', async () => {
        const admins = (await admin.listKeys()).keys.filter((k) => k.scope === 'admin' && !k.revoked_at);
        expect(admins).toHaveLength(1);
        const refused = await keysRequest('DELETE', `/v1/keys/${admins[0].id}`, edge.adminKey);
        expect(refused.status).toBe(409);
        expect((await refused.json()).error.message).toMatch(/last admin key|ADMIN_KEY secret/);
        const second = await admin.createKey('admin', 'second admin');
        expect(await new EdgeClient(edge.url, { key: second.key }).revokeKey(second.id)).toEqual({
          id: second.id,
          revoked: true,
        });
        expect((await admin.listKeys()).keys.filter((k) => k.scope === 'admin' && !k.revoked_at)).toHaveLength(1);
      });
    });

    describe('feedback, telemetry, drift, events, metrics', () => {
      it('joins feedback to predictions and reports online accuracy', async () => {
        const name = await ownModel('labelled', fx.penguins);
        const labeller = new EdgeClient(edge.url, { key: edge.predictKey });
        const out = await anon.predict(name, [PENGUIN, PENGUIN, PENGUIN]);
        const fb = await labeller.feedback(name, [
          { request_id: out.request_ids[0], label: 'Gentoo' },
          { request_id: out.request_ids[1], label: 'Adelie' },
          { request_id: out.request_ids[1], label: 'Adelie' },
          { request_id: 'no-such-id', label: 'Gentoo' },
        ]);
        expect(fb).toEqual({ accepted: 2, unmatched: ['no-such-id'], duplicates: [] });
        const again = await labeller.feedback(name, [{ request_id: out.request_ids[0], label: 'Gentoo' }]);
        expect(again).toEqual({ accepted: 0, unmatched: [], duplicates: [out.request_ids[0]] });
        const t = await anon.telemetry(name, '1h');
        expect(t.online.find((o) => o.version === 1)).toMatchObject({ feedback: 2, accuracy: 0.5 });
      });

      it('refuses a label the model could not predict, naming it, and records nothing of that request', async () => {
        const name = await ownModel('mislabelled', fx.penguins);
        const labeller = new EdgeClient(edge.url, { key: edge.predictKey });
        const out = await anon.predict(name, [PENGUIN, PENGUIN]);
        const e = await failure(
          labeller.feedback(name, [
            { request_id: out.request_ids[0], label: 'Gentoo' },
            { request_id: out.request_ids[1], label: 'Penguin' },
          ]),
        );
        expect(e.code).toBe('bad_input');
        expect(e.message).toContain(
          'items[1].label: "Penguin" is not a class of the model ("Adelie", "Chinstrap", "Gentoo")',
        );
        expect(e.message).toContain('nothing was recorded');
        expect((await anon.telemetry(name, '1h')).online.find((o) => o.version === 1)?.feedback ?? 0).toBe(0);
        // A regressor's truth is a number.
        const cars = await ownModel('mislabelled-cars', fx.cars);
        const car = await anon.predict(cars, [[4, 97, 88, 2130, 14.5, '1971-01-01', 'Japan']]);
        const notNumber = await failure(labeller.feedback(cars, [{ request_id: car.request_ids[0], label: 'fast' }]));
        expect(notNumber.message).toContain('items[0].label: "fast" is not a number, and the model is a regressor');
        expect(await labeller.feedback(cars, [{ request_id: car.request_ids[0], label: '27.5' }])).toEqual({
          accepted: 1,
          unmatched: [],
          duplicates: [],
        });
      });

      it('refuses anonymous feedback to a public model with 401, saying a key is needed', async () => {
        const out = await anon.predict('penguins', [PENGUIN]);
        const e = await failure(anon.feedback('penguins', [{ request_id: out.request_ids[0], label: 'Gentoo' }]));
        expect(e.code).toBe('unauthorized');
        expect(e.message).toContain('feedback needs an API key with the "feedback" or "predict" scope');
      });

      it('reports requests, errors and latency per version', async () => {
        const name = await ownModel('traffic', fx.penguins);
        for (let i = 0; i < 11; i++) await anon.predict(name, [PENGUIN]);
        await failure(anon.predict(name, [{ ...PENGUIN, 'Body Mass (g)': 'heavy' }]));
        const t = await anon.telemetry(name, '1h');
        const v1 = t.versions['1'];
        expect(v1.requests).toBe(12);
        expect(v1.errors).toBe(1);
        const { p50, p99 } = v1.latency_ms;
        if (p50 === null || p99 === null) throw new Error('twelve requests have latency quantiles');
        if (edge.coarseClock) expect(p50).toBeGreaterThanOrEqual(0);
        else expect(p50).toBeGreaterThan(0);
        expect(p99).toBeGreaterThanOrEqual(p50);
        expect((await failure(anon.telemetry('penguins', 'forever'))).code).toBe('bad_input');
      });

      it('reports drift per feature against the training baseline', async () => {
        await anon.predict('penguins', [PENGUIN]);
        const d = await anon.drift('penguins', '1h');
        expect(d.features.map((f) => f.feature).sort()).toEqual(Object.keys(PENGUIN).sort());
        expect(typeof d.drift_share).toBe('number');
        expect(typeof d.dataset_drift).toBe('boolean');
      });

      it('returns the baseline and serving distributions of each feature, per version, with what training never saw', async () => {
        // v2 (as a full canary) gets rows from an island training never saw and a body mass far above its range.
        const name = await ownModel('drift', fx.penguins, fx.penguins2);
        await anon.predict(name, [PENGUIN]);
        await admin.setRollout(name, 2, 1);
        await anon.predict(name, [
          { ...PENGUIN, Island: 'Lemuria', 'Body Mass (g)': 99_000 },
          { ...PENGUIN, Island: 'Lemuria', 'Body Mass (g)': 98_000 },
          PENGUIN,
        ]);
        await admin.setRollout(name, 2, 0);
        const d = await anon.drift(name, '1h', 2);
        expect(d.version).toBe(2);
        const mass = d.features.find((f) => f.feature === 'Body Mass (g)')!;
        expect(mass.baseline.type).toBe('numeric');
        expect(mass.serving?.type === 'numeric' && mass.serving.edges).toEqual(
          mass.baseline.type === 'numeric' && mass.baseline.edges,
        );
        expect(mass.out_of_range).toEqual({ below: 0, above: 2 });
        expect(mass.serving?.total).toBe(mass.current_size);
        const island = d.features.find((f) => f.feature === 'Island')!;
        expect(island.baseline.type === 'categorical' && island.baseline.categories.map((c) => c.name)).toContain(
          'Biscoe',
        );
        expect(island.unseen).toEqual({ count: 2, categories: ['Lemuria'] });
        expect('counts' in island.current && island.current.counts.Lemuria).toBe(2);
        // The champion's window is another version's: none of those rows.
        const champion = await anon.drift(name, '1h');
        expect(champion.version).not.toBe(2);
        expect(champion.features.find((f) => f.feature === 'Island')!.unseen?.categories ?? []).not.toContain(
          'Lemuria',
        );
      });

      it('exposes Prometheus metrics', async () => {
        await anon.predict('penguins', [PENGUIN]);
        const res = await fetch(`${edge.url}/metrics`);
        expect(res.headers.get('content-type')).toContain('text/plain');
        const text = await res.text();
        expect(text).toMatch(/^# TYPE flywheel_requests_total counter$/m);
        expect(text).toMatch(/flywheel_requests_total\{[^}]*model="penguins"[^}]*\} \d+/);
        expect(text).toMatch(/flywheel_request_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} \d+/);
        // The edge's own pipeline: what waits to be written, and what was dropped for falling behind.
        expect(text).toMatch(/^flywheel_prediction_log_buffered_rows \d+$/m);
        expect(text).toMatch(/^flywheel_prediction_log_dropped_rows_total 0$/m);
        expect(text).toMatch(/^flywheel_telemetry_buffered_rollups \d+$/m);
        // Every runtime runs the lean runtime's WebAssembly kernel: workerd, which may not compile it
        // from bytes, from the module its Worker imports precompiled (edge/build-worker.ts).
        expect(text).toMatch(/^flywheel_build_info\{[^}]*inference_kernel="wasm"[^}]*\} 1$/m);
      });
    });

    it('lets pages of other origins call it (CORS): preflights, and readable answers', async () => {
      const preflight = await fetch(`${edge.url}/v1/models/penguins/predict`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://notebook.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
      for (const [method, p, body] of [
        ['POST', '/v1/models/penguins/predict', JSON.stringify({ instances: [PENGUIN] })],
        ['GET', '/v1/models', undefined],
      ] as const) {
        const res = await fetch(`${edge.url}${p}`, {
          method,
          headers: { origin: 'https://notebook.example', 'content-type': 'application/json' },
          body,
        });
        expect(res.status, p).toBe(200);
        expect(res.headers.get('access-control-allow-origin'), p).toBe('*');
        expect(res.headers.get('access-control-expose-headers'), p).toContain('x-request-id');
      }
    });

    it('never answers 500 to garbage', async () => {
      const paths = [
        '/v1/models/penguins/predict',
        '/v1/models/penguins:predict',
        '/v1/models/penguins/labels/champion:predict',
        '/v2/models/penguins/infer',
        '/v1/models/penguins/feedback',
        '/v1/models/penguins/invocations',
      ];
      const bodies = [
        'null',
        '[]',
        '42',
        '"x"',
        '{"instances": null}',
        '{"instances": [null]}',
        '{"instances": [[1,2]]}',
        '{"inputs": {"a": 1}}',
        '{"items": [{}]}',
        '\u0000\u0001',
      ];
      for (const p of paths) {
        for (const b of bodies) {
          // With a key, so that feedback's body is read too (anonymous feedback stops at the 401).
          const res = await post(p, b, { authorization: `Bearer ${edge.predictKey}` });
          expect(res.status, `${p} ${b}`).toBeLessThan(500);
        }
      }
    });
  });
}
