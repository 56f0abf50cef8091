/**
 * Every CLI command, in the order `flywheel --help` lists them, each loaded when needed: their modules
 * (tfjs, the edge, SQLite) take up to a second to load, and `flywheel profile` needs none of train's.
 */
import type { Command } from '../command';

const loaders: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start')).startCommand,
  serve: async () => (await import('./serve')).serveCommand,
  profile: async () => (await import('./profile')).profileCommand,
  validate: async () => (await import('./validate')).validateCommand,
  train: async () => (await import('./train')).trainCommand,
  evaluate: async () => (await import('./evaluate')).evaluateCommand,
  predict: async () => (await import('./predict')).predictCommand,
  publish: async () => (await import('./publish')).publishCommand,
  agent: async () => (await import('./agent')).agentCommand,
  keys: async () => (await import('./keys')).keysCommand,
};

/** The command named `name`, or undefined when there is none. */
export function loadCommand(name: string): Promise<Command> | undefined {
  return Object.hasOwn(loaders, name) ? loaders[name]() : undefined;
}

/** Every command (for the help text, which lists them all). */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(Object.values(loaders).map((load) => load()));
}
