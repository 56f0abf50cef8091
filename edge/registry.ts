/**
 * The model registry over the SQL port: models, immutable versions, aliases and the canary rollout.
 * Alias and rollout moves carry a revision, so two writers racing (two isolates on Workers) cannot
 * both apply: the loser gets a conflict instead of silently overwriting.
 */
import type { ModelInfo, VersionInfo } from '../core/api/contract';
import type { Manifest } from '../core/bundle';
import { FlywheelError } from '../core/errors';
import { modelVersionStatus } from './protocols/tf-serving-status';
import type { SqlDatabase, SqlStatement } from './store/sql';

interface VersionRow {
  model: string;
  version: number;
  bundle_id: string;
  blob_key: string;
  size: number;
  manifest: string;
  created_at: string;
}

export interface StoredVersion {
  model: string;
  version: number;
  bundleId: string;
  blobKey: string;
  size: number;
  manifest: Manifest;
  createdAt: string;
}

export interface Routing {
  /** The version plain predictions go to: champion, else the latest. */
  primary: number;
  rollout: { challenger: number; weight: number } | null;
  private: boolean;
}

export class Registry {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  async modelExists(name: string): Promise<boolean> {
    return (await this.db.first('SELECT 1 AS x FROM models WHERE name = ?', [name])) !== null;
  }

  async findVersionByBundle(model: string, bundleId: string): Promise<number | null> {
    const row = await this.db.first<{ version: number }>(
      'SELECT version FROM versions WHERE model = ? AND bundle_id = ?',
      [model, bundleId],
    );
    return row?.version ?? null;
  }

  /**
   * Records a new version (the bundle is already stored under `blobKey`). The version number is the
   * next one; a racing insert of the same number fails on the primary key and is retried once.
   */
  async addVersion(
    model: string,
    bundleId: string,
    blobKey: string,
    size: number,
    manifest: Manifest,
  ): Promise<number> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const next =
        ((await this.db.first<{ v: number | null }>('SELECT MAX(version) AS v FROM versions WHERE model = ?', [model]))
          ?.v ?? 0) + 1;
      try {
        await this.db.batch([
          {
            sql: 'INSERT OR IGNORE INTO models (name, private, created_at) VALUES (?, 0, ?)',
            params: [model, this.iso()],
          },
          {
            sql: 'INSERT INTO versions (model, version, bundle_id, blob_key, size, manifest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            params: [model, next, bundleId, blobKey, size, JSON.stringify(manifest), this.iso()],
          },
        ]);
        return next;
      } catch (e) {
        const existing = await this.findVersionByBundle(model, bundleId);
        if (existing !== null) return existing;
        if (attempt === 2) throw e;
      }
    }
    throw new FlywheelError('conflict', `could not allocate a version of ${model}`);
  }

  async version(model: string, version: number): Promise<StoredVersion | null> {
    const row = await this.db.first<VersionRow>('SELECT * FROM versions WHERE model = ? AND version = ?', [
      model,
      version,
    ]);
    return row ? toStored(row) : null;
  }

  async requireVersion(model: string, version: number): Promise<StoredVersion> {
    const v = await this.version(model, version);
    if (!v)
      throw new FlywheelError('not_found', `model "${model}" has no version ${version}`, [
        { path: `${model}/versions/${version}`, message: 'no such version' },
      ]);
    return v;
  }

  /** The version `alias` points at, or null when the model has no such alias. */
  async aliasVersion(model: string, alias: string): Promise<number | null> {
    return (
      (
        await this.db.first<{ version: number }>('SELECT version FROM aliases WHERE model = ? AND alias = ?', [
          model,
          alias,
        ])
      )?.version ?? null
    );
  }

  /** Every model, or only the public ones (for a caller that may not read private models). */
  async listModels(
    includePrivate = true,
  ): Promise<{ name: string; versions: number; latest: number; champion: number | null }[]> {
    return this.db.all(`SELECT m.name AS name, COUNT(v.version) AS versions, MAX(v.version) AS latest,
      (SELECT version FROM aliases a WHERE a.model = m.name AND a.alias = 'champion') AS champion
      FROM models m LEFT JOIN versions v ON v.model = m.name ${includePrivate ? '' : 'WHERE m.private = 0'} GROUP BY m.name ORDER BY m.name`);
  }

  /** Names of the private models. */
  async privateModels(): Promise<Set<string>> {
    return new Set(
      (await this.db.all<{ name: string }>('SELECT name FROM models WHERE private = 1')).map((r) => r.name),
    );
  }

  async describe(model: string): Promise<ModelInfo> {
    const m = await this.db.first<{ name: string; private: number; policy: string | null }>(
      'SELECT name, private, policy FROM models WHERE name = ?',
      [model],
    );
    if (!m) throw notFound(model);
    const versions = await this.db.all<VersionRow>('SELECT * FROM versions WHERE model = ? ORDER BY version', [model]);
    const aliases = await this.db.all<{ alias: string; version: number }>(
      'SELECT alias, version FROM aliases WHERE model = ? ORDER BY alias',
      [model],
    );
    const rollout = await this.db.first<{ challenger: number; weight: number }>(
      'SELECT challenger, weight FROM rollouts WHERE model = ?',
      [model],
    );
    return {
      name: m.name,
      private: m.private === 1,
      versions: versions.map((r): VersionInfo => {
        const manifest = JSON.parse(r.manifest) as Manifest;
        return {
          version: r.version,
          bundle_id: r.bundle_id,
          task: manifest.task,
          metrics: manifest.metrics,
          size: r.size,
          created_at: r.created_at,
        };
      }),
      aliases: Object.fromEntries(aliases.map((a) => [a.alias, a.version])),
      rollout: rollout && rollout.weight > 0 ? { challenger: rollout.challenger, weight: rollout.weight } : null,
      policy: m.policy ? JSON.parse(m.policy) : null,
      ready: versions.length > 0,
      model_version_status: modelVersionStatus(versions.map((r) => r.version)),
    };
  }

  /** Where a model's traffic goes now. */
  async routing(model: string): Promise<Routing | null> {
    const row = await this.db.first<{
      private: number;
      champion: number | null;
      latest: number | null;
      challenger: number | null;
      weight: number | null;
    }>(
      `SELECT m.private AS private,
        (SELECT version FROM aliases WHERE model = m.name AND alias = 'champion') AS champion,
        (SELECT MAX(version) FROM versions WHERE model = m.name) AS latest,
        r.challenger AS challenger, r.weight AS weight
       FROM models m LEFT JOIN rollouts r ON r.model = m.name WHERE m.name = ?`,
      [model],
    );
    if (!row || row.latest === null) return null;
    return {
      primary: row.champion ?? row.latest,
      rollout:
        row.challenger !== null && (row.weight ?? 0) > 0 ? { challenger: row.challenger, weight: row.weight! } : null,
      private: row.private === 1,
    };
  }

  /** Points `alias` at `version`; returns the version it pointed at before (null if none). */
  async setAlias(model: string, alias: string, version: number): Promise<number | null> {
    await this.requireVersion(model, version);
    const before = await this.db.first<{ version: number; revision: number }>(
      'SELECT version, revision FROM aliases WHERE model = ? AND alias = ?',
      [model, alias],
    );
    const { changes } = before
      ? await this.db.run(
          'UPDATE aliases SET version = ?, revision = revision + 1, updated_at = ? WHERE model = ? AND alias = ? AND revision = ?',
          [version, this.iso(), model, alias, before.revision],
        )
      : await this.db.run(
          'INSERT OR IGNORE INTO aliases (model, alias, version, revision, updated_at) VALUES (?, ?, ?, 1, ?)',
          [model, alias, version, this.iso()],
        );
    if (changes !== 1)
      throw new FlywheelError(
        'conflict',
        `alias "${alias}" of ${model} was moved by someone else meanwhile; read it again and retry`,
        [{ path: `aliases/${alias}`, message: 'concurrent update' }],
      );
    return before?.version ?? null;
  }

  /**
   * Sets the canary and, when its weight is above 0, points the `challenger` alias at it, in one
   * atomic batch guarded by the rollout's revision (read here, or the caller's `expectedRevision`;
   * 0 means "no rollout yet"). When another writer (another isolate) changed the rollout meanwhile,
   * nothing is written and it throws `conflict`: two racing steps cannot both apply, and the rollout
   * and the alias never disagree. Returns the new revision.
   */
  async setRollout(model: string, challenger: number, weight: number, expectedRevision?: number): Promise<number> {
    await this.requireVersion(model, challenger);
    const expected =
      expectedRevision ??
      (await this.db.first<{ revision: number }>('SELECT revision FROM rollouts WHERE model = ?', [model]))?.revision ??
      0;
    const at = this.iso();
    const statements: SqlStatement[] = [
      expected === 0
        ? {
            sql: 'INSERT OR IGNORE INTO rollouts (model, challenger, weight, revision, updated_at) VALUES (?, ?, ?, 1, ?)',
            params: [model, challenger, weight, at],
          }
        : {
            sql: 'UPDATE rollouts SET challenger = ?, weight = ?, revision = revision + 1, updated_at = ? WHERE model = ? AND revision = ?',
            params: [challenger, weight, at, model, expected],
          },
    ];
    if (weight > 0) {
      // `changes()` is the row count of the statement before, in the same transaction: a lost race moves no alias.
      statements.push({
        sql: `INSERT INTO aliases (model, alias, version, revision, updated_at) SELECT ?, 'challenger', ?, 1, ? WHERE changes() = 1
              ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, revision = aliases.revision + 1, updated_at = excluded.updated_at`,
        params: [model, challenger, at],
      });
    }
    const [{ changes }] = await this.db.batch(statements);
    if (changes !== 1)
      throw new FlywheelError(
        'conflict',
        `the rollout of ${model} was changed by someone else meanwhile; read it again and retry`,
        [{ path: 'rollout', message: 'concurrent update' }],
      );
    return expected + 1;
  }

  async setPrivate(model: string, isPrivate: boolean): Promise<void> {
    const { changes } = await this.db.run('UPDATE models SET private = ? WHERE name = ?', [isPrivate ? 1 : 0, model]);
    if (changes !== 1) throw notFound(model);
  }

  /** Stores a model's automation policy as the JSON it was sent as (parsed and checked by the caller). */
  async setPolicy(model: string, policy: unknown): Promise<void> {
    const { changes } = await this.db.run('UPDATE models SET policy = ? WHERE name = ?', [
      JSON.stringify(policy),
      model,
    ]);
    if (changes !== 1) throw notFound(model);
  }

  /** Every model that has an automation policy, with the policy's JSON as stored. */
  async policies(): Promise<{ name: string; policy: unknown }[]> {
    const rows = await this.db.all<{ name: string; policy: string }>(
      'SELECT name, policy FROM models WHERE policy IS NOT NULL',
    );
    return rows.map((r) => ({ name: r.name, policy: JSON.parse(r.policy) as unknown }));
  }

  /** When the champion alias last moved (epoch ms); 0 when the model has none. */
  async championSince(model: string): Promise<number> {
    const row = await this.db.first<{ updated_at: string }>(
      "SELECT updated_at FROM aliases WHERE model = ? AND alias = 'champion'",
      [model],
    );
    return row ? Date.parse(row.updated_at) : 0;
  }
}

function toStored(row: VersionRow): StoredVersion {
  return {
    model: row.model,
    version: row.version,
    bundleId: row.bundle_id,
    blobKey: row.blob_key,
    size: row.size,
    manifest: JSON.parse(row.manifest) as Manifest,
    createdAt: row.created_at,
  };
}

export function notFound(model: string): FlywheelError {
  return new FlywheelError('not_found', `no model named "${model}"`, [{ path: model, message: 'no such model' }]);
}
