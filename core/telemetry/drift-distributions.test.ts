import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { OTHER_CATEGORY } from './category-sketch';
import { featureDistributions } from './drift-distributions';

describe('featureDistributions', () => {
  it('puts a number’s serving counts over the baseline’s bins and counts the values outside them', () => {
    const d = featureDistributions({
      feature: 'mass',
      reference: { type: 'numeric', sample: [1, 2, 3], histogram: { edges: [0, 10, 20], counts: [7, 3] }, count: 10 },
      current: {
        type: 'numeric',
        sample: [5, 25, -3],
        histogram: { edges: [0, 10, 20], counts: [1, 0], underflow: 4, overflow: 2 },
        count: 7,
      },
    });
    expect(d.baseline).toEqual({ type: 'numeric', edges: [0, 10, 20], counts: [7, 3], below: 0, above: 0, total: 10 });
    expect(d.serving).toEqual({ type: 'numeric', edges: [0, 10, 20], counts: [1, 0], below: 4, above: 2, total: 7 });
    expect(d.out_of_range).toEqual({ below: 4, above: 2 });
    expect(d.unseen).toBeNull();
  });

  it('names the serving categories training never counted, the capped rest included', () => {
    const d = featureDistributions({
      feature: 'island',
      reference: { type: 'categorical', counts: { Biscoe: 5, Dream: 3, [OTHER_CATEGORY]: 1 } },
      current: { type: 'categorical', counts: { Biscoe: 2, Atlantis: 4, [OTHER_CATEGORY]: 1 } },
    });
    expect(d.baseline).toEqual({
      type: 'categorical',
      categories: [
        { name: 'Biscoe', count: 5 },
        { name: 'Dream', count: 3 },
        { name: OTHER_CATEGORY, count: 1 },
      ],
      total: 9,
    });
    expect(d.serving?.total).toBe(7);
    expect(d.unseen).toEqual({ count: 5, categories: ['Atlantis', OTHER_CATEGORY] });
    expect(d.out_of_range).toBeNull();
  });

  it('has no serving side for a window recorded without bins, and refuses a baseline without a histogram', () => {
    const reference = { type: 'numeric' as const, sample: [1], histogram: { edges: [0, 1], counts: [1] } };
    expect(featureDistributions({ feature: 'x', reference, current: { type: 'numeric', sample: [3] } })).toMatchObject({
      serving: null,
      out_of_range: null,
    });
    const bad = () =>
      featureDistributions({ feature: 'x', reference: { type: 'numeric', sample: [1] }, current: reference });
    expect(bad).toThrow(FlywheelError);
    expect(bad).toThrow('baseline.x.histogram');
  });
});
