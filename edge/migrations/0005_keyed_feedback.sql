-- Feedback that a client cannot steer:
-- * `settings` holds server-side values created once per deployment, such as the secret that keys
--   the verification reserve (edge/automation/reserve.ts), so a client's request ids alone no longer
--   decide which of its rows judge a challenger.
-- * The prediction log and feedback are keyed by (model, request_id): a client chooses its
--   `x-request-id`, and two models served under the same one each keep their row (before, the second
--   was ignored as a duplicate and its feedback came back unmatched).
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE predictions_by_model (
  request_id TEXT NOT NULL,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  prediction TEXT NOT NULL,
  features TEXT NOT NULL,
  PRIMARY KEY (model, request_id)
);
INSERT INTO predictions_by_model (request_id, model, version, at, prediction, features) SELECT request_id, model, version, at, prediction, features FROM predictions;
DROP TABLE predictions;
ALTER TABLE predictions_by_model RENAME TO predictions;

CREATE TABLE feedback_by_model (
  request_id TEXT NOT NULL,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  label TEXT NOT NULL,
  correct INTEGER,
  abs_error REAL,
  sq_error REAL,
  PRIMARY KEY (model, request_id)
);
INSERT INTO feedback_by_model (request_id, model, version, at, label, correct, abs_error, sq_error) SELECT request_id, model, version, at, label, correct, abs_error, sq_error FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_by_model RENAME TO feedback;
CREATE INDEX feedback_by_time ON feedback (model, at);
