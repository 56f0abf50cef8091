-- The prediction log, rebuilt as one B-tree keyed by request id (WITHOUT ROWID): a rowid table kept
-- a second B-tree for the primary key, so every logged row cost two inserts; and the (model, at)
-- index, which no query used, a third. Request ids are time-ordered (UUID v7), so rows are appended.
CREATE TABLE predictions_by_id (
  request_id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  prediction TEXT NOT NULL,
  features TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO predictions_by_id (request_id, model, version, at, prediction, features)
  SELECT request_id, model, version, at, prediction, features FROM predictions;
DROP TABLE predictions;
ALTER TABLE predictions_by_id RENAME TO predictions;
