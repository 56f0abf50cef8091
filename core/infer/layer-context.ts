/**
 * What a layer compiler sees: the layer's config, the shape of one input row, and its weights by
 * parameter name. Config and weight problems become errors that name the layer, so a user can find it
 * in model.json: `bad_model` for a broken file, `unsupported` for a valid model the lean runtime cannot run.
 */
import { FlywheelError } from '../errors';
import { activationByName, ACTIVATION_NAMES, type ActivationFn } from './activations';
import type { DenseBackend } from './dense-backend';
import type { LayerJson } from './layers-format';
import type { LeanOp } from './lean-op';
import type { DecodedWeight } from './weights';

export interface CompiledLayer {
  /** Shape of one output row. */
  outShape: number[];
  ops: LeanOp[];
}

export type LayerCompiler = (ctx: LayerContext) => CompiledLayer;

export class LayerContext {
  readonly name: string;
  readonly config: Record<string, unknown>;
  /** Floats in one input row. */
  readonly inSize: number;

  constructor(
    readonly layer: LayerJson,
    readonly index: number,
    readonly inShape: number[],
    private readonly weights: Map<string, DecodedWeight>,
    private readonly used: Set<string>,
    /** Where Dense layers run (JS or WebAssembly). */
    readonly denseBackend: DenseBackend,
  ) {
    this.config = layer.config;
    this.name = String(layer.config.name ?? layer.name ?? `layer ${index}`);
    this.inSize = inShape.reduce((a, b) => a * b, 1);
  }

  /** Size of the last axis of the input. */
  get lastDim(): number {
    return this.inShape[this.inShape.length - 1];
  }

  /** The weight `<layer name>/<param>`, which must exist with exactly `shape`. */
  weight(param: string, shape: number[]): Float32Array {
    const key = `${this.name}/${param}`;
    const w = this.weights.get(key);
    if (!w) throw this.badModel(`has no weight "${key}" in the weights manifest`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
      throw this.badModel(`weight "${key}" has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    this.used.add(key);
    return w.values;
  }

  /** A config number, `fallback` when absent or null. */
  number(key: string, fallback: number): number {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw this.badModel(`config.${key} must be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  /** The in-place function of the activation named in config (null for linear). */
  activation(key = 'activation'): ActivationFn | null {
    const fn = activationByName(this.config[key]);
    if (fn === undefined) {
      throw this.unsupported(
        `activation ${JSON.stringify(this.config[key])} (supported: ${ACTIVATION_NAMES.join(', ')})`,
      );
    }
    return fn;
  }

  /**
   * Whether a Keras `axis` config (an index counting the batch axis, negative from the end, or a
   * one-element list of one) means the last axis — the only axis the lean normalisations support.
   */
  isLastAxis(axis: unknown): boolean {
    const a = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
    return a === -1 || a === this.inShape.length;
  }

  badModel(message: string): FlywheelError {
    const path = `modelTopology.config.layers[${this.index}]`;
    return new FlywheelError('bad_model', `layer "${this.name}" (${this.layer.class_name}) ${message}`, [
      { path, message },
    ]);
  }

  unsupported(what: string): FlywheelError {
    const path = `modelTopology.config.layers[${this.index}]`;
    return new FlywheelError(
      'unsupported',
      `layer "${this.name}" (${this.layer.class_name}): the lean runtime does not support ${what}`,
      [{ path, message: what }],
    );
  }
}
