/**
 * Reading a Layers topology as a chain: the layers in execution order and the shape of one input row.
 * A Sequential is a chain by construction; a functional `Model` is accepted when it is one (one input,
 * one output, every layer fed by exactly the previous one). Anything else is `unsupported`, so the
 * caller falls back to tfjs.
 */
import { FlywheelError } from '../errors';
import { badModel, type LayerJson, type ModelTopology } from './layers-format';

export interface LayerChain {
  /** Shape of one input row (the batch dimension removed). */
  inputShape: number[];
  /** Layers in execution order, input layers excluded. */
  layers: LayerJson[];
}

/** The layers of a Sequential or chain-shaped functional model, in order, with the row input shape. */
export function layerChain(topology: ModelTopology): LayerChain {
  const layers = topology.class_name === 'Sequential' ? topology.config.layers : functionalChain(topology);
  const first = layers[0];
  if (!first) throw badModel('modelTopology.config.layers', 'is empty');
  const batchShape = first.config.batch_input_shape ?? first.config.batch_shape;
  if (!Array.isArray(batchShape) || batchShape.length < 2) {
    throw badModel(
      'modelTopology.config.layers[0].config.batch_input_shape',
      'must give the input shape, e.g. [null, 20]',
    );
  }
  const inputShape = batchShape.slice(1);
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new FlywheelError(
      'unsupported',
      `the lean runtime needs a fixed input shape, the model has [${batchShape.map(String).join(', ')}]`,
      [{ path: 'modelTopology.config.layers[0].config.batch_input_shape', message: 'variable-size dimension' }],
    );
  }
  return { inputShape: inputShape as number[], layers: layers.filter((l) => l.class_name !== 'InputLayer') };
}

/** Walks a functional model back from its output to its input, refusing anything but a plain chain. */
function functionalChain(topology: ModelTopology): LayerJson[] {
  if (topology.class_name !== 'Model' && topology.class_name !== 'Functional') {
    throw unsupportedGraph(`model class ${topology.class_name}`);
  }
  const { layers, input_layers: inputs, output_layers: outputs } = topology.config;
  if (!Array.isArray(inputs) || inputs.length !== 1 || !Array.isArray(outputs) || outputs.length !== 1) {
    throw unsupportedGraph('the model has several inputs or outputs');
  }
  const byName = new Map(layers.map((l) => [l.name ?? l.config.name, l]));
  const chain: LayerJson[] = [];
  let name = tensorLayerName(outputs[0]);
  for (;;) {
    const layer = byName.get(name);
    if (!layer || chain.includes(layer)) throw unsupportedGraph(`layer "${name}" is missing or reached twice`);
    chain.unshift(layer);
    const nodes = layer.inbound_nodes ?? [];
    if (nodes.length === 0) break;
    const node = nodes[0];
    if (nodes.length !== 1 || !Array.isArray(node) || node.length !== 1) {
      throw unsupportedGraph(`layer "${name}" is shared or takes several inputs`);
    }
    name = tensorLayerName(node[0]);
  }
  if (chain[0].class_name !== 'InputLayer' || chain.length !== layers.length) {
    throw unsupportedGraph('not every layer lies on one path from the input to the output');
  }
  return chain;
}

/** `[layerName, nodeIndex, tensorIndex, kwargs?]` → layerName, for the Keras 2 format tfjs writes. */
function tensorLayerName(ref: unknown): string {
  if (!Array.isArray(ref) || typeof ref[0] !== 'string' || ref[1] !== 0 || ref[2] !== 0) {
    throw unsupportedGraph(`unrecognised tensor reference ${JSON.stringify(ref)}`);
  }
  return ref[0];
}

function unsupportedGraph(why: string): FlywheelError {
  return new FlywheelError('unsupported', `the lean runtime runs only chains of layers: ${why}`, [
    { path: 'modelTopology.config', message: why },
  ]);
}
