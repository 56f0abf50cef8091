/** Every CLI command, in the order `flywheel --help` lists them. */
import type { Command } from '../command';
import { agentCommand } from './agent';
import { evaluateCommand } from './evaluate';
import { keysCommand } from './keys';
import { publishCommand } from './publish';
import { serveCommand } from './serve';
import { predictCommand } from './predict';
import { profileCommand } from './profile';
import { startCommand } from './start';
import { trainCommand } from './train';
import { validateCommand } from './validate';

export const commands: Command[] = [startCommand, serveCommand, profileCommand, validateCommand, trainCommand, evaluateCommand, predictCommand, publishCommand, agentCommand, keysCommand];
