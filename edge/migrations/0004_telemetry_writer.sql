-- Telemetry: one row per (model, version, minute, writer), rewritten by each flush with the minute so
-- far, instead of a new row per flush. Under load every flush's row carried full reservoir samples,
-- so a busy model version added ~60 rows of several hundred KB a minute, and reading a window parsed
-- them all. The writer is one process (Node) or isolate (Workers), so two never overwrite each
-- other's row. Rows from before keep an empty writer and stay out of the unique index, so the
-- migration rewrites none of them (the index is partial; upserts name its WHERE clause).
ALTER TABLE telemetry ADD COLUMN writer TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX telemetry_by_writer ON telemetry (model, version, minute, writer) WHERE writer <> '';
