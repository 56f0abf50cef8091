/** Bundles for the contract suite, trained once per process with the real pipeline (CPU backend, few epochs). */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { runPipeline } from '../../core/pipeline';
import { nodeSourceIO } from '../../cli/node-io';

export interface Fixtures {
  /** Penguins species classifier, and a second, different version of it. */
  penguins: Uint8Array;
  penguins2: Uint8Array;
  /** Cars MPG regressor. */
  cars: Uint8Array;
}

let cached: Promise<Fixtures> | null = null;

export function fixtures(): Promise<Fixtures> {
  cached ??= (async () => {
    await tf.setBackend('cpu');
    const ctx = { io: nodeSourceIO, backend: 'cpu', codeVersion: 'contract' };
    const train = async (spec: object) => (await runPipeline(spec, ctx)).bundle.bytes;
    return {
      penguins: await train({
        name: 'penguins',
        data: 'sample:penguins',
        target: 'Species',
        model: { type: 'mlp' },
        train: { epochs: 20 },
      }),
      penguins2: await train({
        name: 'penguins',
        data: 'sample:penguins',
        target: 'Species',
        model: { type: 'mlp' },
        train: { epochs: 10, seed: 7 },
      }),
      cars: await train({
        name: 'cars',
        data: 'sample:cars',
        target: 'Miles_per_Gallon',
        model: { type: 'mlp' },
        train: { epochs: 20 },
      }),
    };
  })();
  return cached;
}

export const PENGUIN = {
  Island: 'Biscoe',
  'Beak Length (mm)': 47.5,
  'Beak Depth (mm)': 14.2,
  'Flipper Length (mm)': 215,
  'Body Mass (g)': 5300,
  Sex: 'MALE',
};
export const PENGUIN_ROW = ['Biscoe', 47.5, 14.2, 215, 5300, 'MALE'];
