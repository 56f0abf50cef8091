/**
 * Hostile traffic, bundles: a zip whose headers lie about its sizes (a few MB declaring a 1,000-byte
 * file, inflating to 1 GiB) is refused with a 400 naming the limit, and inflating it never holds the
 * serving thread: /healthz, asked again and again meanwhile, answers every time within a second.
 */
import { zipSync } from 'fflate';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INFLATED_BYTES, unzipCapped } from '../../core/bundle';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';
import { lyingZip } from './lying-zip';

/** A liveness bound, not a speed target: an event loop that inflates on the serving thread misses it by seconds. */
const HEALTHZ_WITHIN_MS = 1000;

let edge: RunningEdge;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-hostile-zip-'));
  edge = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
});
afterAll(async () => {
  await edge?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a zip whose headers lie about its sizes', () => {
  it('stops inflating at the cap, whatever the headers declare', async () => {
    const zip = await lyingZip(64);
    expect(await unzipCapped(zip, 16 * 2 ** 20)).toEqual({
      ok: false,
      reason: 'too_large',
      message: 'inflates to more than 16777216 bytes (the limit), whatever its headers declare',
    });
    // Declared sizes still refuse an honest bomb early, before inflating anything.
    expect(await unzipCapped(zipSync({ 'manifest.json': new Uint8Array(32 * 2 ** 20) }), 16 * 2 ** 20)).toMatchObject({
      ok: false,
      reason: 'too_large',
      message: 'inflates to more than 16777216 bytes (the limit), as its headers declare',
    });
    const whole = await unzipCapped(zip, 64 * 2 ** 20);
    expect(whole.ok && whole.files['manifest.json'].byteLength).toBe(64 * 2 ** 20);
  });

  it('is refused with a 400 naming the limit, while /healthz keeps answering', async () => {
    const zip = await lyingZip(1024);
    let polling = true;
    // When each /healthz answer came: a serving thread held by inflating leaves a long gap between two.
    const answers = [performance.now()];
    const poll = (async () => {
      while (polling) {
        const res = await fetch(`${edge.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        answers.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const res = await fetch(`${edge.url}/v1/models/lying/versions`, {
      method: 'POST',
      body: zip,
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${edge.adminKey}` },
    });
    polling = false;
    await poll;
    const gaps = answers.slice(1).map((at, i) => at - answers[i]);
    expect(Math.max(...gaps)).toBeLessThan(HEALTHZ_WITHIN_MS);
    expect(gaps.length).toBeGreaterThan(3);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      code: 'bad_bundle',
      message: `the uploaded bundle: inflates to more than ${MAX_INFLATED_BYTES} bytes (the limit), whatever its headers declare`,
    });
  });
});
