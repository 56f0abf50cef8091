/** Runs the Python client scripts beside this file with Debian's Python (which has pandas and requests), and the bundle they are run against. */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { nodeSourceIO } from '../../../cli/node-io';
import { runPipeline } from '../../../core/pipeline';

/** Debian's interpreter: the one on PATH may be another without python3-pandas and python3-requests. */
const PYTHON = '/usr/bin/python3';
const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs `script` (a file in this folder) with `args` and parses the JSON it prints. Async: the server under test runs in this process. */
export async function runPythonClient<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(PYTHON, [path.join(here, script), ...args], { timeout: 60_000 });
  return JSON.parse(stdout) as T;
}

/** A penguins species classifier, trained briefly on the CPU. */
export async function penguinsBundle(): Promise<Uint8Array> {
  await tf.setBackend('cpu');
  const { bundle } = await runPipeline(
    { name: 'penguins', data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { epochs: 10 } },
    { io: nodeSourceIO, backend: 'cpu', codeVersion: 'clients' },
  );
  return bundle.bytes;
}

/** One answer as the scripts report it. */
export interface ClientAnswer {
  status: number;
  content_type: string | null;
  body: unknown;
}
