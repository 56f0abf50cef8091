/**
 * The bench's handle on a server process started from bench/edge-server.ts: spawn it, wait for its
 * ready line, read its resident memory from /proc, send it commands (gc, profiling), stop it.
 *
 * By default the server runs as users run the edge: `flywheel start` runs the CLI bundled into plain
 * JavaScript by build/bundle-cli.ts (cli/bin.js), so bench/edge-server.ts is bundled by the same
 * function, with the same settings, into dist/bench/edge-server/ once per bench process and run by
 * plain `node`. TypeScript compiled at run time by tsx costs start-up time and tens of MB of memory
 * that no user pays. `runtime: 'tsx'` runs the source instead (CPU profiles name source files then).
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { pinnedCommand } from './cpu-pin';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../build/bundle-cli';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.join(here, '..');
/** A server that has not said it is listening by then is broken, not slow (tsx, when used, compiles on start). */
const READY_TIMEOUT_MS = 30_000;
/** Where the bundled server goes (dist/ is ignored by git). */
const BUNDLE_DIR = path.join(repoRoot, 'dist', 'bench', 'edge-server');

/** How the server's TypeScript runs: bundled like the built CLI (what `flywheel start` runs), or through tsx. */
export type ServerRuntime = 'bundled' | 'tsx';

let bundled: Promise<string> | null = null;

/** Bundles bench/edge-server.ts as build/bundle-cli.ts bundles the CLI (once per process); returns the entry file. */
function bundledServer(): Promise<string> {
  bundled ??= bundleCli(BUNDLE_DIR, { 'edge-server': 'bench/edge-server.ts' }).then(() =>
    path.join(BUNDLE_DIR, 'edge-server.js'),
  );
  return bundled;
}

export interface ServerChild {
  url: string;
  adminKey: string | null;
  pid: number;
  /** Resident set size in bytes (VmRSS of /proc/<pid>/status). */
  rss(): Promise<number>;
  /** CPU seconds the process has used so far, all threads, user and system. */
  cpuSeconds(): Promise<number>;
  /** CPU seconds of its main thread alone (the event loop that serves requests). */
  mainThreadCpuSeconds(): Promise<number>;
  /** Sends one stdin command (see bench/edge-server.ts) and returns the child's JSON answer. */
  command(line: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeFlags] dist/bench/edge-server/edge-server.js <kind>` (bundled), or `node [nodeFlags]
 * --import tsx bench/edge-server.ts <kind>` (tsx), with `env` added to this process's, and resolves once it listens.
 */
export async function startServerChild(
  kind: 'edge' | 'hello',
  nodeFlags: string[] = [],
  runtime: ServerRuntime = 'bundled',
  env: Record<string, string> = {},
): Promise<ServerChild> {
  const entry =
    runtime === 'bundled' ? [await bundledServer()] : ['--import', 'tsx', path.join(here, 'edge-server.ts')];
  const [command, args] = pinnedCommand('server', process.execPath, [...nodeFlags, ...entry, kind]);
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${kind} server] ${chunk.toString()}`));
  const lines = createInterface({ input: child.stdout });
  const ready = (await nextLine(lines, child, READY_TIMEOUT_MS)) as {
    url: string;
    adminKey: string | null;
    pid: number;
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: ready.url,
    adminKey: ready.adminKey,
    pid: ready.pid,
    rss: () => residentBytes(ready.pid),
    cpuSeconds: () => cpuSeconds(ready.pid),
    mainThreadCpuSeconds: () => cpuSeconds(ready.pid, ready.pid),
    async command(line) {
      child.stdin.write(`${line}\n`);
      return (await nextLine(lines, child, READY_TIMEOUT_MS)) as Record<string, unknown>;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function nextLine(lines: Interface, child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('exit', onExit);
    };
    const onLine = (line: string) => {
      cleanup();
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`the bench server printed "${line}" where a JSON line was expected`));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the bench server exited (code ${code}) before answering`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the bench server did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    lines.on('line', onLine);
    child.once('exit', onExit);
  });
}

/** VmRSS of a process, in bytes (Linux). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

let ticksPerSecond: number | null = null;

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat), or of one of its threads, in seconds (Linux). */
export async function cpuSeconds(pid: number, tid?: number): Promise<number> {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const stat = await readFile(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
