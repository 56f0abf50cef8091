/**
 * The edges the app talks to: this server (the same origin, always first) and others added in
 * Settings, each with an optional API key kept in the `edges` setting so the app asks for a key once.
 * Also turns an edge's failures into messages that say what to do (wrong key, missing scope, down).
 */
import { EdgeClient } from '../../core/api/client';
import type { Scope } from '../../core/api/contract';
import { FlywheelError, errorMessage, isFlywheelError } from '../../core/errors';
import { getSetting, setSetting, type EdgeTarget } from './db';

/** The settings key holding every configured edge (the same-origin one only once it has a key). */
export const EDGES_SETTING = 'edges';
/** Name shown for the edge that served the app. */
export const SAME_ORIGIN_NAME = 'This server';

/** An edge's base URL in one canonical form (no trailing slash), or `bad_input` naming the field. */
export function normalizeEdgeUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FlywheelError('bad_input', `"${text}" is not a URL; an edge URL looks like https://edge.example.com`, [
      { path: 'url', message: 'not a URL' },
    ]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FlywheelError('bad_input', `an edge URL must start with http:// or https://, got "${text}"`, [
      { path: 'url', message: 'not http(s)' },
    ]);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The configured edges with the same origin first (added when missing), de-duplicated by URL. */
export function withSameOrigin(edges: readonly EdgeTarget[], origin: string): EdgeTarget[] {
  const own = edges.find((e) => e.url === origin) ?? { name: SAME_ORIGIN_NAME, url: origin };
  const seen = new Set([origin]);
  const others = edges.filter((e) => !seen.has(e.url) && seen.add(e.url));
  return [own, ...others];
}

/** Every edge the app knows, this server first. */
export async function listEdges(): Promise<EdgeTarget[]> {
  return withSameOrigin(await getSetting<EdgeTarget[]>(EDGES_SETTING, []), location.origin);
}

/** Adds or replaces (by URL, or by `previousUrl` when the URL itself changed) an edge. */
export async function saveEdge(edge: EdgeTarget, previousUrl = edge.url): Promise<void> {
  const edges = await listEdges();
  const clean: EdgeTarget = {
    name: edge.name.trim() || edge.url,
    url: normalizeEdgeUrl(edge.url),
    ...(edge.key?.trim() ? { key: edge.key.trim() } : {}),
  };
  const at = edges.findIndex((e) => e.url === previousUrl);
  if (at >= 0) edges[at] = clean;
  else edges.push(clean);
  await setSetting(EDGES_SETTING, withSameOrigin(edges, location.origin));
}

/** Forgets an edge and its key; the same origin comes back (without a key) on the next listing. */
export async function removeEdge(url: string): Promise<void> {
  await setSetting(
    EDGES_SETTING,
    (await listEdges()).filter((e) => e.url !== url),
  );
}

/** Keeps `key` for the edge at `url` (asked for once, then reused for publish and admin calls). */
export async function setEdgeKey(url: string, key: string): Promise<void> {
  const edge = (await listEdges()).find((e) => e.url === url);
  if (!edge)
    throw new FlywheelError('not_found', `no edge with URL ${url} is configured`, [
      { path: 'url', message: 'unknown edge' },
    ]);
  await saveEdge({ ...edge, key });
}

/** The typed client of an edge, with its saved key when there is one. */
export function edgeClient(edge: EdgeTarget): EdgeClient {
  return new EdgeClient(edge.url, edge.key ? { key: edge.key } : {});
}

/** Whether an error means the key is missing, wrong or lacks a scope: the cue to ask for a key. */
export function isKeyProblem(e: unknown): boolean {
  return isFlywheelError(e) && (e.code === 'unauthorized' || e.code === 'forbidden');
}

/**
 * A message for an edge call that failed, saying what to do next: give a key with the `need` scope
 * (401), use a key with more scope (403), or check that the edge runs and allows this page (network).
 */
export function describeEdgeError(e: unknown, edge: EdgeTarget, need: Scope): string {
  if (!isFlywheelError(e)) return errorMessage(e);
  if (e.code === 'unauthorized') {
    return `${edge.name} refused the request: ${e.message}. ${edge.key ? 'The saved key is wrong or revoked; enter' : 'Enter'} a key with the "${need}" scope.`;
  }
  if (e.code === 'forbidden')
    return `${edge.name} refused the request: ${e.message}. Enter a key with the "${need}" scope.`;
  if (e.details.some((d) => d.message === 'unreachable')) {
    const cross = typeof location !== 'undefined' && !edge.url.startsWith(location.origin);
    return `Cannot reach ${edge.url}: is the edge running${cross ? ', and does it allow requests from this page (CORS)' : ''}?`;
  }
  return e.message;
}

/** Liveness and model count of an edge: what Settings' "Test connection" shows. */
export async function checkEdge(edge: EdgeTarget): Promise<{ version: string; models: number }> {
  const client = edgeClient(edge);
  const health = await client.health();
  const list = await client.listModels();
  return { version: health.version, models: list.models.length };
}
