/** Floods of requests for the hostile-traffic suite: autocannon, each request built by the caller. */
import { createRequire } from 'node:module';

interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
/** The part of autocannon's API used here (it ships no types). */
interface AutocannonInstance extends PromiseLike<unknown> {
  on(event: 'response', listener: (client: unknown, status: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Sends `amount` requests to `url` over `connections` keep-alive connections, the i-th one made by `request(i)`; returns how many got each status. */
export async function flood(
  url: string,
  amount: number,
  request: (i: number) => RawRequest,
  connections = 8,
): Promise<Record<number, number>> {
  let i = 0;
  const statuses: Record<number, number> = {};
  const instance = autocannon({
    url,
    connections,
    amount,
    requests: [{ setupRequest: (req: RawRequest) => ({ ...req, ...request(i++) }) }],
  });
  instance.on('response', (_client, status) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  await instance;
  return statuses;
}
