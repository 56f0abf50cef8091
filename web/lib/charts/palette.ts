/**
 * Series colours shared by every chart: mid-lightness hues that read on both the light and the dark
 * panel, in an order where neighbours differ in hue (series 1 and 2 are the usual compare pair).
 */
export const SERIES_COLORS = [
  '#4c6ef5',
  '#f08c00',
  '#12b886',
  '#e64980',
  '#7950f2',
  '#15aabf',
  '#82c91e',
  '#fa5252',
] as const;

/** The colour of the i-th series; wraps around past the palette's end. */
export function seriesColor(i: number): string {
  return SERIES_COLORS[((i % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length];
}
