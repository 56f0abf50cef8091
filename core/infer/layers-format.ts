/**
 * The tfjs Layers artifacts as tfjs 4.22 writes them, typed only as far as inference reads them, and
 * their normalisation into one shape: a topology, the weight specs in manifest order, and the bytes.
 *
 * Two inputs are accepted: the files of a bundle (`model.json` parsed or as text, plus `weights.bin`)
 * and tfjs's in-memory `ModelArtifacts` (`{modelTopology, weightSpecs, weightData}`, what a save
 * handler receives), so a freshly trained model can be served without a round trip through files.
 */
import { FlywheelError } from '../errors';

/** One entry of `weightsManifest[].weights`: where a weight sits in `weights.bin` and how it is stored. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** A layer in `modelTopology.config.layers`: Keras class name and snake_case config. */
export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  /** Functional models only: the layer's name and the tensors it consumes. */
  name?: string;
  inbound_nodes?: unknown[];
}

/** `modelTopology`: a Sequential (layers in order) or a functional `Model` (a graph of layers). */
export interface ModelTopology {
  class_name: string;
  config: {
    name?: string;
    layers: LayerJson[];
    input_layers?: unknown[];
    output_layers?: unknown[];
  };
  keras_version?: string;
  backend?: string;
}

/** `model.json` as `model.save('file://…')` or `tfjs.converters` writes it. */
export interface LayersModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: ModelTopology;
  weightsManifest: WeightsGroup[];
}

/** The files of a bundle: `model.json` (parsed or text) and `weights.bin` (shards concatenated in manifest order). */
export interface LayersModelFiles {
  modelJson: LayersModelJson | string;
  weights: ArrayBuffer | ArrayBufferView;
}

/** tfjs `io.ModelArtifacts`, as handed to a save handler. */
export interface LayersModelArtifacts {
  modelTopology: unknown;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer | ArrayBuffer[] | ArrayBufferView;
}

export type LayersArtifacts = LayersModelFiles | LayersModelArtifacts;

/** Both input shapes reduced to one. */
export interface NormalizedArtifacts {
  topology: ModelTopology;
  weightSpecs: WeightSpec[];
  weightData: Uint8Array;
}

/**
 * Reduces either artifact shape to `{topology, weightSpecs, weightData}`, checking the structure that
 * inference relies on; anything malformed is a `bad_model` error naming the JSON path.
 */
export function normalizeArtifacts(artifacts: LayersArtifacts): NormalizedArtifacts {
  if ('modelJson' in artifacts) {
    const json = parseModelJson(artifacts.modelJson);
    if (!Array.isArray(json.weightsManifest)) throw badModel('weightsManifest', 'must be an array of weight groups');
    const weightSpecs = json.weightsManifest.flatMap((group, i) => {
      if (!group || !Array.isArray(group.weights)) throw badModel(`weightsManifest[${i}].weights`, 'must be an array');
      return group.weights;
    });
    return { topology: checkTopology(json.modelTopology), weightSpecs, weightData: toBytes(artifacts.weights) };
  }
  return {
    topology: checkTopology(artifacts.modelTopology),
    weightSpecs: artifacts.weightSpecs ?? [],
    weightData: artifacts.weightData === undefined ? new Uint8Array(0) : toBytes(artifacts.weightData),
  };
}

function parseModelJson(modelJson: LayersModelJson | string): LayersModelJson {
  if (typeof modelJson !== 'string') return modelJson;
  try {
    return JSON.parse(modelJson) as LayersModelJson;
  } catch (e) {
    throw badModel('model.json', `is not valid JSON: ${(e as Error).message}`);
  }
}

function checkTopology(topology: unknown): ModelTopology {
  if (!isRecord(topology)) throw badModel('modelTopology', 'must be a JSON object (a Layers model, not a graph model)');
  if (typeof topology.class_name !== 'string') throw badModel('modelTopology.class_name', 'must be a string');
  // Keras 1 wrote a Sequential's config as the bare list of layers.
  const config = Array.isArray(topology.config) ? { layers: topology.config } : topology.config;
  if (!isRecord(config) || !Array.isArray(config.layers))
    throw badModel('modelTopology.config.layers', 'must be an array');
  config.layers.forEach((layer: unknown, i: number) => {
    if (!isRecord(layer) || typeof layer.class_name !== 'string' || !isRecord(layer.config)) {
      throw badModel(`modelTopology.config.layers[${i}]`, 'must have a string class_name and an object config');
    }
  });
  return { ...topology, config } as ModelTopology;
}

function toBytes(data: ArrayBuffer | ArrayBuffer[] | ArrayBufferView): Uint8Array {
  if (Array.isArray(data)) {
    const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
    let offset = 0;
    for (const part of data) {
      out.set(new Uint8Array(part), offset);
      offset += part.byteLength;
    }
    return out;
  }
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `bad_model` error whose message names the JSON path of what was wrong. */
export function badModel(path: string, message: string): FlywheelError {
  return new FlywheelError('bad_model', `model ${path} ${message}`, [{ path, message }]);
}
