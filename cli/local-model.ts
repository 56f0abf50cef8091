/** A bundle from disk, verified, with its predictor: what `predict` and `evaluate` run locally. */
import { readFile } from 'node:fs/promises';
import { readBundle, type Bundle } from '../core/bundle';
import { FlywheelError, errorMessage } from '../core/errors';
import { createPredictor } from '../core/infer';
import type { Predictor } from '../core/infer';
import { encodeTable } from '../core/features';
import type { Table } from '../core/data/table';

export interface LocalModel {
  bundle: Bundle;
  predictor: Predictor;
  /** Raw model outputs for a table's rows (the transform applied as in training). */
  predictTable(table: Table): Float32Array;
}

export async function loadLocalModel(file: string): Promise<LocalModel> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new FlywheelError('bad_bundle', `could not read ${file}: ${errorMessage(e)}`, [
      { path: file, message: 'unreadable' },
    ]);
  }
  const bundle = await readBundle(bytes, file);
  const predictor = await createPredictor({ modelJson: bundle.modelJson, weights: bundle.weights });
  return {
    bundle,
    predictor,
    predictTable: (table) => predictor.predict(encodeTable(bundle.manifest.transform, table), table.rowCount),
  };
}
