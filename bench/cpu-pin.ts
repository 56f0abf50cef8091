/**
 * The servers under test run on the machine's last CPU and the load generators (this process with
 * autocannon, h2load) on the others, through Linux's `taskset`, so that neither takes the other's
 * core: on this project's 2-core machine, unpinned, the load generator's work landed in the servers'
 * req/s and tails (FastAPI ratio 4.70–4.91× unpinned, 5.24–5.28× pinned). `EDGE_PIN=0` leaves
 * placement to the scheduler; with one CPU or no `taskset` nothing is pinned.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

function available(): boolean {
  if (process.env.EDGE_PIN === '0' || os.availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const LAST = os.availableParallelism() - 1;
/** Off until a bench asks (`pinThisProcess`): the other benches place their processes as they did. */
let pinned = false;

/** Whether servers and load generators are pinned apart, and to which CPUs. */
export function pinning(): { server: string; load: string } | null {
  return pinned ? { server: String(LAST), load: LAST === 1 ? '0' : `0-${LAST - 1}` } : null;
}

/** `command args` for spawning a server or a load generator, wrapped in `taskset` when pinning. */
export function pinnedCommand(role: 'server' | 'load', command: string, args: string[]): [string, string[]] {
  const cpus = pinning();
  return cpus ? ['taskset', ['-c', cpus[role], command, ...args]] : [command, args];
}

/**
 * Pins every thread of this process (the bench, running autocannon) to the load generators' CPUs, and
 * the servers started from here on to the last one; does nothing where pinning is unavailable or off.
 */
export function pinThisProcess(): void {
  pinned = available();
  const cpus = pinning();
  if (cpus) execFileSync('taskset', ['-a', '-cp', cpus.load, String(process.pid)], { stdio: 'ignore' });
}
