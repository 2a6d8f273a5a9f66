// The scorecard of one series (a metric and region): its observations' scores summed up. Coverage
// is the share of observations inside each interval (a calibrated forecast covers about 50% and
// 90%); the mean CRPS is divided by the mean absolute observation for a score without unit, so that
// series of different scale (EH/s, difficulty, shares) can be read side by side.
import { fsum } from 'd3-array';
import type { ObservationScore } from './score.ts';
import { medianAbsLogError } from './log-error.ts';

export interface SeriesScorecard {
  /** observations scored */
  n: number;
  /** median of |ln(median / observed)| over the observations where both are positive; null if none */
  mdale: number | null;
  /** observations where the log error is defined */
  nLog: number;
  coverage50: number;
  coverage90: number;
  crpsMean: number;
  /** mean CRPS / mean |observed|; null when every observation is 0 */
  crpsRelative: number | null;
}

/** Sums up the scores of one series' observations (`observed[i]` scored as `scores[i]`), in any order. */
export function seriesScorecard(scores: readonly ObservationScore[], observed: readonly number[]): SeriesScorecard {
  const n = scores.length;
  if (n === 0 || observed.length !== n) throw new Error(`seriesScorecard: ${n} scores for ${observed.length} observations (expected the same number, at least 1)`);
  const logErrors = scores.map((s) => s.absLogError);
  const crpsMean = fsum(scores.map((s) => s.crps)) / n;
  const meanAbsObserved = fsum(observed.map(Math.abs)) / n;
  return {
    n,
    mdale: medianAbsLogError(logErrors),
    nLog: logErrors.filter((e) => e !== null).length,
    coverage50: scores.filter((s) => s.in50).length / n,
    coverage90: scores.filter((s) => s.in90).length / n,
    crpsMean,
    crpsRelative: meanAbsObserved > 0 ? crpsMean / meanAbsObserved : null,
  };
}
