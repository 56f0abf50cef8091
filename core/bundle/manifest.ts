import type { FeatureSchema, FittedTransform, TableProfile } from '../features';
import type { GateReport } from '../gates';
import type { Head } from '../model/head';
import type { EnsembleRecord } from '../model/merge-members';
import type { SearchReport } from '../search/types';

/** Version of the bundle layout; readers refuse versions they do not know. */
export const BUNDLE_FORMAT = 1;

export interface Lineage {
  dataHash: string;
  specHash: string;
  codeVersion: string;
  backend: string;
  /** Training samples/s measured per backend when the backend was chosen automatically. */
  backendMeasurements?: Record<string, number>;
  /** How the backend ran, as the runtime described it (e.g. "WebAssembly + SIMD + threads (2)"). */
  backendDetail?: string;
  parentVersion: string | null;
  /** Milliseconds per step. */
  timings: Record<string, number>;
  rows: { train: number; validation: number; test: number };
  source: string;
  /** The model search that chose the model (`model.type: auto`): every trial with its seed, and the choice. */
  search?: SearchReport;
  /** When the model merges several refits of the search's choice: how many, and their seeds. */
  ensemble?: EnsembleRecord;
}

export interface Signature {
  /** Input features in the order rows-as-arrays must follow. */
  inputs: FeatureSchema[];
  /** What the model outputs: class labels, or a regression target's name. */
  output:
    | { task: 'classification'; target: string; labels: string[] }
    | { task: 'regression'; target: string; min?: number; max?: number };
}

export interface Manifest {
  format: number;
  name: string;
  task: 'classification' | 'regression';
  signature: Signature;
  transform: FittedTransform;
  head: Head;
  /** Training profile of the inputs: drift's reference. */
  baseline: TableProfile;
  metrics: Record<string, number | null>;
  gates: GateReport | null;
  lineage: Lineage;
  /** The pipeline spec that made this bundle: what a retrain runs again. */
  spec: unknown;
  createdAt: string;
  /** sha256 of every other file in the bundle. */
  files: Record<string, string>;
}
