/**
 * A classifier's predictions in a window: counts per predicted label. Labels come from the model's
 * fixed output set, so unlike request values they need no cap.
 */
import { emptyCounts, sumCounts, type Counts } from './counts';

export interface LabelSketch {
  type: 'labels';
  count: number;
  counts: Counts;
}

export function emptyLabelSketch(): LabelSketch {
  return { type: 'labels', count: 0, counts: emptyCounts() };
}

export function addLabel(s: LabelSketch, label: string): void {
  s.count++;
  s.counts[label] = (s.counts[label] ?? 0) + 1;
}

export function mergeLabelSketches(a: LabelSketch, b: LabelSketch): LabelSketch {
  return { type: 'labels', count: a.count + b.count, counts: sumCounts(a.counts, b.counts) };
}
