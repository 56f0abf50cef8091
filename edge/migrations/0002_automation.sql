-- Automation: the retrain job queue (leases, retries) and each model's automation state
-- (last trigger, challenger awaiting verification, the rollout in progress), which survives restarts.

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  runner TEXT,
  lease_until INTEGER,
  not_before INTEGER NOT NULL,
  payload TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_by_status ON jobs (status, not_before);
CREATE INDEX jobs_by_model ON jobs (model, status);

CREATE TABLE automation (
  model TEXT PRIMARY KEY REFERENCES models(name),
  state TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);
