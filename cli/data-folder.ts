/** Where Flywheel keeps its state on this machine. */
import path from 'node:path';

/** The data folder: --data, else $FLYWHEEL_DATA, else ./.flywheel. */
export function dataDir(flag?: string): string {
  return path.resolve(flag ?? process.env.FLYWHEEL_DATA ?? '.flywheel');
}
