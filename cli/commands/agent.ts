import os from 'node:os';
import { parseArgs } from 'node:util';
import { EdgeClient } from '../../core/api/client';
import { isFlywheelError } from '../../core/errors';
import { MODEL_NAME } from '../../core/api/contract';
import { parseDuration } from '../../core/automation/duration';
import { runAgent } from '../../core/automation/runner';
import { EXIT_FAILED, EXIT_OK, UsageError, edgeUrl, type Command } from '../command';
import { describeConfig } from '../../core/search/space';
import { nodeSourceIO } from '../node-io';
import { budgetMs, workerCount } from '../search-options';
import { nodeTrialPool } from '../trial-pool';
import { backendFlag, useNodeBackend } from '../tfjs-node';
import { trainingCodeVersion } from '../version';

export const agentCommand: Command = {
  name: 'agent',
  summary: 'claim and run retrain jobs from an edge',
  usage: `flywheel agent --edge URL [--key K] [--model NAME ...] [--name RUNNER] [--poll 5s] [--once] [--backend wasm|cpu] [--budget 5m] [--workers N]

Polls the edge's job queue. For each job it trains the champion's pipeline again on the original data
plus the labelled feedback the edge collected, publishes the result as a challenger, and reports; the
edge then verifies it and rolls it out under the model's policy. --once handles at most one job;
--model (repeatable) takes only those models' jobs, for an agent that has only their data.
A champion whose pipeline searches (model.type auto) is searched again on --workers threads (default:
every core) within its model.budget, or --budget when that is shorter.
The key needs the publish scope (default: $FLYWHEEL_KEY).`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        edge: { type: 'string' },
        key: { type: 'string' },
        model: { type: 'string', multiple: true },
        name: { type: 'string' },
        poll: { type: 'string' },
        once: { type: 'boolean' },
        backend: { type: 'string' },
        budget: { type: 'string' },
        workers: { type: 'string' },
      },
    });
    if (!values.edge) throw new UsageError('--edge URL is required');
    const edge = edgeUrl(values.edge);
    const pollMs = parseDuration(values.poll ?? '5s', '--poll');
    for (const model of values.model ?? [])
      if (!MODEL_NAME.test(model))
        throw new UsageError(
          `--model "${model}" is not a model name: letters, digits, ".", "_" and "-", starting with a letter or digit`,
        );
    const maxSearchMs = values.budget === undefined ? undefined : budgetMs(values.budget);
    const workers = workerCount(values.workers);
    const backend = await useNodeBackend(backendFlag(values.backend));
    // Its threads start with the first job that searches, and serve every job after it.
    const trialPool = nodeTrialPool(workers, backend);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const runner = values.name ?? `agent@${os.hostname()}:${process.pid}`;
    io.err(
      `flywheel agent ${runner}: polling ${edge} for retrain jobs${values.model ? ` of ${values.model.join(', ')}` : ''}\n`,
    );
    const client = new EdgeClient(edge, { key: values.key ?? process.env.FLYWHEEL_KEY });
    // A --model the edge does not know is most often a typo: said once, and its jobs are taken if it appears.
    for (const model of values.model ?? []) {
      const known = await client.model(model).then(
        () => true,
        (e: unknown) => !(isFlywheelError(e) && e.code === 'not_found'),
      );
      if (!known)
        io.err(`flywheel agent: the edge has no model "${model}" (yet): its jobs are taken once it has one\n`);
    }
    const done = await runAgent({
      client,
      runner,
      models: values.model,
      io: nodeSourceIO,
      backend,
      codeVersion: trainingCodeVersion(),
      pollMs,
      once: values.once,
      signal: controller.signal,
      log: (line) => io.err(`${line}\n`),
      trialPool,
      maxSearchMs,
      onEvent: (e) => {
        if (e.type === 'search')
          io.err(
            `model search: ${e.report.leaderboard.length} candidates in ${(e.report.elapsedMs / 1000).toFixed(1)} s, chose trial ${e.report.chosenTrial}: ${describeConfig(e.report.chosen)}\n`,
          );
      },
    }).finally(() => trialPool.close());
    return done.some((d) => d.status === 'failed') ? EXIT_FAILED : EXIT_OK;
  },
};
