// Variance-based sensitivity indices: Saltelli's sampling scheme and the first-order and total
// indices by the estimators Saltelli et al. (2010) recommend.
//
// Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S. (2010). "Variance
// based sensitivity analysis of model output. Design and estimator for the total sensitivity index."
// Computer Physics Communications 181(2), 259-270, Table 2: with A and B two independent N × k
// samples and AB_i equal to A with column i taken from B,
//   first order   S_i  = (1/N) Σ_j f(B)_j (f(AB_i)_j − f(A)_j) / V           (Saltelli 2010, (b))
//   total         ST_i = (1/2N) Σ_j (f(A)_j − f(AB_i)_j)² / V                (Jansen 1999, (f))
// where V is the variance of f over the A and B rows together. Intervals: percentile bootstrap over
// the N rows (the same resampled rows for A, B and every AB_i).
//
// Samples here are pseudo-random (a seeded stream), not a quasi-random Sobol' sequence, so estimates
// converge as 1/√N; the bootstrap intervals say how far.
import { quantileSorted } from 'd3-array';

export type Uniform = () => number;

/**
 * The N(k + 2) points of the Saltelli design on the unit cube, in blocks: A (rows 0 … N−1), B (N … 2N−1),
 * then AB_1 … AB_k (N rows each). Each point is an array of k coordinates in [0, 1).
 */
export function saltelliSample(k: number, n: number, uniform: Uniform): number[][] {
  const A = Array.from({ length: n }, () => Array.from({ length: k }, () => uniform()));
  const B = Array.from({ length: n }, () => Array.from({ length: k }, () => uniform()));
  const points = [...A, ...B];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < n; j++) {
      const row = A[j].slice();
      row[i] = B[j][i];
      points.push(row);
    }
  }
  return points;
}

export interface SobolIndex {
  /** parameter index 0 … k−1 */
  parameter: number;
  s1: number;
  s1Low: number;
  s1High: number;
  st: number;
  stLow: number;
  stHigh: number;
}

/** Plain sums in a fixed order: deterministic, and fast enough for thousands of bootstrap resamples. */
function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

function variance(values: Float64Array): number {
  const n = values.length;
  const mean = sum(values) / n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - mean) ** 2;
  return s / (n - 1);
}

/** S_i and ST_i from the model outputs over rows `rows` (indices into 0 … N−1). */
function estimate(y: ArrayLike<number>, n: number, k: number, rows: Int32Array): { s1: number[]; st: number[] } {
  const m = rows.length;
  const pooled = new Float64Array(2 * m);
  for (let t = 0; t < m; t++) {
    pooled[t] = y[rows[t]];
    pooled[m + t] = y[n + rows[t]];
  }
  const V = variance(pooled);
  const s1: number[] = [];
  const st: number[] = [];
  const first = new Float64Array(m);
  const total = new Float64Array(m);
  for (let i = 0; i < k; i++) {
    const offset = (2 + i) * n;
    for (let t = 0; t < m; t++) {
      const j = rows[t];
      const fA = y[j];
      const fB = y[n + j];
      const fAB = y[offset + j];
      first[t] = fB * (fAB - fA);
      total[t] = (fA - fAB) ** 2;
    }
    s1.push(V === 0 ? 0 : sum(first) / m / V);
    st.push(V === 0 ? 0 : sum(total) / (2 * m) / V);
  }
  return { s1, st };
}

/**
 * First-order and total indices of each of the k parameters from outputs `y` at the points of
 * saltelliSample(k, n, ·), in that order, with percentile bootstrap 95% intervals over `resamples`
 * resamples of the N rows drawn with `uniform`.
 */
export function sobolIndices(y: ArrayLike<number>, k: number, n: number, resamples: number, uniform: Uniform): SobolIndex[] {
  if (y.length !== n * (k + 2)) throw new Error(`sobolIndices: ${y.length} outputs; expected N(k + 2) = ${n * (k + 2)}`);
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new Error(`sobolIndices: output ${i} is ${y[i]}; expected a finite number`);
  const all = Int32Array.from({ length: n }, (_, j) => j);
  const point = estimate(y, n, k, all);
  const bootS1 = Array.from({ length: k }, () => new Float64Array(resamples));
  const bootSt = Array.from({ length: k }, () => new Float64Array(resamples));
  const rows = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let t = 0; t < n; t++) rows[t] = Math.floor(uniform() * n);
    const e = estimate(y, n, k, rows);
    for (let i = 0; i < k; i++) {
      bootS1[i][b] = e.s1[i];
      bootSt[i][b] = e.st[i];
    }
  }
  const q = (values: Float64Array, p: number) => (resamples === 0 ? NaN : (quantileSorted(values.sort() as unknown as number[], p) as number));
  return Array.from({ length: k }, (_, i) => ({
    parameter: i,
    s1: point.s1[i],
    s1Low: q(bootS1[i], 0.025),
    s1High: q(bootS1[i], 0.975),
    st: point.st[i],
    stLow: q(bootSt[i], 0.025),
    stHigh: q(bootSt[i], 0.975),
  }));
}
