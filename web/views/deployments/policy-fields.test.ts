import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../core/automation/policy';
import {
  EXAMPLE_POLICY,
  POLICY_GROUPS,
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
});
