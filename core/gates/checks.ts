/**
 * One gate check each: a value threshold on the candidate alone, or a change threshold against the
 * champion. Each returns its verdict with a sentence that says why, numbers included.
 */
import type { MetricName } from '../metrics';
import type { GateCheck } from './report';
import type { ChangeThreshold } from './spec';

/**
 * Metric values carry rounding error (0.80 − 0.81 is −0.010000000000000009), so a check that misses
 * its threshold by less than this, relative to the magnitudes involved, counts as met.
 */
export const GATE_TOLERANCE = 1e-12;

/** What every check of one gate shares: the metric and both values, already looked up. */
export interface CheckContext {
  gate: number;
  metric: MetricName;
  higherIsBetter: boolean;
  candidate: number | null;
  /** Why the candidate has no value, when its metrics say. */
  candidateReason?: string;
  hasChampion: boolean;
  champion: number | null;
  championReason?: string;
  delta: number | null;
  ratio: number | null;
}

/** Short numbers for sentences: 6 significant digits is enough to see why a check failed. */
function sixDigits(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function atLeast(value: number, threshold: number, ...scale: number[]): boolean {
  return value >= threshold - GATE_TOLERANCE * Math.max(1, ...scale.map(Math.abs));
}

function result(
  ctx: CheckContext,
  kind: GateCheck['kind'],
  threshold: number,
  passed: boolean,
  reason: string,
): GateCheck {
  const { gate, metric, higherIsBetter, candidate, champion, delta, ratio } = ctx;
  return { gate, metric, kind, threshold, higherIsBetter, candidate, champion, delta, ratio, passed, reason };
}

function missingCandidate(ctx: CheckContext): string {
  return `the candidate has no value for ${ctx.metric}${ctx.candidateReason ? ` (${ctx.candidateReason})` : ''}`;
}

export function valueCheck(ctx: CheckContext, kind: 'min' | 'max', threshold: number): GateCheck {
  const c = ctx.candidate;
  if (c === null) return result(ctx, kind, threshold, false, missingCandidate(ctx));
  const passed = kind === 'min' ? atLeast(c, threshold, c, threshold) : atLeast(-c, -threshold, c, threshold);
  const bound = kind === 'min' ? 'minimum' : 'maximum';
  const verdict = passed ? 'meets the' : kind === 'min' ? 'is below the' : 'is above the';
  return result(
    ctx,
    kind,
    threshold,
    passed,
    `${ctx.metric} ${sixDigits(c)} ${verdict} ${bound} ${sixDigits(threshold)}`,
  );
}

export function changeCheck(ctx: CheckContext, change: ChangeThreshold): GateCheck {
  const kind = change.minDelta !== undefined ? 'minDelta' : 'minRatio';
  const threshold = change.minDelta ?? change.minRatio;
  const { candidate: c, champion: p } = ctx;
  if (c === null) return result(ctx, kind, threshold, false, missingCandidate(ctx));
  if (!ctx.hasChampion)
    return result(ctx, kind, threshold, true, 'no champion to compare with, so the change threshold passes');
  if (p === null) {
    const why = ctx.championReason ? ` (${ctx.championReason})` : '';
    return result(
      ctx,
      kind,
      threshold,
      true,
      `the champion has no value for ${ctx.metric}${why}, so the change threshold passes`,
    );
  }
  const delta = ctx.delta as number;
  const direction = ctx.higherIsBetter
    ? 'higher is better: candidate − champion'
    : 'lower is better: champion − candidate';
  const values = `${ctx.metric} ${sixDigits(c)} vs champion ${sixDigits(p)}`;
  if (kind === 'minDelta') {
    const passed = atLeast(delta, threshold, c, p);
    const verdict = passed ? 'meets' : 'is below';
    return result(
      ctx,
      kind,
      threshold,
      passed,
      `${values}: improvement ${sixDigits(delta)} (${direction}) ${verdict} the minimum ${sixDigits(threshold)}`,
    );
  }
  if (ctx.ratio === null) {
    // The champion scored exactly 0: any change is infinitely large, so only its sign decides.
    const passed = delta > 0;
    return result(
      ctx,
      kind,
      threshold,
      passed,
      `${values}: the champion's value is 0, so the ratio is infinite and ${passed ? 'positive: passes' : 'negative: fails'}`,
    );
  }
  const passed = atLeast(ctx.ratio, threshold, ctx.ratio, threshold);
  const verdict = passed ? 'meets' : 'is below';
  return result(
    ctx,
    kind,
    threshold,
    passed,
    `${values}: ratio ${sixDigits(ctx.ratio)} (1 + improvement / |champion|, ${direction}) ${verdict} the minimum ${sixDigits(threshold)}`,
  );
}
