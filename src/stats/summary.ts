// Summary statistics of one quantity across replicates.
//
// d3-array's mean/deviation/quantile silently skip NaN, null and undefined and return undefined
// on empty input (https://d3js.org/d3-array/summarize): a replicate that produced NaN would just
// vanish from the aggregate. `describe` refuses such input instead.
//
// Results are bit-identical whatever the input order: the values are copied into a sorted
// Float64Array first, and the sums use d3's exactly rounded `fsum`/`Adder`
// (Shewchuk's algorithm, as Python's math.fsum), so neither depends on order.

import { Adder, fsum, quantileSorted } from 'd3-array';
import { sortedFinite } from './sorted.ts';

/** The statistics of a Summary, in the column order of epochs.csv. */
export const STAT_COLUMNS = ['mean', 'sd', 'min', 'p05', 'p25', 'p50', 'p75', 'p95', 'max'] as const satisfies readonly (keyof Summary)[];
/** The statistics points.csv gives of each summary value across a point's replicates (then its MC_COLUMNS). */
export const POINT_STAT_COLUMNS = ['mean', 'p05', 'p50', 'p95'] as const satisfies readonly (keyof Summary)[];

export interface Summary {
  mean: number;
  /** sample standard deviation (n − 1 denominator); 0 for a single value */
  sd: number;
  min: number;
  p05: number;
  p25: number;
  /** median */
  p50: number;
  p75: number;
  p95: number;
  max: number;
}

/** Sample standard deviation around `mean`, with the squared deviations summed exactly. */
function sampleSd(sorted: Float64Array, mean: number): number {
  const count = sorted.length;
  if (count === 1) return 0;
  const squaredDeviations = new Adder();
  for (let i = 0; i < count; i++) {
    const deviation = sorted[i] - mean;
    // Adder is what fsum accumulates into; called directly to skip a callback per value.
    if (deviation !== 0) squaredDeviations.add(deviation * deviation);
  }
  return Math.sqrt(+squaredDeviations / (count - 1));
}

/**
 * Mean, sample sd, min, max and the 5/25/50/75/95th percentiles of `values`. Percentiles
 * interpolate linearly between order statistics at rank (n − 1)p — d3's `quantileSorted`, the
 * same as numpy.percentile's default "linear" method (Hyndman & Fan 1996, definition 7).
 * `label` names the quantity in error messages: `Error("<label>: NaN at index i")` for a
 * non-finite value (the value is named, so "Infinity at index i" for an infinity) and
 * `Error("<label>: no values")` for empty input.
 */
export function describe(values: Float64Array | readonly number[], label: string): Summary {
  const sorted = sortedFinite(values, label);
  const count = sorted.length;
  const min = sorted[0];
  const max = sorted[count - 1];
  // fsum is exact, but dividing its rounded result by n can land one ulp outside [min, max]
  // (three 0.1s give 0.10000000000000002); clamping keeps the mean of equal values exact and
  // their sd exactly 0.
  const mean = Math.min(max, Math.max(min, fsum(sorted) / count));
  // @types/d3-array declares quantileSorted for Array only, but d3 just indexes its input and
  // reads .length, so a Float64Array works; the cast saves copying 10,000 values per call.
  const sortedForD3 = sorted as unknown as number[];
  // quantileSorted returns undefined only for empty input or NaN p, both excluded above.
  const percentile = (p: number): number => quantileSorted(sortedForD3, p) as number;
  return {
    mean,
    sd: sampleSd(sorted, mean),
    min,
    p05: percentile(0.05),
    p25: percentile(0.25),
    p50: percentile(0.5),
    p75: percentile(0.75),
    p95: percentile(0.95),
    max,
  };
}
