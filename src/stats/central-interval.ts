// Central (equal-tailed) prediction intervals of a sample: the 50% interval is [p25, p75], the 90%
// interval [p05, p95], as in the bands of epochs.csv and the report's fan charts.
import { quantile } from './quantile.ts';

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * The central interval holding `percent`% (an integer, 0 < percent < 100) of an ascending sample:
 * [q((100 − percent) / 200), q((100 + percent) / 200)]. In whole percent so that the 90% interval's
 * bounds are exactly the p05 and p95 of epochs.csv ((1 − 0.9) / 2 is not 0.05 in binary).
 */
export function centralInterval(sorted: Float64Array, percent: number): Interval {
  if (!(Number.isInteger(percent) && percent > 0 && percent < 100)) throw new Error(`centralInterval: ${percent}% is not a whole percent in (0, 100)`);
  return { lo: quantile(sorted, (100 - percent) / 200), hi: quantile(sorted, (100 + percent) / 200) };
}

/** True when y lies in the closed interval [lo, hi] (an observation on a bound counts as inside). */
export function inInterval(y: number, interval: Interval): boolean {
  return y >= interval.lo && y <= interval.hi;
}
