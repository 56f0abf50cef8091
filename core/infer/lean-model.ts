/**
 * The lean runtime: compiles tfjs Layers artifacts into ops over plain Float32Arrays, with no tfjs at
 * run time. Serving a row then costs about the arithmetic of the model rather than the framework's
 * per-call overhead (tensor allocation, kernel dispatch, memory bookkeeping).
 */
import { FlywheelError, isFlywheelError } from '../errors';
import { jsDenseBackend, type DenseBackend } from './dense-backend';
import { LayerContext } from './layer-context';
import { LAYER_COMPILERS } from './layer-registry';
import { normalizeArtifacts, type LayerJson, type LayersArtifacts } from './layers-format';
import type { LeanOp } from './lean-op';
import { LeanProgram } from './lean-program';
import { layerChain, type LayerChain } from './model-chain';
import { checkPredictInput, type Predictor } from './predictor';
import { wasmDenseBackend } from './wasm-dense-backend';
import { decodeWeights, type DecodedWeight } from './weights';

export interface LeanModel extends Predictor {
  readonly kind: 'lean';
  /** Which kernel runs the Dense layers. */
  readonly kernel: 'js' | 'wasm';
  /** Like `predict`, but writes into `out` (at least `rows * outputDim` floats) and returns it: no allocation. */
  predictInto(input: Float32Array, rows: number, out: Float32Array): Float32Array;
}

export interface LeanModelOptions {
  /**
   * Dense kernel: `auto` (default) uses WebAssembly SIMD where the runtime can compile it and plain JS
   * elsewhere; `js` and `wasm` force one (`wasm` throws `unsupported` where it is unavailable).
   */
  kernel?: 'auto' | 'js' | 'wasm';
}

/**
 * Compiles a Layers model for the lean runtime. Throws `unsupported` (naming the layer class and name)
 * for anything it cannot run exactly — the caller can then fall back to tfjs — and `bad_model` when
 * the topology and the weights do not fit together (a missing, misshapen or unused weight, a
 * `weights.bin` of the wrong size), which tfjs would refuse too.
 */
export function compileLeanModel(artifacts: LayersArtifacts, options: LeanModelOptions = {}): LeanModel {
  const kernel = options.kernel ?? 'auto';
  const { topology, weightSpecs, weightData } = normalizeArtifacts(artifacts);
  // Weights first: files that do not belong together are bad_model whatever the layers are.
  const weights = decodeWeights(weightSpecs, weightData);
  const model: ParsedModel = { layers: topology.config.layers, chain: layerChain(topology), weights };
  if (kernel !== 'js') {
    const wasm = wasmDenseBackend();
    if (!wasm && kernel === 'wasm') {
      throw new FlywheelError('unsupported', 'the WebAssembly SIMD kernel cannot be compiled in this runtime', [
        { path: 'kernel', message: 'no WebAssembly SIMD' },
      ]);
    }
    if (wasm) {
      try {
        return compileWith(model, wasm);
      } catch (e) {
        // Model errors stand; anything else (the runtime refusing the memory) leaves the JS kernel.
        if (kernel === 'wasm' || isFlywheelError(e)) throw e;
      }
    }
  }
  return compileWith(model, jsDenseBackend());
}

/**
 * Compiles on a given Dense backend, which `compileLeanModel` chooses itself: for benchmarks that
 * compare kernels (bench/infer runs the previous WebAssembly kernel beside the current one).
 */
export function compileLeanModelOn(artifacts: LayersArtifacts, denseBackend: DenseBackend): LeanModel {
  const { topology, weightSpecs, weightData } = normalizeArtifacts(artifacts);
  const weights = decodeWeights(weightSpecs, weightData);
  return compileWith({ layers: topology.config.layers, chain: layerChain(topology), weights }, denseBackend);
}

interface ParsedModel {
  /** `modelTopology.config.layers`, to name a layer's path in errors. */
  layers: LayerJson[];
  chain: LayerChain;
  weights: Map<string, DecodedWeight>;
}

function compileWith({ layers, chain, weights }: ParsedModel, denseBackend: DenseBackend): LeanModel {
  const used = new Set<string>();
  const ops: LeanOp[] = [];
  let shape = chain.inputShape;
  for (const layer of chain.layers) {
    const ctx = new LayerContext(layer, layers.indexOf(layer), shape, weights, used, denseBackend);
    const compile = Object.hasOwn(LAYER_COMPILERS, layer.class_name) ? LAYER_COMPILERS[layer.class_name] : undefined;
    if (!compile) throw ctx.unsupported(`the layer class ${layer.class_name}`);
    const compiled = compile(ctx);
    ops.push(...compiled.ops);
    shape = compiled.outShape;
  }
  const unused = [...weights.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new FlywheelError(
      'bad_model',
      `the weights manifest has weights no layer uses: ${unused.join(', ')}`,
      unused.map((name) => ({
        path: 'weightsManifest',
        message: `unused weight ${name}`,
      })),
    );
  }
  const scratch = denseBackend.finish(LeanProgram.scratchFloats(ops));
  return leanModel(
    new LeanProgram(ops, size(chain.inputShape), size(shape), scratch),
    chain.inputShape,
    shape,
    denseBackend.kind,
  );
}

function leanModel(
  program: LeanProgram,
  inputShape: number[],
  outputShape: number[],
  kernel: 'js' | 'wasm',
): LeanModel {
  const inputDim = program.inSize;
  const outputDim = program.outSize;
  const predictInto = (input: Float32Array, rows: number, out: Float32Array): Float32Array => {
    checkPredictInput(input, rows, inputDim);
    if (out.length < rows * outputDim) {
      throw new FlywheelError('bad_input', `output buffer holds ${out.length} floats, ${rows * outputDim} needed`, [
        { path: 'out', message: 'too small' },
      ]);
    }
    program.run(input, rows, out);
    return out;
  };
  return {
    kind: 'lean',
    kernel,
    inputShape,
    outputShape,
    inputDim,
    outputDim,
    predictInto,
    predict: (input, rows) => {
      checkPredictInput(input, rows, inputDim);
      return predictInto(input, rows, new Float32Array(rows * outputDim));
    },
    dispose: () => {},
  };
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
