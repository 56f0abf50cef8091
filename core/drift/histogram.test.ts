import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { histogramOf, mergeHistograms, sturgesBinEdges } from './histogram';
import { normalishSample } from './test-samples';

describe('sturgesBinEdges and histogramOf agree with NumPy', () => {
  it('reproduces np.histogram_bin_edges(a, bins="sturges") and np.histogram(a, edges)', () => {
    // a = normalish(20, 100, 3, 2); e = np.histogram_bin_edges(a, bins='sturges'); np.histogram(a, e)[0]
    const a = normalishSample(20, 100, 3, 2);
    const edges = sturgesBinEdges(a);
    expect(Array.from(edges)).toEqual([
      -3.0952189788222313, -1.79093810840277, -0.48665723798330873, 0.8176236324361525, 2.121904502855614,
      3.426185373275075, 4.730466243694536, 6.034747114113998, 7.339027984533459,
    ]);
    const h = histogramOf(a, edges);
    expect(Array.from(h.counts)).toEqual([1, 6, 14, 21, 18, 19, 15, 6]);
    expect([h.underflow, h.overflow]).toEqual([0, 0]);
  });

  it('widens a constant sample to one bin of width 1, as NumPy does', () => {
    expect(Array.from(sturgesBinEdges([5, 5, 5]))).toEqual([4.5, 5.5]);
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
