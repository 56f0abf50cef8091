import { parseArgs } from 'node:util';
import { loadSource } from '../../core/data/sources';
import { decodeOutputs } from '../../core/model/head';
import { EXIT_OK, UsageError, single, type Command } from '../command';
import { textTable, num } from '../format';
import { loadLocalModel } from '../local-model';
import { nodeSourceIO } from '../node-io';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'predictions of a bundle for rows of data',
  usage: `flywheel predict BUNDLE --data SRC [--json]

Applies the bundle's fitted transform and model (the lean runtime the edge serves with) to the rows of
SRC. Prints a table, or with --json one JSON object per row: {"label", "probabilities"} or {"value"}.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
    const file = single(positionals, 'BUNDLE');
    if (/^https?:\/\//.test(file)) throw new UsageError('predicting through an edge URL needs the edge service, which is not built yet; pass a bundle file');
    if (!values.data) throw new UsageError('--data SRC is required');
    const model = await loadLocalModel(file);
    const { table } = await loadSource(values.data, nodeSourceIO);
    const raw = model.predictTable(table);
    const head = model.bundle.manifest.head;
    const rows: Record<string, unknown>[] = [];
    if (head.task === 'classification') {
      const out = decodeOutputs(raw, table.rowCount, head);
      const k = head.labels.length;
      for (let r = 0; r < table.rowCount; r++) {
        rows.push({ label: head.labels[out.labelIndex[r]], probabilities: Object.fromEntries(head.labels.map((l, j) => [l, Number(out.proba[r * k + j].toFixed(6))])) });
      }
    } else {
      const out = decodeOutputs(raw, table.rowCount, head);
      for (let r = 0; r < table.rowCount; r++) rows.push({ value: out.values[r] });
    }
    if (values.json) io.out(rows.map((r) => JSON.stringify(r)).join('\n'));
    else if (head.task === 'classification') io.out(textTable(['row', 'label', ...head.labels.map((l) => `p(${l})`)], rows.map((r, i) => [String(i + 1), String(r.label), ...head.labels.map((l) => num((r.probabilities as Record<string, number>)[l], 3))])));
    else io.out(textTable(['row', model.bundle.manifest.signature.output.target], rows.map((r, i) => [String(i + 1), num(r.value as number)])));
    model.predictor.dispose();
    return EXIT_OK;
  },
};
