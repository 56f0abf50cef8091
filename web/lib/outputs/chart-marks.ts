/** The Observable Plot marks and options of a chart output, shared by the cell's chart and its `.ipynb` SVG copy. */
import * as Plot from '@observablehq/plot';
import type { ChartOutput } from '../../../workers/protocol';

/** Height of a chart output: room for axes and a legend at any width. */
export const CHART_HEIGHT = 320;

export function chartMarks(c: ChartOutput, color: string): Plot.Markish[] {
  const paint = c.z ?? color;
  switch (c.mark) {
    case 'line':
      return [Plot.lineY(c.data, { x: c.x, y: c.y, stroke: paint, tip: true })];
    case 'bar':
      return [Plot.barY(c.data, { x: c.x, y: c.y, fill: paint, tip: true }), Plot.ruleY([0])];
    case 'area':
      return [Plot.areaY(c.data, { x: c.x, y: c.y, fill: paint, fillOpacity: 0.6 }), Plot.ruleY([0])];
    default:
      return [Plot.dot(c.data, { x: c.x, y: c.y, stroke: paint, tip: true })];
  }
}

/** A chart as standalone SVG text (no CSS variables, no legend figure), as Jupyter shows `image/svg+xml`. */
export function chartSvg(c: ChartOutput): string {
  const svg = Plot.plot({
    width: 640,
    height: CHART_HEIGHT,
    grid: true,
    marginLeft: 50,
    style: { background: 'white', color: '#1d1f23', fontSize: '12px' },
    x: { label: c.x },
    y: { label: c.y },
    color: c.z ? { legend: false } : undefined,
    marks: chartMarks(c, '#3b5bdb'),
  });
  return new XMLSerializer().serializeToString(svg);
}
