/**
 * The SQL migrations, bundled into the Worker as text (a Worker has no file system to read
 * edge/migrations from). edge/build-worker.ts refuses to build when a file of edge/migrations is
 * missing here, so this list cannot fall behind the folder that Node and wrangler read.
 */
import type { Migration } from '../store/migrate';
import registry from '../migrations/0001_registry.sql';
import automation from '../migrations/0002_automation.sql';
import predictionLog from '../migrations/0003_prediction_log.sql';
import telemetryWriter from '../migrations/0004_telemetry_writer.sql';
import keyedFeedback from '../migrations/0005_keyed_feedback.sql';

export const workerMigrations: Migration[] = [
  { name: '0001_registry.sql', sql: registry },
  { name: '0002_automation.sql', sql: automation },
  { name: '0003_prediction_log.sql', sql: predictionLog },
  { name: '0004_telemetry_writer.sql', sql: telemetryWriter },
  { name: '0005_keyed_feedback.sql', sql: keyedFeedback },
];
