// Log errors of a point forecast: |ln(simulated / observed)|, scale-free and symmetric in over- and
// under-prediction (a factor 2 either way is ln 2 ≈ 0.69). Defined only when both are positive.
import { quantileSorted } from 'd3-array';
import { sortedFinite } from './sorted.ts';

/** |ln(simulated / observed)|, or null when either is not positive (no log ratio exists). */
export function absLogError(simulated: number, observed: number): number | null {
  if (!(simulated > 0 && observed > 0)) return null;
  return Math.abs(Math.log(simulated / observed));
}

/** The median of the defined log errors (nulls left out), or null when none is defined. */
export function medianAbsLogError(errors: readonly (number | null)[]): number | null {
  const defined = errors.filter((e): e is number => e !== null);
  if (defined.length === 0) return null;
  return quantileSorted(sortedFinite(defined, 'medianAbsLogError') as unknown as number[], 0.5) as number;
}
