import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../../core/api/contract';
import { KeyStore } from '../../edge/keys';
import { packageFile } from '../../edge/runtime/node-package-files';
import { migrate, openDataDir, openSqlite, readMigrations } from '../../edge/store';
import { EXIT_OK, UsageError, type Command } from '../command';
import { dataDir } from '../data-folder';
import { textTable } from '../format';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'API keys of the local edge: create, list, revoke',
  usage: `flywheel keys create --scope feedback|predict|publish|admin [--name NAME] [--data DIR]
flywheel keys list [--data DIR] [--json]
flywheel keys revoke ID [--data DIR]

Manages the keys of the edge whose data folder is DIR ($FLYWHEEL_DATA, else ./.flywheel); works while
the server runs. A key's secret is printed once, at creation: only its hash is stored. A feedback key
only sends ground truth (POST /v1/models/NAME/feedback), e.g. from a labelling service; predict and
above may send it too. A revoked key stops working within 10 s on a running server.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        scope: { type: 'string' },
        name: { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const [action, ...rest] = positionals;
    const dirs = await openDataDir(dataDir(values.data));
    const db = openSqlite(dirs.dbFile);
    try {
      await migrate(db, await readMigrations(packageFile('edge/migrations')));
      const keys = new KeyStore(db, Date.now);
      if (action === 'create') {
        if (!values.scope || !SCOPES.includes(values.scope as Scope))
          throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}`);
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
      } else if (action === 'revoke') {
        if (rest.length !== 1) throw new UsageError('revoke takes one key ID');
        await keys.revoke(rest[0]);
        io.out(`revoked ${rest[0]}`);
      } else throw new UsageError(`expected create, list or revoke, got ${action ?? 'nothing'}`);
      return EXIT_OK;
    } finally {
      await db.close();
    }
  },
};
