/**
 * One bundle served as `mlflow models serve` serves a model: the whole Node edge over a throwaway
 * data folder (removed on close), the bundle published on start, and MLflow's own routes for it.
 * Nothing persists and no key is needed to predict: the smallest way to run a bundle in a container.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EdgeClient } from '../../core/api/client';
import { readBundle } from '../../core/bundle';
import { mlflowServerRoutes } from '../routes/mlflow';
import { modelName } from '../routes/registry';
import { startNodeEdge, type NodeEdgeOptions } from './node';

export interface ServeBundleOptions extends Pick<NodeEdgeOptions, 'port' | 'host' | 'version' | 'corsOrigins'> {
  bundle: Uint8Array;
  /** Where the bundle came from, for error messages. */
  source: string;
  /** The model's name in URLs; default the bundle's own. */
  name?: string;
}

export interface ServedBundle {
  url: string;
  model: string;
  version: number;
  close(): Promise<void>;
}

export async function serveBundle(options: ServeBundleOptions): Promise<ServedBundle> {
  const bundle = await readBundle(options.bundle, options.source);
  const model = modelName(options.name ?? bundle.manifest.name);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-serve-'));
  const removeData = () => rm(dataDir, { recursive: true, force: true });
  try {
    const edge = await startNodeEdge({
      port: options.port,
      host: options.host,
      dataDir,
      version: options.version,
      corsOrigins: options.corsOrigins,
      // One fixed bundle: no retraining, no rollouts to judge.
      autoTick: false,
      // It hands out no keys, so a client's bearer token (from a gateway in front, say) is not ours to judge.
      ignoreUnknownKeys: true,
      routes: (services) => mlflowServerRoutes(services, model),
    });
    const close = async () => {
      await edge.close();
      await removeData();
    };
    try {
      const published = await new EdgeClient(edge.url, { key: edge.adminKey ?? undefined }).publish(
        model,
        options.bundle,
      );
      return { url: edge.url, model, version: published.version, close };
    } catch (e) {
      await close();
      throw e;
    }
  } catch (e) {
    await removeData();
    throw e;
  }
}
