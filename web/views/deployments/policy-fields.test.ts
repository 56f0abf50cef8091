import { describe, expect, it } from 'vitest';
import { checkPolicyTask, parsePolicy } from '../../../core/automation/policy';
import {
  EXAMPLE_POLICY,
  POLICY_GROUPS,
  examplePolicy,
  metricsFor,
  onlineMetricsFor,
  fieldText,
  fieldValue,
  policyProblems,
  type PolicyField,
} from './policy-fields';

const field = (path: string): PolicyField => POLICY_GROUPS.flatMap((g) => g.fields).find((f) => f.path === path)!;

describe('policy form fields', () => {
  it('every field has help and sits at a path the policy schema knows', () => {
    for (const f of POLICY_GROUPS.flatMap((g) => g.fields)) {
      expect(f.help.length).toBeGreaterThan(20);
      expect(f.path).toMatch(/^(triggers|rollout|cooldown|window|retries)/);
    }
    expect(() => parsePolicy(EXAMPLE_POLICY)).not.toThrow();
  });

  it('reads traffic steps as percentages and writes them back the same way', () => {
    const steps = field('rollout.steps');
    expect(fieldValue(steps, '10, 50 100')).toEqual([0.1, 0.5, 1]);
    expect(fieldText(steps, [0.1, 0.5, 1])).toBe('10, 50, 100');
    expect(() => fieldValue(steps, '10, half')).toThrow(
      'Traffic steps (%): "10, half" is not a list of percentages such as 10, 50, 100',
    );
  });

  it('leaves an empty field out, and names a field whose text is not a number', () => {
    expect(fieldValue(field('triggers.driftShare'), ' ')).toBeUndefined();
    expect(fieldValue(field('triggers.driftShare'), '0.3')).toBe(0.3);
    expect(() => fieldValue(field('retries'), '2.5')).toThrow('Attempts per job: "2.5" is not a whole number');
    expect(() => fieldValue(field('rollout.minRequests'), 'many')).toThrow('"many" is not a number');
  });

  it('files what the edge would refuse under the field it concerns', () => {
    expect(policyProblems(JSON.stringify(EXAMPLE_POLICY)).size).toBe(0);
    const problems = policyProblems(
      JSON.stringify({ triggers: { driftShare: 2 }, rollout: { steps: [0.5, 0.2, 1] }, cooldown: 'soon' }),
    );
    expect(problems.get('triggers.driftShare')).toMatch(/1/);
    expect(problems.get('cooldown')).toMatch(/a duration such as 30s/);
    expect(policyProblems('{ "triggers": ').get('')).toMatch(/^not valid JSON/);
  });

  it("offers and checks only the model's own task's metrics, and starts a regressor from an example it passes", () => {
    for (const task of ['classification', 'regression'] as const) {
      expect(() => checkPolicyTask(parsePolicy(examplePolicy(task)), task)).not.toThrow();
      expect(policyProblems(JSON.stringify(examplePolicy(task)), task).size).toBe(0);
    }
    expect(metricsFor('regression')).toEqual(['mae', 'rmse', 'r2', 'mape', 'max_error', 'explained_variance']);
    expect(metricsFor('classification')).toContain('f1_macro');
    expect(metricsFor('classification')).not.toContain('rmse');
    expect(metricsFor().length).toBe(16);
    expect(onlineMetricsFor('regression')).toEqual(['mae', 'rmse']);
    expect(onlineMetricsFor('classification')).toEqual(['accuracy']);
    // The classifier's example on a regressor: each misfit filed under its field, as the edge refuses it.
    const problems = policyProblems(JSON.stringify(EXAMPLE_POLICY), 'regression');
    expect(problems.get('gates')).toBe('accuracy is a classification metric; this model is a regression model');
    expect(problems.get('triggers.onlineMetric.metric')).toMatch(/^accuracy is a classification metric/);
    expect(policyProblems(JSON.stringify(EXAMPLE_POLICY)).size).toBe(0);
  });
});
