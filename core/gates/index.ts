/** Model gates, TFMA-style: value and change-vs-champion thresholds on metrics, and the report of every check. */
export { gateSpecSchema, gatesSchema, parseGates, type ChangeThreshold, type GateSpec } from './spec';
export type { GateCheck, GateCheckKind, GateReport } from './report';
export { GATE_TOLERANCE } from './checks';
export { improvement, improvementRatio } from './improvement';
export { evaluateGates } from './evaluate';
export { jsonPath } from './zod-details';
