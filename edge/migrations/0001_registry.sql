-- The model registry, keys, audit events, telemetry rollups and the prediction log.
-- One dialect for SQLite (Node) and D1 (Workers): the same files run on both.

CREATE TABLE models (
  name TEXT PRIMARY KEY,
  private INTEGER NOT NULL DEFAULT 0,
  policy TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE versions (
  model TEXT NOT NULL REFERENCES models(name),
  version INTEGER NOT NULL,
  bundle_id TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  size INTEGER NOT NULL,
  manifest TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (model, version),
  UNIQUE (model, bundle_id)
);

-- Named pointers (champion, challenger); revision guards concurrent moves (optimistic concurrency).
CREATE TABLE aliases (
  model TEXT NOT NULL REFERENCES models(name),
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (model, alias)
);

CREATE TABLE rollouts (
  model TEXT PRIMARY KEY REFERENCES models(name),
  challenger INTEGER NOT NULL,
  weight REAL NOT NULL,
  state TEXT,
  revision INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL,
  name TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  model TEXT NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  reason TEXT NOT NULL,
  data TEXT
);
CREATE INDEX events_by_model ON events (model, id);

-- One row per (model, version, minute) per flush; reads merge them over the window.
CREATE TABLE telemetry (
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  minute INTEGER NOT NULL,
  rollup TEXT NOT NULL
);
CREATE INDEX telemetry_by_window ON telemetry (model, minute);

-- Every served row, so feedback can join ground truth to what was predicted (and retraining can use it).
CREATE TABLE predictions (
  request_id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  prediction TEXT NOT NULL,
  features TEXT NOT NULL
);
CREATE INDEX predictions_by_time ON predictions (model, at);

CREATE TABLE feedback (
  request_id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  label TEXT NOT NULL,
  correct INTEGER,
  abs_error REAL,
  sq_error REAL
);
CREATE INDEX feedback_by_time ON feedback (model, at);
