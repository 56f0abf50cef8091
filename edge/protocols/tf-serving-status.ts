/** TF Serving's model status (GetModelStatusResponse), which the native `GET /v1/models/{name}[/versions/{v}]` carries too. */
import type { ModelVersionStatus } from '../../core/api/contract';

/** The status of `versions`: every stored version is available (a version loads on its first request). */
export function modelVersionStatus(versions: readonly number[]): ModelVersionStatus[] {
  return versions.map((v) => ({
    version: String(v),
    state: 'AVAILABLE',
    status: { error_code: 'OK', error_message: '' },
  }));
}
