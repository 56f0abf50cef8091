/** Every CLI command, in the order `flywheel --help` lists them. */
import type { Command } from '../command';
import { profileCommand } from './profile';
import { startCommand } from './start';
import { validateCommand } from './validate';

export const commands: Command[] = [startCommand, profileCommand, validateCommand];
