import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EdgeClient } from '../../core/api/client';
import { SCOPES, type CreatedKey, type KeyInfo, type Scope } from '../../core/api/contract';
import { FlywheelError } from '../../core/errors';
import { KeyStore } from '../../edge/keys';
import { packageFile } from '../../edge/runtime/node-package-files';
import { DB_FILE, migrate, openDataDir, openSqlite, readMigrations } from '../../edge/store';
import { EXIT_OK, UsageError, edgeUrl, type Command } from '../command';
import { dataDir } from '../data-folder';
import { textTable } from '../format';

/** What the command does to keys, on the local data folder or over HTTP. */
interface Keys {
  create(scope: Scope, name: string | null): Promise<CreatedKey>;
  list(): Promise<KeyInfo[]>;
  revoke(id: string): Promise<void>;
  close(): Promise<void>;
}

async function localKeys(dir: string | undefined): Promise<Keys> {
  const folder = dataDir(dir);
  // A key made in a folder no edge uses would be refused by the edge that runs: say so instead.
  if (!existsSync(path.join(folder, DB_FILE)))
    throw new FlywheelError(
      'not_found',
      `${folder} holds no edge's data (no ${DB_FILE}): start the edge there first (flywheel start${dir ? ` --data ${dir}` : ''}), or name its folder with --data (or $FLYWHEEL_DATA), or an edge at a URL with --edge`,
      [{ path: folder, message: 'no edge data' }],
    );
  const dirs = await openDataDir(folder);
  const db = openSqlite(dirs.dbFile);
  try {
    await migrate(db, await readMigrations(packageFile('edge/migrations')));
  } catch (e) {
    await db.close();
    throw e;
  }
  const keys = new KeyStore(db, Date.now);
  return {
    create: (scope, name) => keys.create(scope, name),
    list: () => keys.list(),
    revoke: (id) => keys.revoke(id),
    close: () => db.close(),
  };
}

function edgeKeys(url: string, key: string | undefined): Keys {
  const client = new EdgeClient(url, { key });
  return {
    create: (scope, name) => client.createKey(scope, name ?? undefined),
    list: async () => (await client.listKeys()).keys,
    revoke: async (id) => void (await client.revokeKey(id)),
    close: async () => {},
  };
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'API keys of the local edge or of one at a URL: create, list, revoke',
  usage: `flywheel keys create --scope feedback|predict|publish|admin [--name NAME] [--data DIR | --edge URL [--key K]]
flywheel keys list [--data DIR | --edge URL [--key K]] [--json]
flywheel keys revoke ID [--data DIR | --edge URL [--key K]]

Manages the keys of the edge whose data folder is DIR ($FLYWHEEL_DATA, else ./.flywheel; works while
the server runs), or with --edge those of the edge at URL (a Cloudflare Worker, say) through its API,
with an admin key (--key, default $FLYWHEEL_KEY). A key's secret is printed once, at creation: only its
hash is stored. A feedback key only sends ground truth (POST /v1/models/NAME/feedback), e.g. from a
labelling service; predict and above may send it too. A revoked key stops working at once on the edge
that revoked it, within 10 s elsewhere (another process, other Workers isolates). Through --edge the
last admin key cannot be revoked.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        scope: { type: 'string' },
        name: { type: 'string' },
        data: { type: 'string' },
        edge: { type: 'string' },
        key: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const [action, ...rest] = positionals;
    if (!['create', 'list', 'revoke'].includes(action ?? ''))
      throw new UsageError(`expected create, list or revoke, got ${action ?? 'nothing'}`);
    if (values.edge && values.data) throw new UsageError('--data and --edge name two edges: give one');
    if (values.key && !values.edge) throw new UsageError('--key is for --edge: the local data folder needs none');
    if (action === 'create' && (!values.scope || !SCOPES.includes(values.scope as Scope)))
      throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}`);
    if (action === 'revoke' && rest.length !== 1) throw new UsageError('revoke takes one key ID');
    const keys = values.edge
      ? edgeKeys(edgeUrl(values.edge), values.key ?? process.env.FLYWHEEL_KEY)
      : await localKeys(values.data);
    try {
      if (action === 'create') {
        const k = await keys.create(values.scope as Scope, values.name ?? null);
        io.out(
          values.json ? JSON.stringify(k) : `created ${k.id} (${k.scope}); the key is shown only now:\n\n  ${k.key}\n`,
        );
      } else if (action === 'list') {
        const list = await keys.list();
        io.out(
          values.json
            ? JSON.stringify(list)
            : textTable(
                ['id', 'scope', 'name', 'created', 'revoked'],
                list.map((k) => [k.id, k.scope, k.name ?? '', k.created_at, k.revoked_at ?? '']),
              ),
        );
      } else {
        await keys.revoke(rest[0]);
        io.out(`revoked ${rest[0]}`);
      }
      return EXIT_OK;
    } finally {
      await keys.close();
    }
  },
};
