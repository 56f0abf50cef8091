/**
 * The train step after a model search: when cross-validation says how many epochs the choice needs,
 * it trains on the training and validation rows together for that many, without early stopping;
 * otherwise it trains on the training rows and early-stops on the validation rows. Either way it
 * refits the choice on several seeds; on a validation split their average must win there to be served. The search is
 * scripted (its choice and epochs under the test's control); the final training is real.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../cli/tfjs-node';
import { createPredictor } from '../infer';
import type { ClassificationHead } from '../model/head';
import { normal, seededRandom } from '../random';
import type { TrialPool, TrialTask } from '../search/types';
import type { RunEvent } from './events';
import { parsePipelineSpec } from './spec';
import { REFIT_MEMBERS as MEMBERS } from './refit-members';
import { trainStep, type TrainedModel, type TrainInputs } from './train-step';

const head: ClassificationHead = { task: 'classification', labels: ['a', 'b'] };

beforeAll(async () => {
  await useNodeBackend('wasm');
});

function inputs(rows: number, valRows: number): TrainInputs {
  const random = seededRandom(3);
  const make = (n: number) => {
    const x = new Float32Array(n * 2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i * 2] = 2 * y[i] + normal(random);
      x[i * 2 + 1] = normal(random);
    }
    return { x, y };
  };
  const tr = make(rows);
  const va = make(valRows);
  return { head, x: tr.x, y: tr.y, rows, xVal: va.x, yVal: va.y, valRows, inputDim: 2 };
}

/** Scores each candidate by its number (the last wins) and reports its folds' best epoch as `bestEpoch(task)`. */
function scriptedPool(bestEpoch: (t: TrialTask) => number): TrialPool {
  return {
    size: 1,
    load: () => Promise.resolve(),
    run: (task) =>
      Promise.resolve({
        trial: task.trial,
        fold: task.fold,
        score: task.trial / 100,
        loss: 1 - task.trial / 100,
        epochsRun: task.epochs,
        bestEpoch: bestEpoch(task),
        ms: 1,
        samplesPerSec: 1000,
        backend: 'scripted',
      }),
  };
}

/**
 * A search whose folds peak at epochs 4, 5 and 6 (1-based) unless `bestEpoch` says otherwise. With
 * `msPerEpoch`, the step's clock advances that much per epoch of the first model it trains.
 */
async function train(bestEpoch: (t: TrialTask) => number, options: { msPerEpoch?: number; members?: number } = {}) {
  const spec = parsePipelineSpec({ data: 'sample:penguins', target: 'Species', train: { epochs: 54 } });
  const events: RunEvent[] = [];
  let clock = 0;
  const trained = await trainStep(
    spec,
    inputs(120, 30),
    (e) => {
      events.push(e);
      if (e.type === 'epoch') clock += options.msPerEpoch ?? 0;
    },
    { pool: scriptedPool(bestEpoch), now: () => clock, refitMembers: options.members },
  );
  const batches = events.flatMap((e) => (e.type === 'batch' ? [e.progress.batchesPerEpoch] : []));
  const warnings = events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
  const infos = events.flatMap((e) => (e.type === 'log' && e.level === 'info' ? [e.message] : []));
  return { trained, batchesPerEpoch: batches[0], warnings, infos };
}

/** The first Dense kernel's shape, as the saved model.json declares it. */
function firstKernelShape(trained: TrainedModel): number[] {
  return trained.modelJson.weightsManifest[0].weights[0].shape;
}

describe('trainStep after a model search', () => {
  it('refits the choice on training + validation rows for the epochs its folds needed', async () => {
    // The last rung trains 54 / 3 = 18 epochs; the folds peak at epochs 4, 5 and 6 (1-based).
    const { trained, batchesPerEpoch } = await train((t) => 3 + t.fold);
    expect(trained.search?.refitEpochs).toBe(5);
    expect(trained.epochsRun).toBe(5);
    expect(trained.trainedTrain).toMatchObject({ epochs: 5, earlyStopping: null });
    expect(trained.history.every((m) => !('val_loss' in m))).toBe(true);
    expect(batchesPerEpoch).toBe(Math.ceil(150 / trained.trainedTrain.batchSize));
  });

  it('trains on the training rows and early-stops on the validation rows when the folds were still improving', async () => {
    const { trained, batchesPerEpoch, infos } = await train((t) => t.epochs - 1);
    const { trained: single } = await train((t) => t.epochs - 1, { members: 1 });
    expect(trained.search?.refitEpochs).toBeNull();
    expect(trained.trainedTrain.epochs).toBe(54);
    expect(trained.trainedTrain.earlyStopping).not.toBeNull();
    expect(trained.history.every((m) => 'val_loss' in m)).toBe(true);
    expect(batchesPerEpoch).toBe(Math.ceil(120 / trained.trainedTrain.batchSize));
    // Each refit early-stops on the validation rows; their average is served only if it wins there.
    const said = infos.find((m) => m.includes('validation loss'));
    const [, a, b] = /validation loss ([\d.e+-]+), against ([\d.e+-]+)/.exec(said ?? '') ?? [];
    expect(Number(a)).toBeGreaterThan(0);
    if (trained.ensemble) {
      expect(said).toMatch(new RegExp(`^the ${MEMBERS} refits averaged`));
      expect(Number(a)).toBeLessThanOrEqual(Number(b));
      expect(firstKernelShape(trained)[1]).toBe(MEMBERS * firstKernelShape(single)[1]);
    } else {
      expect(said).toMatch(/^the first refit alone is served/);
      expect(Number(a)).toBeLessThan(Number(b));
    }
  });

  it('serves the single refit on a validation split when told to train one', async () => {
    const { trained, infos } = await train((t) => t.epochs - 1, { members: 1 });
    expect(trained.ensemble).toBeNull();
    expect(infos.some((m) => m.includes('validation loss'))).toBe(false);
  });
});

describe('the refit ensemble', () => {
  it('by default merges refits on their own seeds into one wider model, recording the member spec and the seeds', async () => {
    const { trained, warnings } = await train((t) => 3 + t.fold);
    expect(warnings).toEqual([]);
    const { ensemble, trainedModel } = trained;
    expect(ensemble?.members).toBe(MEMBERS);
    expect(ensemble?.seeds[0]).toBe(trained.trainedTrain.seed);
    expect(new Set(ensemble?.seeds).size).toBe(MEMBERS);
    expect(ensemble?.ms).toHaveLength(MEMBERS);
    // The lineage keeps the member's spec (what reproduces a member); the saved model is wider.
    const width = trainedModel.type === 'mlp' ? trainedModel.hidden[0] * MEMBERS : head.labels.length;
    expect(firstKernelShape(trained)).toEqual([2, width]);
  });

  it('trains the same model from the same spec and data', async () => {
    const a = await train((t) => 3 + t.fold);
    const b = await train((t) => 3 + t.fold);
    expect(b.trained.ensemble?.seeds).toEqual(a.trained.ensemble?.seeds);
    expect(b.trained.weights).toEqual(a.trained.weights);
  });

  it('adds no member that would end past the budget', async () => {
    // The first refit takes 5 epochs × 8 s of the 60 s budget (the search took none): a second would end at 80 s.
    const { trained, warnings } = await train((t) => 3 + t.fold, { msPerEpoch: 8000, members: MEMBERS });
    expect(trained.epochsRun).toBe(5);
    expect(trained.ensemble).toBeNull();
    // The user is told why the model is a single refit, and what would make room for the rest.
    expect(warnings).toEqual([
      `the budget left room for 1 of ${MEMBERS} refits of the chosen model: the single refit is the model (a longer model.budget makes room for the rest)`,
    ]);
    expect(firstKernelShape(trained)[1]).toBe(
      trained.trainedModel.type === 'mlp' ? trained.trainedModel.hidden[0] : head.labels.length,
    );
  });
});

describe('inputs cut into bins', () => {
  it('trains on the encoded inputs and saves the encoding as the first layer, so the files serve raw rows', async () => {
    const spec = parsePipelineSpec({
      data: 'sample:penguins',
      target: 'Species',
      model: { type: 'mlp', hidden: [8], bins: 8 },
      train: { epochs: 40 },
    });
    const data = inputs(200, 100);
    const trained = await trainStep(spec, data, () => {});
    const layers = trained.modelJson.modelTopology.config.layers;
    expect(layers[0].config).toMatchObject({ name: 'input_bins', activation: 'hard_sigmoid', trainable: false });
    // Input 0 takes 8 bins; input 1 too: both are continuous.
    const shapes = Object.fromEntries(trained.modelJson.weightsManifest[0].weights.map((w) => [w.name, w.shape]));
    expect(shapes).toMatchObject({ 'input_bins/kernel': [2, 16], 'hidden_1/kernel': [16, 8] });
    const lean = await createPredictor(trained, { allowFallback: false });
    const proba = lean.predict(data.xVal, data.valRows);
    let hits = 0;
    for (let i = 0; i < data.valRows; i++) if ((proba[i * 2 + 1] > proba[i * 2] ? 1 : 0) === data.yVal[i]) hits++;
    // Classes 2 standard deviations apart: the best possible accuracy is Φ(1) ≈ 0.84.
    expect(hits / data.valRows).toBeGreaterThan(0.7);
    lean.dispose();
  });
});
