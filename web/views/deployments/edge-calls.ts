/**
 * Edge calls the typed client does not have yet: a version's manifest (`GET …/versions/{v}`, for the
 * signature and the drift baseline) and a prediction whose raw answer, status and headers the
 * "Try it" panel shows as they are, errors included.
 */
import type { EdgeClient } from '../../../core/api/client';
import type { ErrorBody } from '../../../core/api/contract';
import type { Manifest } from '../../../core/bundle/manifest';
import { FlywheelError, type ErrorCode } from '../../../core/errors';

export interface VersionDetail {
  model: string;
  version: number;
  bundle_id: string;
  size: number;
  created_at: string;
  manifest: Manifest;
}

/** A version's record with its manifest; edge errors become FlywheelErrors with the edge's code and message. */
export async function versionDetail(client: EdgeClient, name: string, version: number): Promise<VersionDetail> {
  const res = await client.raw('GET', `/v1/models/${encodeURIComponent(name)}/versions/${version}`);
  const body = (await res.json().catch(() => null)) as VersionDetail | ErrorBody | null;
  if (!res.ok || body === null || 'error' in body) {
    const err = body && 'error' in body ? body.error : null;
    throw new FlywheelError(
      (err?.code ?? 'internal') as ErrorCode,
      err?.message ?? `HTTP ${res.status} reading ${name} v${version}`,
      err?.details ?? [],
    );
  }
  return body;
}

export interface RawPrediction {
  status: number;
  body: unknown;
  modelVersion: string | null;
  requestId: string | null;
  ms: number;
}

/** POSTs `body` to the model's predict endpoint and returns the answer whatever its status. */
export async function predictRaw(client: EdgeClient, name: string, body: unknown): Promise<RawPrediction> {
  const t0 = performance.now();
  const res = await client.raw('POST', `/v1/models/${encodeURIComponent(name)}/predict`, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): shown as the text it is.
  }
  return {
    status: res.status,
    body: parsed,
    modelVersion: res.headers.get('x-model-version'),
    requestId: res.headers.get('x-request-id'),
    ms: performance.now() - t0,
  };
}
