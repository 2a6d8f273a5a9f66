// The score of one observation against the replicates' simulated values at its date: the median
// and central intervals of the simulated distribution, where the observation falls in it, whether
// each interval covers it, its CRPS and its log error.
import { sortedFinite } from './sorted.ts';
import { quantile } from './quantile.ts';
import { centralInterval, inInterval } from './central-interval.ts';
import { observationQuantile } from './observation-quantile.ts';
import { crps } from './crps.ts';
import { absLogError } from './log-error.ts';

export interface ObservationScore {
  median: number;
  p05: number;
  p25: number;
  p75: number;
  p95: number;
  /** mid-rank quantile of the observation in the simulated distribution, 0-1 */
  quantile: number;
  /** inside the 50% central interval [p25, p75] */
  in50: boolean;
  /** inside the 90% central interval [p05, p95] */
  in90: boolean;
  /** CRPS of the replicates at the observation, in its unit */
  crps: number;
  /** |ln(median / observed)|, null unless both are positive */
  absLogError: number | null;
}

/** Scores `observed` against the simulated `values` (any order; `label` names them in errors). */
export function scoreObservation(values: Float64Array | readonly number[], observed: number, label: string): ObservationScore {
  const sorted = sortedFinite(values, label);
  const i50 = centralInterval(sorted, 50);
  const i90 = centralInterval(sorted, 90);
  const median = quantile(sorted, 0.5);
  return {
    median,
    p05: i90.lo,
    p25: i50.lo,
    p75: i50.hi,
    p95: i90.hi,
    quantile: observationQuantile(sorted, observed),
    in50: inInterval(observed, i50),
    in90: inInterval(observed, i90),
    crps: crps(sorted, observed),
    absLogError: absLogError(median, observed),
  };
}
