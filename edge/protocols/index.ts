/** Request bodies as other serving protocols' clients send them: lenient JSON content types, Python's JSON tokens, MLflow's input forms, the Open Inference Protocol's tensors. */
export { clientJsonBody, mayBeJson, parsePythonJson } from './client-json';
export { MLFLOW_CONTENT_TYPES, mlflowError, mlflowRequestSchema, mlflowRows, type MlflowRows } from './mlflow';
export { BINARY_EXTENSION, INFERENCE_HEADER } from './oip-binary';
export {
  checkRequestedOutputs,
  inferAnswer,
  oipError,
  outputNames,
  parseInferBody,
  type InferAnswer,
  type ParsedInfer,
} from './oip-request';
export { inferSchema, tensorsToRows, type InferRequest } from './oip-tensors';
export {
  isTfServingPath,
  SERVING_DEFAULT,
  tfServingAnswer,
  tfServingError,
  tfServingMetadata,
  tfServingPredictSchema,
  tfServingRows,
  type TfServingRows,
} from './tf-serving';
