// The continuous ranked probability score of an ensemble forecast against one observation, exactly
// for the sample's empirical distribution (Gneiting & Raftery 2007, "Strictly proper scoring rules,
// prediction, and estimation", JASA 102, eq. 20):
//   CRPS = E|X − y| − ½ E|X − X'|
// with X, X' independent draws from the n replicates. On the sorted sample x₍₀₎ <= … <= x₍ₙ₋₁₎ the
// double sum is linear: Σᵢ Σⱼ |xᵢ − xⱼ| = 2 Σᵢ (2i − n + 1) x₍ᵢ₎, so the score costs O(n).
// It has the unit of the observation; for a point mass at x it is |x − y|. Sums are exact (fsum),
// so the score does not depend on the order of the replicates.
import { Adder } from 'd3-array';

/** CRPS of the empirical distribution of an ascending, finite, non-empty sample at observation y. */
export function crps(sorted: Float64Array, y: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('crps: no values');
  if (!Number.isFinite(y)) throw new Error(`crps: observation ${y} is not finite`);
  const absolute = new Adder();
  const spread = new Adder();
  for (let i = 0; i < n; i++) {
    const x = sorted[i];
    absolute.add(Math.abs(x - y));
    spread.add((2 * i - n + 1) * x);
  }
  // E|X − y| − ½ · (2 Σ (2i − n + 1) x₍ᵢ₎) / n²
  const score = +absolute / n - +spread / (n * n);
  // rounding can leave a tiny negative score for a sample of equal values at y
  return Math.max(0, score);
}
