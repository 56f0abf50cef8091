#!/usr/bin/env node
// The published entry point: registers tsx so the TypeScript sources run as they are (Node 20 has no
// type stripping), then hands over to the real CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
