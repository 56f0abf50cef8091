import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { histogramOf, mergeHistograms, sturgesBinEdges } from './histogram';
import { STURGES_HISTOGRAM_CASES } from './histogram.reference';
import { sampleOf } from './test-samples';

describe('sturgesBinEdges and histogramOf agree with NumPy', () => {
  it('reproduces np.histogram_bin_edges(a, bins="sturges") and np.histogram(a, edges)', () => {
    const c = STURGES_HISTOGRAM_CASES.normalish;
    const a = sampleOf(c.sample);
    const edges = sturgesBinEdges(a);
    expect(Array.from(edges)).toEqual(c.edges);
    const h = histogramOf(a, edges);
    expect(Array.from(h.counts)).toEqual(c.counts);
    expect([h.underflow, h.overflow]).toEqual([0, 0]);
  });

  it('widens a constant sample to one bin of width 1, as NumPy does', () => {
    const c = STURGES_HISTOGRAM_CASES.constant;
    const edges = sturgesBinEdges(sampleOf(c.sample));
    expect(Array.from(edges)).toEqual(c.edges);
    expect(Array.from(histogramOf(sampleOf(c.sample), edges).counts)).toEqual(c.counts);
  });

  it('puts the right edge in the last bin, out-of-range values aside, and skips non-finite values', () => {
    const h = histogramOf([0, 0.5, 1, 2, -1, 3, Number.NaN], [0, 1, 2]);
    expect(Array.from(h.counts)).toEqual([2, 2]);
    expect([h.underflow, h.overflow]).toEqual([1, 1]);
  });
});

describe('mergeHistograms', () => {
  it('adds counts over the same bins', () => {
    const edges = [0, 1, 2];
    const merged = mergeHistograms([histogramOf([0.5, 1.5, 5], edges), histogramOf([0.2, -3], edges)]);
    expect(Array.from(merged.counts)).toEqual([2, 1]);
    expect([merged.underflow, merged.overflow]).toEqual([1, 1]);
  });

  it('refuses histograms over different bins, naming which one', () => {
    const a = histogramOf([0.5], [0, 1, 2]);
    const b = histogramOf([0.5], [0, 1, 3]);
    expect(() => mergeHistograms([a, b])).toThrow(FlywheelError);
    expect(() => mergeHistograms([a, b])).toThrow(/histograms\[1\]/);
  });
});
