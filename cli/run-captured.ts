/** Runs the CLI in-process with its output captured: how the CLI tests call it. */
import { main } from './main';

export async function runCaptured(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t), tty: false });
  return { code, out, err };
}
