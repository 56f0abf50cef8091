/**
 * The kernel's status and execution counter, shared by every open notebook (there is one kernel
 * worker per page). Like Jupyter, counting starts again when the kernel restarts — which is also
 * what an interrupt does, since stopping a loop means terminating the worker.
 */
import type { KernelStatus } from '../../../workers/kernel-client';
import { kernel } from '../workers';

export const kernelState = $state<{ status: KernelStatus; count: number; restarts: number }>({
  status: 'idle',
  count: 0,
  restarts: 0,
});

let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  kernel().onStatus((s) => {
    kernelState.status = s;
    if (s === 'restarting') {
      kernelState.count = 0;
      kernelState.restarts++;
    }
  });
}

/** The next execution count, as Jupyter's `[n]`. */
export function nextExecutionCount(): number {
  listen();
  return ++kernelState.count;
}

/** Starts following the kernel's status (idempotent). */
export function watchKernel(): void {
  listen();
}
