import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatSampleValue, renderExposition } from './exposition';
import { prometheusText } from './prometheus';
import { TelemetryRecorder } from './recorder';

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Parsed {
  help: Map<string, string>;
  types: Map<string, string>;
  samples: ParsedSample[];
}

/**
 * A strict reader of text format 0.0.4, written from the spec rather than from our writer: comment
 * lines, then `name{label="value",...} value` with `\\`, `\"` and `\n` escapes inside label values.
 */
function parseExposition(text: string): Parsed {
  expect(text.endsWith('\n')).toBe(true);
  const parsed: Parsed = { help: new Map(), types: new Map(), samples: [] };
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      if (kind === 'HELP') parsed.help.set(name, rest);
      else {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(rest);
        expect(parsed.types.has(name), `second TYPE for ${name}`).toBe(false);
        parsed.types.set(name, rest);
      }
      continue;
    }
    const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    expect(head, line).not.toBeNull();
    const name = head![1];
    let i = name.length;
    const labels: Record<string, string> = {};
    if (line[i] === '{') {
      i++;
      while (line[i] !== '}') {
        const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
        expect(label, line).not.toBeNull();
        i += label![0].length;
        let value = '';
        for (; line[i] !== '"'; i++) {
          expect(i, `unterminated label value in ${line}`).toBeLessThan(line.length);
          if (line[i] === '\\') {
            const escaped = line[++i];
            expect(['\\', '"', 'n'], line).toContain(escaped);
            value += escaped === 'n' ? '\n' : escaped;
          } else value += line[i];
        }
        labels[label![1]] = value;
        i++;
        if (line[i] === ',') i++;
      }
      i++;
    }
    const rest = line.slice(i);
    expect(rest, line).toMatch(/^ (\+Inf|-Inf|NaN|-?[0-9.]+(e[+-]?[0-9]+)?)$/);
    const text = rest.slice(1);
    const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
    parsed.samples.push({ name, labels, value });
  }
  return parsed;
}

function familyOf(sample: string, types: Map<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = sample.slice(0, -suffix.length);
    if (sample.endsWith(suffix) && types.get(base) === 'histogram') return base;
  }
  return sample;
}

function recorded(): TelemetryRecorder {
  const r = new TelemetryRecorder();
  const latencies = [0.004, 0.8, 1, 3, 7, 12, 30, 99, 250, 700, 1500, 4000, 20_000, 200_000];
  latencies.forEach((latencyMs, i) =>
    r.record({ model: 'iris', version: '1', at: 0, latencyMs, rows: 2, status: i % 5 === 0 ? 500 : 200 }),
  );
  r.record({ model: 'we"ird\\name\nx', version: '2', at: 0, latencyMs: 5, rows: 1, status: 404 });
  return r;
}

describe('prometheusText', () => {
  const recorder = recorded();
  const rejected = new Map([
    [413, 1],
    [400, 5],
    [503, 2],
    [404, 3],
  ]);
  const text = prometheusText({
    totals: recorder.totals(),
    models: 2,
    version: '0.1.0',
    inferenceKernel: 'wasm',
    buffered: recorder.buffered,
    flush: { flushes: 3, failures: 1, consecutiveFailures: 0 },
    rejected,
  });
  const parsed = parseExposition(text);

  it('gives every sample a family with HELP and TYPE', () => {
    for (const s of parsed.samples) {
      const family = familyOf(s.name, parsed.types);
      expect(parsed.types.has(family), s.name).toBe(true);
      expect(parsed.help.has(family), s.name).toBe(true);
    }
    expect(parsed.types.get('flywheel_requests_total')).toBe('counter');
    expect(parsed.types.get('flywheel_request_duration_seconds')).toBe('histogram');
    expect(parsed.types.get('flywheel_models')).toBe('gauge');
  });

  it('counts requests by status class and rows per version', () => {
    const requests = parsed.samples.filter((s) => s.name === 'flywheel_requests_total');
    expect(requests.map((s) => [s.labels.model, s.labels.version, s.labels.status_class, s.value])).toEqual([
      ['iris', '1', '2xx', 11],
      ['iris', '1', '5xx', 3],
      ['we"ird\\name\nx', '2', '4xx', 1],
    ]);
    expect(parsed.samples.filter((s) => s.name === 'flywheel_prediction_rows_total').map((s) => s.value)).toEqual([
      28, 1,
    ]);
    expect(parsed.samples.find((s) => s.name === 'flywheel_models')!.value).toBe(2);
    expect(parsed.samples.find((s) => s.name === 'flywheel_build_info')!.labels).toEqual({
      version: '0.1.0',
      inference_kernel: 'wasm',
    });
    expect(parsed.samples.find((s) => s.name === 'flywheel_telemetry_flush_failures_total')!.value).toBe(1);
    expect(parsed.samples.find((s) => s.name === 'flywheel_telemetry_buffered_rollups')!.value).toBe(2);
  });

  it('counts rejected requests by status and its class, in status order', () => {
    expect(parsed.types.get('flywheel_rejected_requests_total')).toBe('counter');
    const samples = parsed.samples.filter((s) => s.name === 'flywheel_rejected_requests_total');
    expect(samples.map((s) => [s.labels.status_class, s.labels.code, s.value])).toEqual([
      ['4xx', '400', 5],
      ['4xx', '404', 3],
      ['4xx', '413', 1],
      ['5xx', '503', 2],
    ]);
  });

  it('writes histograms with ascending le, monotone cumulative buckets, +Inf equal to _count, _sum in seconds', () => {
    for (const model of ['iris', 'we"ird\\name\nx']) {
      const mine = parsed.samples.filter((s) => s.labels.model === model);
      const buckets = mine.filter((s) => s.name === 'flywheel_request_duration_seconds_bucket');
      const les = buckets.map((b) => (b.labels.le === '+Inf' ? Infinity : Number(b.labels.le)));
      expect(les[les.length - 1]).toBe(Infinity);
      for (let i = 1; i < buckets.length; i++) {
        expect(les[i]).toBeGreaterThan(les[i - 1]);
        expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value);
      }
      const count = mine.find((s) => s.name === 'flywheel_request_duration_seconds_count')!.value;
      expect(buckets[buckets.length - 1].value).toBe(count);
    }
    const iris = parsed.samples.filter((s) => s.labels.model === 'iris');
    const sum = iris.find((s) => s.name === 'flywheel_request_duration_seconds_sum')!.value;
    expect(sum).toBeCloseTo(226.602804, 9);
    // 0.004, 0.8 and 1 ms are at or below le = 0.001 s (a decade: exact)
    expect(iris.find((s) => s.labels.le === '0.001')!.value).toBe(3);
    expect(iris.find((s) => s.labels.le === '10')!.value).toBe(12);
  });
});

describe('exposition format', () => {
  it('escapes backslash, double quote and newline in label values, and only those', () => {
    expect(escapeLabelValue('a\\b"c\nd\te')).toBe('a\\\\b\\"c\\nd\te');
  });

  it('spells special values as Prometheus does', () => {
    expect([Infinity, -Infinity, NaN, 0.0025, 1e-7].map(formatSampleValue)).toEqual([
      '+Inf',
      '-Inf',
      'NaN',
      '0.0025',
      '1e-7',
    ]);
  });

  it('escapes HELP text and ends with a newline', () => {
    const text = renderExposition([
      { name: 'x', help: 'line\\one\ntwo', type: 'gauge', samples: [{ labels: {}, value: 1 }] },
    ]);
    expect(text).toBe('# HELP x line\\\\one\\ntwo\n# TYPE x gauge\nx 1\n');
  });
});
