/**
 * What a new notebook and a new cell start with. A new notebook explains itself in a markdown cell
 * and holds a pipeline that trains on a shipped sample, so the first Shift+Enter does something real.
 */
import type { Cell, CellKind, Notebook } from '../db';

/**
 * The pipeline a new notebook (and a new pipeline cell) starts from: penguins, and a model search
 * (linear models and MLPs, a minute at most) rather than a model someone has to pick.
 */
export const DEFAULT_PIPELINE_SPEC = {
  data: { source: 'sample:penguins', test: null },
  target: 'Species',
  features: { exclude: [] },
  model: { type: 'auto', budget: '60s' },
  train: { epochs: 40, backend: 'auto' },
  gates: [{ metric: 'accuracy', min: 0.8 }],
};

export const INTRO_MARKDOWN = `# Welcome to your notebook

Cells below run in the browser. **Shift+Enter** runs a cell and moves on; press **?** for every shortcut.

- A **pipeline** cell trains a model on a dataset and records the run (see *Runs* and *Models*).
- A **code** cell is JavaScript with top-level \`await\`: \`load\`, \`profile\`, \`train\`, \`tf\` and \`display\` are in scope.
- A **markdown** cell is for notes like this one.`;

export function specText(spec: unknown): string {
  return JSON.stringify(spec, null, 2);
}

/** A fresh cell of a kind; a pipeline cell starts from the default spec. */
export function newCell(kind: CellKind, source?: string, id: string = randomId()): Cell {
  return {
    id,
    kind,
    source: source ?? (kind === 'pipeline' ? specText(DEFAULT_PIPELINE_SPEC) : ''),
    outputs: [],
    status: 'idle',
  };
}

/** A new notebook: the intro, the penguins pipeline, and an empty code cell to play in. */
export function newNotebook(title: string, now: number, id: string = randomId()): Notebook {
  return {
    id,
    title,
    cells: [
      newCell('markdown', INTRO_MARKDOWN),
      newCell('pipeline'),
      newCell('code', "const penguins = await load('sample:penguins');\npenguins.rowCount"),
    ],
    createdAt: now,
    updatedAt: now,
  };
}

/** The title of the ready-made notebook the first screen offers. */
export const SAMPLE_TITLE = 'Sample: penguin species, the whole loop';

/**
 * The sample notebook "Start from a sample" opens: the data, a pipeline that trains and gates a
 * species classifier, and what to do next in the app (publish, monitor, automate). Ready to Run all.
 */
export function sampleNotebook(title: string, now: number, id: string = randomId()): Notebook {
  return {
    id,
    title,
    cells: [
      newCell(
        'markdown',
        `# Penguin species, the whole loop

Palmer penguins: 344 birds, their island, beak, flipper, mass and sex. This notebook trains a model that tells the species apart; the app then takes it around the loop.

1. **Train**: press **▶ Run all**. The data shows below, then the pipeline cell searches linear models and MLPs for up to a minute (its leaderboard fills in as trials finish, in web workers on the fastest backend it measures), trains the best, and checks its gate (accuracy ≥ 0.8).
2. **Publish**: in **Models**, *Publish* sends the model to this server (it asks once for the key the server printed at start).
3. **Monitor**: in **Deployments**, *Try it* asks for predictions; traffic, latency and drift appear as they come.
4. **Automate**: in the same view, a policy says when to retrain and how a new model rolls out; the *Autopilot* runs those retrains in this tab.`,
      ),
      newCell('code', "const penguins = await load('sample:penguins');\npenguins"),
      newCell('pipeline', specText({ name: 'penguins-species', ...DEFAULT_PIPELINE_SPEC })),
      newCell(
        'markdown',
        `## What the pipeline did

Its report above shows the metrics on held-out rows, the confusion matrix and the gate. Every run is kept in **Runs** (compare two by ticking them), and every model in **Models**, ready to publish.`,
      ),
    ],
    createdAt: now,
    updatedAt: now,
  };
}

/** A copy with new ids throughout, so the copy and the original never share a cell. */
export function duplicateNotebook(nb: Notebook, title: string, now: number): Notebook {
  return {
    ...structuredClone(nb),
    id: randomId(),
    title,
    cells: nb.cells.map((c) => ({ ...structuredClone(c), id: randomId() })),
    createdAt: now,
    updatedAt: now,
  };
}

/** Same as db.ts's newId, repeated here so this module stays free of Dexie (it runs under vitest). */
export function randomId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 16);
}
