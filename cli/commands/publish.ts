import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EdgeClient } from '../../core/api/client';
import { readBundle } from '../../core/bundle';
import { FlywheelError, errorMessage } from '../../core/errors';
import { EXIT_FAILED, EXIT_OK, UsageError, edgeUrl, single, type Command } from '../command';

export const publishCommand: Command = {
  name: 'publish',
  summary: 'upload a bundle to an edge',
  usage: `flywheel publish BUNDLE --edge URL [--key K] [--name NAME] [--force] [--json]

Verifies BUNDLE locally, then uploads it as a new version of NAME (default: the bundle's own name).
The key needs the publish scope; it defaults to $FLYWHEEL_KEY. Publishing the same bundle twice is a no-op.
A bundle whose gates failed when it was trained is not published (exit 1) unless --force.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        edge: { type: 'string' },
        key: { type: 'string' },
        name: { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    const file = single(positionals, 'BUNDLE');
    if (!values.edge) throw new UsageError('--edge URL is required (e.g. http://127.0.0.1:8787)');
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (e) {
      throw new FlywheelError('bad_bundle', `could not read ${file}: ${errorMessage(e)}`, [
        { path: file, message: 'unreadable' },
      ]);
    }
    const bundle = await readBundle(bytes, file);
    const gates = bundle.manifest.gates;
    // What a gate is for: the first version of a model would start serving as its champion.
    if (gates && !gates.passed && !values.force) {
      io.err(
        `flywheel publish: ${file} failed its gates when it was trained (${gates.summary}); not published. Publish it anyway with --force.\n`,
      );
      return EXIT_FAILED;
    }
    const name = values.name ?? bundle.manifest.name;
    const client = new EdgeClient(edgeUrl(values.edge), { key: values.key ?? process.env.FLYWHEEL_KEY });
    const res = await client.publish(name, bytes);
    if (values.json) io.out(JSON.stringify(res));
    else
      io.out(
        res.created
          ? `published ${name} v${res.version} (bundle ${res.bundle_id.slice(0, 12)}) to ${values.edge}`
          : `${name} v${res.version} already holds this bundle (${res.bundle_id.slice(0, 12)}); nothing to do`,
      );
    return EXIT_OK;
  },
};
