import { parseArgs } from 'node:util';
import { column } from '../../core/data/table';
import { loadSource } from '../../core/data/sources';
import {
  classificationMetrics,
  metricReason,
  metricValues,
  regressionMetrics,
  type MetricName,
} from '../../core/metrics';
import { decodeOutputs } from '../../core/model/head';
import { labelsAgainst } from '../../core/pipeline/prepare';
import { FlywheelError } from '../../core/errors';
import { EXIT_OK, UsageError, single, type Command } from '../command';
import { num, textTable } from '../format';
import { loadLocalModel } from '../local-model';
import { nodeSourceIO } from '../node-io';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'metrics of a bundle on labelled rows',
  usage: `flywheel evaluate BUNDLE --data SRC [--json]

Scores the bundle on SRC, which must hold the target column, with the metrics of its task.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { data: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = single(positionals, 'BUNDLE');
    if (!values.data) throw new UsageError('--data SRC is required');
    const model = await loadLocalModel(file);
    const { table, name } = await loadSource(values.data, nodeSourceIO);
    const { head, signature } = model.bundle.manifest;
    const target = signature.output.target;
    if (!table.columns.some((c) => c.name === target))
      throw new FlywheelError('bad_data', `${name} has no target column "${target}" to score against`, [
        { path: target, message: 'missing column' },
      ]);
    const raw = model.predictTable(table);
    let metrics;
    if (head.task === 'classification') {
      const y = labelsAgainst(column(table, target), head.labels, name);
      metrics = classificationMetrics(y, decodeOutputs(raw, table.rowCount, head).proba, head.labels);
    } else {
      const t = column(table, target);
      if (t.kind !== 'number')
        throw new FlywheelError('bad_data', `${name}: target "${target}" must be numeric`, [
          { path: target, message: 'not numeric' },
        ]);
      metrics = regressionMetrics(t.values, decodeOutputs(raw, table.rowCount, head).values);
    }
    model.predictor.dispose();
    if (values.json)
      io.out(JSON.stringify({ source: name, rows: table.rowCount, metrics: metricValues(metrics), details: metrics }));
    else
      io.out(
        textTable(
          ['metric', 'value'],
          Object.entries(metricValues(metrics)).map(([k, v]) => {
            // A metric that cannot be computed on these rows says why (roc_auc with a class absent).
            const why = v === null ? metricReason(metrics, k as MetricName) : undefined;
            return [k, why ? `${num(v)} (${why})` : num(v)];
          }),
        ),
      );
    return EXIT_OK;
  },
};
