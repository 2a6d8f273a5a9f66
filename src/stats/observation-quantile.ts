// Where an observation falls in a simulated distribution: the share of the sample below it, with
// ties counted half (mid-rank), so that an observation equal to every replicate sits at 0.5 and a
// calibrated forecast gives quantiles spread evenly over [0, 1] (a probability integral transform).

/** (#{x < y} + 0.5 · #{x = y}) / n over an ascending, non-empty sample; in [0, 1]. */
export function observationQuantile(sorted: Float64Array, y: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('observationQuantile: no values');
  if (!Number.isFinite(y)) throw new Error(`observationQuantile: observation ${y} is not finite`);
  // binary searches for the first x >= y and the first x > y
  const firstAtLeast = lowerBound(sorted, y, false);
  const firstAbove = lowerBound(sorted, y, true);
  return (firstAtLeast + 0.5 * (firstAbove - firstAtLeast)) / n;
}

/** Index of the first element >= y (or > y when `strict`), n if none. */
function lowerBound(sorted: Float64Array, y: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? sorted[mid] <= y : sorted[mid] < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
