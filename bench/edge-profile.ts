/**
 * Where the edge's time goes: a V8 CPU profile of the server under load, summarised as self time
 * per function and per area (Node's HTTP stack, Hono, zod, edge/, core/, GC), and as inclusive time
 * of the repository's own functions — the figures the bench prints when predict falls short.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, markdownTable } from './harness';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The parts of V8's .cpuprofile format used here. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  /** Share of all samples taken while the profiler ran, 0–1. */
  share: number;
}

export interface ProfileSummary {
  /** Share of the samples in which the server thread was busy (not idle). */
  busy: number;
  selfByFunction: ProfileLine[];
  selfByArea: ProfileLine[];
  /** Inclusive time of functions defined in this repository (edge/, core/). */
  inclusiveOwn: ProfileLine[];
  /** Inclusive time of the framework functions in FRAMEWORK_HOT_SPOTS, with what each one means. */
  inclusiveFramework: ProfileLine[];
}

/**
 * The slow paths of @hono/node-server, which keeps requests and responses as cheap stand-ins until
 * something touches a Web-only part: reading the body through the Request, or a Response re-created
 * by a `c.header()` after the handler returned. Their inclusive time says whether the edge hits them.
 */
const FRAMEWORK_HOT_SPOTS: { fn: string; file: string; meaning: string }[] = [
  {
    fn: 'newRequestFromIncoming',
    file: '@hono/node-server/',
    meaning: 'a full Web Request built on first body access (AbortController, Headers, Readable.toWeb, undici Request)',
  },
  {
    fn: 'flow',
    file: '@hono/node-server/',
    meaning:
      'a response body written chunk by chunk from a Web ReadableStream (a re-created Response); a `c.json()` string is written in one call',
  },
];

/** `file:///…/node_modules/hono/dist/…` → `hono/dist/…`; repository files relative to its root. */
function shortUrl(url: string): string {
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length);
  return file.startsWith(repoRoot) ? path.relative(repoRoot, file) : file;
}

/** `name (file:line)`; repository files go without a line, since tsx's compiled lines do not match the source's. */
function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const fn = functionName || '(anonymous)';
  if (!url) return fn;
  const short = shortUrl(url);
  return url.startsWith('file://') && !url.includes('node_modules/')
    ? `${fn} (${short})`
    : `${fn} (${short}:${lineNumber + 1})`;
}

/** The area a frame belongs to, for the coarse breakdown. */
function area(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'Node internals (http, net, streams, web streams)';
  const short = shortUrl(url);
  const pkg = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(short);
  if (url.includes('node_modules/') && pkg) return `package ${pkg[1]}`;
  const dir = /^(edge|core|cli|bench)\/(?:[^/]+\/)?/.exec(short);
  return dir ? dir[0] : short;
}

function top(map: Map<string, number>, total: number, n: number): ProfileLine[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, t]) => ({ name, share: t / total }));
}

/** Summarises a .cpuprofile file: the `n` largest entries of each breakdown. */
export async function summarizeProfile(file: string, n = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfFn = new Map<string, number>();
  const selfArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const framework = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    // Sample i stands for the time until the next sample; timeDeltas[0] is the gap before the first.
    const dt = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    const node = byId.get(id)!;
    total += dt;
    if (node.callFrame.functionName === '(idle)') idle += dt;
    selfFn.set(label(node), (selfFn.get(label(node)) ?? 0) + dt);
    selfArea.set(area(node), (selfArea.get(area(node)) ?? 0) + dt);
    // Each function counts once per sample, however often it recurs on the stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      const short = frame.callFrame.url ? shortUrl(frame.callFrame.url) : '';
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      if (/^(edge|core)\//.test(short)) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      const hot = FRAMEWORK_HOT_SPOTS.find((h) => h.fn === frame.callFrame.functionName && short.startsWith(h.file));
      if (hot) framework.set(`${hot.fn}: ${hot.meaning}`, (framework.get(`${hot.fn}: ${hot.meaning}`) ?? 0) + dt);
    }
  });
  return {
    busy: total ? 1 - idle / total : 0,
    selfByFunction: top(selfFn, total, n),
    selfByArea: top(selfArea, total, n),
    inclusiveOwn: top(inclusive, total, n),
    inclusiveFramework: top(framework, total, FRAMEWORK_HOT_SPOTS.length),
  };
}

const shares = (lines: ProfileLine[]) => lines.map((l) => [`\`${l.name}\``, `${(l.share * 100).toFixed(1)} %`]);

/** A summary as markdown: a heading and the three breakdowns. */
export function profileMarkdown(title: string, p: ProfileSummary): string[] {
  return [
    '',
    `#### ${title} (server thread busy ${fmt(p.busy * 100, 0)} % of the time)`,
    '',
    markdownTable(['self time by area', 'share'], shares(p.selfByArea)),
    '',
    markdownTable(['self time by function', 'share'], shares(p.selfByFunction)),
    '',
    markdownTable(['inclusive time of edge/ and core/ functions', 'share'], shares(p.inclusiveOwn)),
    '',
    p.inclusiveFramework.length
      ? markdownTable(
          ['inclusive time of @hono/node-server slow paths', 'share'],
          p.inclusiveFramework.map((l) => [l.name, `${(l.share * 100).toFixed(1)} %`]),
        )
      : `No samples in @hono/node-server's slow paths (${FRAMEWORK_HOT_SPOTS.map((h) => `\`${h.fn}\``).join(', ')}).`,
  ];
}
