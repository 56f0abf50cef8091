import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCorsOrigins } from '../../edge/cors';
import { parseAllowedHosts } from '../../edge/runtime/node-allowed-hosts';
import { startNodeEdge } from '../../edge/runtime/node';
import { UsageError, type Command } from '../command';
import { dataDir } from '../data-folder';
import { PACKAGE_VERSION } from '../version';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The edge's port (Wrangler's default, so local and deployed URLs look alike). */
const DEFAULT_PORT = 8787;

export const startCommand: Command = {
  name: 'start',
  summary: 'serve the web app and the edge API on one port',
  usage: `flywheel start [--port 8787] [--host 127.0.0.1] [--allowed-hosts NAMES] [--data DIR]

Serves the notebook (the built web app in dist/web; \`npm start\` builds it first) and the edge API.
Data lives in DIR, or $FLYWHEEL_DATA, or ./.flywheel. Pages of any origin may call the API
(keys travel in the Authorization header); $FLYWHEEL_CORS_ORIGINS, a comma-separated list of
origins, narrows that. On a loopback --host (the default) only requests whose Host is a localhost
name or an IP address are answered, against DNS rebinding; --allowed-hosts (or
$FLYWHEEL_ALLOWED_HOSTS), a comma-separated list of host names (.example.com: any subdomain; *: any
host), allows more.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allowed-hosts': { type: 'string' },
        data: { type: 'string' },
      },
      strict: true,
    });
    const port = values.port === undefined ? Number(process.env.PORT ?? DEFAULT_PORT) : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number, got "${values.port}"`);
    const corsOrigins = parseCorsOrigins(process.env.FLYWHEEL_CORS_ORIGINS);
    const given = values['allowed-hosts'] ?? process.env.FLYWHEEL_ALLOWED_HOSTS;
    const allowedHosts =
      given === undefined
        ? undefined
        : parseAllowedHosts(
            given,
            values['allowed-hosts'] === undefined ? 'FLYWHEEL_ALLOWED_HOSTS' : '--allowed-hosts',
          );
    const edge = await startNodeEdge({
      port,
      host: values.host,
      allowedHosts,
      dataDir: dataDir(values.data),
      webRoot: path.join(repoRoot, 'dist', 'web'),
      version: PACKAGE_VERSION,
      corsOrigins,
    });
    io.err(`Flywheel is running at ${edge.url}\n`);
    if (edge.adminKey) {
      io.err(
        `\nFirst start: created an admin API key (shown once; also saved to ${edge.adminKeyFile}, mode 0600):\n\n  ${edge.adminKey}\n\n`,
      );
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await edge.close();
    return 0;
  },
};
