import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FlywheelError, errorMessage } from '../../core/errors';
import { parseCorsOrigins } from '../../edge/cors';
import { serveBundle } from '../../edge/runtime/node-serve-bundle';
import { UsageError, single, type Command } from '../command';
import { PACKAGE_VERSION } from '../version';

/** MLflow's default port for `mlflow models serve`, which this command stands in for. */
const DEFAULT_PORT = 5000;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve one bundle, no database (like mlflow models serve)',
  usage: `flywheel serve BUNDLE [--port 5000] [--host 127.0.0.1] [--name NAME]

Serves BUNDLE as model NAME (default: the bundle's own name) with nothing kept on disk:
  POST /invocations             MLflow's scoring protocol (JSON or CSV)
  GET  /ping, /health, /version MLflow's health and version probes
and the edge's own, TF Serving / KServe V1 and Open Inference Protocol (V2) routes for that model,
e.g. POST /v1/models/NAME:predict and POST /v2/models/NAME/infer. No key is needed to predict, and
an Authorization header a client sends (a gateway's token, a proxy's Basic auth) is ignored.
$FLYWHEEL_CORS_ORIGINS narrows which pages may call it, as for \`flywheel start\`.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { port: { type: 'string' }, host: { type: 'string' }, name: { type: 'string' } },
    });
    const file = single(positionals, 'BUNDLE');
    const port = values.port === undefined ? Number(process.env.PORT ?? DEFAULT_PORT) : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number, got "${values.port}"`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (e) {
      throw new FlywheelError('bad_bundle', `could not read ${file}: ${errorMessage(e)}`, [
        { path: file, message: 'unreadable' },
      ]);
    }
    const served = await serveBundle({
      bundle: bytes,
      source: file,
      name: values.name,
      port,
      host: values.host,
      version: PACKAGE_VERSION,
      corsOrigins: parseCorsOrigins(process.env.FLYWHEEL_CORS_ORIGINS),
    });
    io.err(`Serving ${served.model} v${served.version} at ${served.url} (POST ${served.url}/invocations)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await served.close();
    return 0;
  },
};
