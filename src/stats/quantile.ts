// Quantiles of a sorted sample, by the method of epochs.csv (src/stats/summary.ts): linear
// interpolation between order statistics at rank (n − 1)p, d3-array's `quantileSorted`, the same as
// numpy.percentile's default "linear" method (Hyndman & Fan 1996, definition 7).
import { quantileSorted } from 'd3-array';

/** The p-quantile (0 <= p <= 1) of an ascending, finite, non-empty sample (see sortedFinite). */
export function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) throw new Error('quantile: no values');
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: p ${p} is not in [0, 1]`);
  // @types/d3-array declares quantileSorted for Array only; d3 only indexes and reads .length.
  return quantileSorted(sorted as unknown as number[], p) as number;
}
