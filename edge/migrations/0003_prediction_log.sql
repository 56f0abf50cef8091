-- The prediction log's (model, at) index: no query uses it, and every logged row paid for a third
-- B-tree insert (the table and its request_id key are the other two).
DROP INDEX IF EXISTS predictions_by_time;
