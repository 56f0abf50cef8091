import type { TrainedModel } from './train-step';

/** Where step outputs are kept between runs (a folder in Node, IndexedDB in the browser). */
export interface StepCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** A cache that forgets: for one-off runs and tests. */
export function memoryCache(): StepCache {
  const map = new Map<string, string>();
  return { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) };
}

export function encodeTrained(t: TrainedModel): string {
  let binary = '';
  for (let i = 0; i < t.weights.length; i++) binary += String.fromCharCode(t.weights[i]);
  return JSON.stringify({ ...t, weights: btoa(binary) });
}

export function decodeTrained(text: string): TrainedModel {
  const raw = JSON.parse(text) as Omit<TrainedModel, 'weights'> & { weights: string };
  const binary = atob(raw.weights);
  const weights = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) weights[i] = binary.charCodeAt(i);
  return { ...raw, weights };
}
