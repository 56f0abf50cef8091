/** The `flywheel` command: parses the command line, runs a command, maps failures to exit codes. */
import { isFlywheelError, errorMessage } from '../core/errors';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type Command, type Io } from './command';
import { loadCommand, loadCommands } from './commands';
import { PACKAGE_VERSION as VERSION } from './version';

async function help(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return `flywheel ${VERSION} — automated MLOps: data → train → gate → publish → serve → monitor → retrain

Usage: flywheel <command> [options]   (flywheel <command> --help for details)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Exit codes: 0 success, 1 a gate or check failed, 2 bad usage or input.`;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await help());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return EXIT_OK;
  }
  const command: Command | undefined = await loadCommand(name);
  if (!command) {
    io.err(`flywheel: unknown command "${name}"\n\n${await help()}\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    return report(e, command, io);
  }
}

function report(e: unknown, command: Command, io: Io): number {
  if (isFlywheelError(e)) {
    io.err(`flywheel ${command.name}: ${e.message}\n`);
    // The message says the first detail; of the rest, those it names already ("x" or x: …) are not repeated.
    const said = (path: string) => path !== '' && (e.message.includes(`"${path}"`) || e.message.includes(`${path}:`));
    const rest = e.details.slice(1).filter((d) => !said(d.path));
    for (const d of rest.slice(0, 9)) io.err(`  ${d.path}: ${d.message}\n`);
    if (rest.length > 9) io.err(`  … and ${rest.length - 9} more\n`);
    return e.code === 'internal' ? EXIT_FAILED : EXIT_USAGE;
  }
  // node:util parseArgs throws TypeErrors with codes such as ERR_PARSE_ARGS_UNKNOWN_OPTION.
  const code = (e as { code?: string }).code ?? '';
  if (e instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
    io.err(`flywheel ${command.name}: ${errorMessage(e)}\n\nUsage: ${command.usage}\n`);
    return EXIT_USAGE;
  }
  io.err(`flywheel ${command.name}: internal error: ${errorMessage(e)}\n`);
  if (process.env.FLYWHEEL_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
  return EXIT_FAILED;
}

function processIo(): Io {
  // A reader that stops early (`| head`) closes the pipe: what is left to print has no reader, which
  // is not an error of the command (as for any Unix tool, which SIGPIPE would end quietly).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => process.stderr.write(text),
    tty: Boolean(process.stderr.isTTY),
  };
}
