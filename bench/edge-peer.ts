/**
 * The peer a data scientist would deploy instead of the edge: bench/peer_fastapi.py (FastAPI +
 * uvicorn + numpy, Debian's python3-fastapi and uvicorn) serving the same bundle, started as a child
 * process with Debian's Python, which has those packages.
 */
import { spawn } from 'node:child_process';
import { pinnedCommand } from './cpu-pin';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, residentBytes } from './edge-child';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Debian's interpreter: a python3 earlier on PATH (pyenv, a venv) lacks Debian's packages. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const READY_TIMEOUT_MS = 30_000;

export interface PeerServer {
  url: string;
  cpuSeconds(): Promise<number>;
  rss(): Promise<number>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the FastAPI peer on `bundle`; null (with the reason on stderr) when Python lacks FastAPI or uvicorn. */
export async function startFastApiPeer(bundle: Uint8Array): Promise<PeerServer | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flywheel-peer-'));
  const file = path.join(dir, 'bundle.zip');
  await writeFile(file, bundle);
  const port = await freePort();
  const [command, args] = pinnedCommand('server', PYTHON, [path.join(here, 'peer_fastapi.py'), file, String(port)]);
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    createInterface({ input: child.stdout }).once('line', () => (clearTimeout(timer), resolve(true)));
    void exited.then(() => (clearTimeout(timer), resolve(false)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  if (!ready) {
    console.error(
      `edge: the FastAPI peer did not start (${PYTHON}; apt-get install python3-fastapi uvicorn): ${stderr.trim().split('\n').at(-1) ?? ''}`,
    );
    await stop();
    return null;
  }
  // uvicorn prints nothing once bound at log level warning: wait until the port answers.
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/docs`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid as number;
  return { url, cpuSeconds: () => cpuSeconds(pid), rss: () => residentBytes(pid), stop };
}
