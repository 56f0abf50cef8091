/** Chart components shared by the app's views: histograms, category bars, multi-series lines and dots, live series, confusion matrices. */
export { default as Histogram } from './Histogram.svelte';
export { default as CategoryBars } from './CategoryBars.svelte';
export { default as LineChart } from './LineChart.svelte';
export { default as DotChart } from './DotChart.svelte';
export { default as LiveSeries } from './LiveSeries.svelte';
export { default as ConfusionMatrix } from './ConfusionMatrix.svelte';
export type { LineSeries, LiveDensity, LiveLine } from './types';
export { seriesColor, SERIES_COLORS } from './palette';
export { formatNumber, niceTicks } from './scale';
