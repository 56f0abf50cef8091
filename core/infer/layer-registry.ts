/**
 * Every layer class the lean runtime can compile, filled in one place; a class missing here makes
 * `compileLeanModel` throw `unsupported`, and `createPredictor` fall back to tfjs.
 */
import { ACTIVATION_LAYERS } from './activation-layers';
import { CORE_LAYERS } from './core-layers';
import type { LayerCompiler } from './layer-context';
import { NORMALIZATION_LAYERS } from './normalization-layers';

export const LAYER_COMPILERS: Readonly<Record<string, LayerCompiler>> = {
  ...CORE_LAYERS,
  ...NORMALIZATION_LAYERS,
  ...ACTIVATION_LAYERS,
};
