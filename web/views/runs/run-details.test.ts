import { describe, expect, it } from 'vitest';
import { confusionDetails, gateReport, lineageOf } from './run-details';
import { rowShare } from '../../lib/charts/scale';

describe('run detail guards', () => {
  it('reads classification details and refuses a ragged matrix', () => {
    const details = {
      labels: ['a', 'b'],
      confusionMatrix: [
        [3, 1],
        [0, 4],
      ],
      perClass: [{ label: 'a', precision: 1, recall: 0.75, f1: 0.86, support: 4 }],
    };
    expect(confusionDetails(details)).toEqual({
      labels: ['a', 'b'],
      matrix: [
        [3, 1],
        [0, 4],
      ],
      perClass: details.perClass,
    });
    expect(confusionDetails({ labels: ['a', 'b'], confusionMatrix: [[3, 1], [0]] })).toBeNull();
    expect(confusionDetails({ task: 'regression', values: {} })).toBeNull();
    expect(confusionDetails(undefined)).toBeNull();
  });

  it('accepts gate reports and lineage by their required fields only', () => {
    expect(gateReport({ passed: true, hasChampion: false, checks: [], summary: 'ok' })).not.toBeNull();
    expect(gateReport({ passed: 'yes' })).toBeNull();
    expect(lineageOf({ dataHash: 'd', specHash: 's' })).not.toBeNull();
    expect(lineageOf({ dataHash: 1 })).toBeNull();
  });

  it('shades a cell by its share of the true class', () => {
    expect(
      rowShare(
        [
          [3, 1],
          [0, 0],
        ],
        0,
        0,
      ),
    ).toBe(0.75);
    expect(
      rowShare(
        [
          [3, 1],
          [0, 0],
        ],
        1,
        1,
      ),
    ).toBe(0);
  });
});
