/**
 * DNS rebinding: a web page on `evil.example` whose name is made to resolve to 127.0.0.1 could call
 * an edge listening on loopback as if it were its own origin. The browser still sends
 * `Host: evil.example`, so an edge bound to loopback answers only Host names that are loopback ones
 * (`localhost`, `*.localhost`), IP addresses (a rebinding needs a name), or names the operator allows
 * (`allowedHosts`, as Vite's `server.allowedHosts`: `--allowed-hosts` or FLYWHEEL_ALLOWED_HOSTS; a
 * leading dot allows every subdomain, `*` any host). Bound to another address (0.0.0.0, a LAN
 * address) the edge is meant to be reached by whatever names point at it, and only the allowed list,
 * when one is given, is checked.
 */
import { isIP } from 'node:net';
import type { RequestListener } from 'node:http';
import { FlywheelError } from '../../core/errors';
import { errorEnvelope, requestIdOf } from '../http';
import { outerHeaders, type OuterHeaderConfig } from '../outer-headers';

/** Host names already found allowed, per server (a server sees few); past this the memory starts over. */
const MAX_REMEMBERED_HOSTS = 64;

/** The hosts allowed from a setting: unset or empty → undefined (the defaults), `*` → any; otherwise a comma-separated list. */
export function parseAllowedHosts(
  raw: string | undefined,
  setting = 'FLYWHEEL_ALLOWED_HOSTS',
): readonly string[] | '*' | undefined {
  const text = raw?.trim() ?? '';
  if (text === '*') return '*';
  if (text === '') return undefined;
  return text.split(',').map((part) => {
    const host = part.trim().toLowerCase();
    if (!/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
      throw new FlywheelError(
        'bad_input',
        `${setting}: "${part.trim()}" is not a host name such as edge.example.com or .example.com (no scheme, port or path)`,
        [{ path: setting, message: 'not a host name' }],
      );
    }
    return host;
  });
}

/** Whether the server listens on loopback only (the default 127.0.0.1, ::1, localhost). */
export function isLoopbackBind(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host name of a Host header: lower case, without port, brackets or a trailing dot. */
function hostName(header: string): string {
  let name = header.toLowerCase();
  if (name.startsWith('[')) return name.slice(1, name.indexOf(']') >>> 0);
  const colon = name.lastIndexOf(':');
  if (colon >= 0) name = name.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Whether `name` is always allowed or is in `allowed`. */
function allowedName(name: string, allowed: readonly string[]): boolean {
  if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0) return true;
  for (const a of allowed) if (a.startsWith('.') ? name === a.slice(1) || name.endsWith(a) : name === a) return true;
  return false;
}

export interface HostCheck {
  /** Where the server listens (`--host`). */
  bind: string;
  /** Configured names (`--allowed-hosts`); undefined: none. */
  allowedHosts?: readonly string[] | '*';
  outer: OuterHeaderConfig;
  /** Told the status of each refusal (for /metrics). */
  answered?: (status: number) => void;
}

/**
 * Wraps a Node listener with the check, when it applies (see the top of this file); else returns
 * `listener` itself. A refused request gets a 403 in the error envelope that names the host and how
 * to allow it.
 */
export function checkingHosts(listener: RequestListener, o: HostCheck): RequestListener {
  const allowed = o.allowedHosts;
  if (allowed === '*' || (allowed === undefined && !isLoopbackBind(o.bind))) return listener;
  const names = allowed ?? [];
  const remembered = new Set<string>();
  return (req, res) => {
    const host = req.headers.host;
    // No Host at all is no browser's request; the adapter answers it.
    if (host === undefined || remembered.has(host)) return listener(req, res);
    if (allowedName(hostName(host), names)) {
      if (remembered.size >= MAX_REMEMBERED_HOSTS) remembered.clear();
      remembered.add(host);
      return listener(req, res);
    }
    const requestId = requestIdOf(req.headers['x-request-id'] as string | undefined);
    const name = hostName(host);
    const refusal = new FlywheelError(
      'forbidden',
      `Host "${name}" is not allowed: this edge answers only localhost names, IP addresses and the hosts it is told to allow (a guard against DNS rebinding). To allow it, start with --allowed-hosts ${name} (or FLYWHEEL_ALLOWED_HOSTS=${name})`,
      [{ path: 'host', message: 'not allowed' }],
    );
    const { status, body } = errorEnvelope(refusal, requestId);
    const text = JSON.stringify(body);
    o.answered?.(status);
    const origin = req.headers.origin;
    res.writeHead(status, [
      ...outerHeaders(o.outer, requestId, origin),
      'content-type',
      'application/json',
      'content-length',
      String(Buffer.byteLength(text)),
    ]);
    res.end(text);
  };
}
