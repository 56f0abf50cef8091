/** Request bodies as other serving protocols' clients send them: lenient JSON content types, Python's JSON tokens, MLflow's input forms. */
export { clientJsonBody, mayBeJson, parsePythonJson } from './client-json';
export { MLFLOW_CONTENT_TYPES, mlflowError, mlflowRequestSchema, mlflowRows, type MlflowRows } from './mlflow';
export { isTfServingPath, SERVING_DEFAULT, tfServingAnswer, tfServingError, tfServingMetadata, tfServingPredictSchema, tfServingRows, type TfServingRows } from './tf-serving';
