/**
 * The tfjs backend a test file runs on: vitest.config.ts runs the core/model tests once per backend
 * that Node has (cpu and wasm), as tfjs runs every test on every backend, and names it in TFJS_BACKEND.
 */
import { useNodeBackend, type NodeBackend } from '../../cli/tfjs-node';

export const TEST_BACKEND = (process.env.TFJS_BACKEND ?? 'cpu') as NodeBackend;

export function useTestBackend(): Promise<NodeBackend> {
  return useNodeBackend(TEST_BACKEND);
}
