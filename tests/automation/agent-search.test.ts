/**
 * A retrain of a champion whose pipeline searches (model.type auto): the agent searches again on the
 * thread pool it was given, within its own per-job budget when that is shorter than the pipeline's.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../core/automation/runner';
import { runPipeline } from '../../core/pipeline';
import type { SearchReport } from '../../core/search/types';
import { nodeSourceIO } from '../../cli/node-io';
import { nodeTrialPool, type NodeTrialPool } from '../../cli/trial-pool';
import { serveWithFeedback, startLoop, type Loop } from './harness';

let loop: Loop | null = null;
let pool: NodeTrialPool | null = null;
afterEach(async () => {
  await loop?.close();
  await pool?.close();
  loop = pool = null;
});

describe('the agent and the model search', () => {
  it('retrains an auto champion with a search on its thread pool, capped by its per-job budget', async () => {
    loop = await startLoop();
    pool = nodeTrialPool(2, 'wasm');
    // The threads load tfjs while the edge starts and the data is written, not in the search's budget.
    pool.start();
    const csv = Papa.unparse(
      (await import('../../node_modules/vega-datasets/data/penguins.json', { with: { type: 'json' } }))
        .default as Record<string, unknown>[],
    );
    const file = path.join(loop.dir, 'penguins.csv');
    await writeFile(file, csv);
    const spec = {
      name: 'penguins',
      data: file,
      target: 'Species',
      model: { type: 'auto', budget: '20s' },
      train: { epochs: 9 },
    };
    const champion = await runPipeline(spec, {
      io: nodeSourceIO,
      backend: 'cpu',
      codeVersion: 'loop',
      trialPool: pool,
    });
    expect(champion.search).toMatchObject({ budgetMs: 20_000, workers: 2 });
    await loop.admin.publish('penguins', champion.bundle.bytes);
    await loop.admin.setPolicy('penguins', { triggers: { newFeedback: 20 } });
    const rows = Papa.parse<Record<string, unknown>>(csv, {
      header: true,
      dynamicTyping: true,
      skipEmptyLines: true,
    }).data.filter((r) => r.Sex !== null);
    await serveWithFeedback(loop.admin, 'penguins', rows.slice(0, 30), 'Species');
    await loop.tick();

    const searches: SearchReport[] = [];
    const outcome = await runAgent({
      client: loop.admin,
      runner: 'agent-search',
      io: nodeSourceIO,
      backend: 'cpu',
      codeVersion: 'loop',
      pollMs: 10,
      once: true,
      trialPool: pool,
      maxSearchMs: 12_000,
      onEvent: (e) => {
        if (e.type === 'search') searches.push(e.report);
      },
    });
    expect(outcome).toMatchObject([{ model: 'penguins', status: 'succeeded', version: 2 }]);
    expect(searches).toHaveLength(1);
    expect(searches[0]).toMatchObject({ budgetMs: 12_000, workers: 2 });
    expect(searches[0].leaderboard.every((r) => r.backend === 'wasm')).toBe(true);
  }, 120_000);
});
