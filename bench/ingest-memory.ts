/** Child process of the ingest bench: loads, infers and profiles a file, then prints its peak RSS in MiB. */
import { loadSource } from '../core/data/sources';
import { inferSchema, profileTable } from '../core/features';
import { nodeSourceIO } from '../cli/node-io';

const { table } = await loadSource(process.argv[2], nodeSourceIO);
inferSchema(table);
profileTable(table);
// maxRSS is in KiB.
console.log(process.resourceUsage().maxRSS / 1024);
