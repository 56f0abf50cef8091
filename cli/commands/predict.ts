import { parseArgs } from 'node:util';
import { loadSource } from '../../core/data/sources';
import { decodeOutputs } from '../../core/model/head';
import { EdgeClient } from '../../core/api/client';
import { toRows, type Table } from '../../core/data/table';
import { EXIT_OK, UsageError, single, type Command, type Io } from '../command';
import { textTable, num } from '../format';
import { loadLocalModel } from '../local-model';
import { nodeSourceIO } from '../node-io';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'predictions of a bundle for rows of data',
  usage: `flywheel predict (BUNDLE | URL/MODEL) --data SRC [--key K] [--json]

With a bundle file: applies its fitted transform and model (the lean runtime the edge serves with) to
the rows of SRC. With an edge URL such as http://127.0.0.1:8787/penguins: sends the rows to that model's
predict endpoint (key from --key or $FLYWHEEL_KEY, needed for private models). Prints a table, or with
--json one JSON object per row: {"label", "probabilities"} or {"value"}.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { data: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = single(positionals, 'BUNDLE or URL/MODEL');
    if (!values.data) throw new UsageError('--data SRC is required');
    const { table } = await loadSource(values.data, nodeSourceIO);
    if (/^https?:\/\//.test(file))
      return remote(file, table, values.key ?? process.env.FLYWHEEL_KEY, Boolean(values.json), io);
    const model = await loadLocalModel(file);
    const raw = model.predictTable(table);
    const head = model.bundle.manifest.head;
    const rows: Record<string, unknown>[] = [];
    if (head.task === 'classification') {
      const out = decodeOutputs(raw, table.rowCount, head);
      const k = head.labels.length;
      for (let r = 0; r < table.rowCount; r++) {
        rows.push({
          label: head.labels[out.labelIndex[r]],
          probabilities: Object.fromEntries(head.labels.map((l, j) => [l, Number(out.proba[r * k + j].toFixed(6))])),
        });
      }
    } else {
      const out = decodeOutputs(raw, table.rowCount, head);
      for (let r = 0; r < table.rowCount; r++) rows.push({ value: out.values[r] });
    }
    if (values.json) io.out(rows.map((r) => JSON.stringify(r)).join('\n'));
    else if (head.task === 'classification')
      io.out(
        textTable(
          ['row', 'label', ...head.labels.map((l) => `p(${l})`)],
          rows.map((r, i) => [
            String(i + 1),
            String(r.label),
            ...head.labels.map((l) => num((r.probabilities as Record<string, number>)[l], 3)),
          ]),
        ),
      );
    else
      io.out(
        textTable(
          ['row', model.bundle.manifest.signature.output.target],
          rows.map((r, i) => [String(i + 1), num(r.value as number)]),
        ),
      );
    model.predictor.dispose();
    return EXIT_OK;
  },
};

/** Predicts through an edge: URL is the edge's base URL followed by the model name. */
async function remote(url: string, table: Table, key: string | undefined, json: boolean, io: Io): Promise<number> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/\/+$/, '').split('/').pop() ?? '');
  if (!name) throw new UsageError(`${url} names no model: use EDGE_URL/MODEL, e.g. http://127.0.0.1:8787/penguins`);
  const base = url.replace(/\/+$/, '').slice(0, -encodeURIComponent(name).length).replace(/\/+$/, '');
  const res = await new EdgeClient(base, { key }).predict(name, toRows(table));
  if (json) io.out(res.predictions.map((p, i) => JSON.stringify({ ...p, request_id: res.request_ids[i] })).join('\n'));
  else
    io.out(
      `${name} v${res.model_version}\n` +
        textTable(
          ['row', 'prediction', 'request id'],
          res.predictions.map((p, i) => [String(i + 1), 'label' in p ? p.label : num(p.value), res.request_ids[i]]),
        ),
    );
  return EXIT_OK;
}
