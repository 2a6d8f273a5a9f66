// Monte Carlo error of the statistics across replicates: how far the mean and the 5/50/95% quantiles
// of epochs.csv could move if the batch were run again with other seeds.
//
// - se_mean = sd / √n, the standard error of the mean (a 95% interval is about mean ± 1.96 se_mean).
// - For a quantile ξ_p, the distribution-free interval between two order statistics
//   [X_(l), X_(u)]: with B ~ Binomial(n, p) the number of values below ξ_p,
//   P(X_(l) ≤ ξ_p < X_(u)) = P(l ≤ B ≤ u − 1) (David & Nagaraja, "Order Statistics", 3rd ed., §7.1).
//   l is the largest rank with P(B ≤ l − 1) ≤ 2.5% and u the smallest with P(B ≤ u − 1) ≥ 97.5%, so
//   the coverage is at least 95%; when n is too small for that, the interval is cut at the sample's
//   extremes (l = 1, u = n) and covers less.

/** The epochs.csv columns of the Monte Carlo error, in order. */
export const MC_COLUMNS = ['se_mean', 'p05_low', 'p05_high', 'p50_low', 'p50_high', 'p95_low', 'p95_high'] as const;

export interface McError {
  seMean: number;
  p05Low: number;
  p05High: number;
  p50Low: number;
  p50High: number;
  p95Low: number;
  p95High: number;
}

/** ln C(n, k) via a running sum of logs is O(n); the binomial pmf is built by its ratio recurrence instead. */
function binomialCdf(n: number, p: number): Float64Array {
  // pmf(k + 1) / pmf(k) = (n − k) / (k + 1) · p / (1 − p), started from the mode in log space for stability
  const logPmf = new Float64Array(n + 1);
  const mode = Math.floor((n + 1) * p);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  logPmf[mode] = 0;
  for (let k = mode; k < n; k++) logPmf[k + 1] = logPmf[k] + Math.log((n - k) / (k + 1)) + lp - lq;
  for (let k = mode; k > 0; k--) logPmf[k - 1] = logPmf[k] - Math.log((n - k + 1) / k) - lp + lq;
  let total = 0;
  const pmf = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) total += pmf[k] = Math.exp(logPmf[k]);
  const cdf = new Float64Array(n + 1);
  let acc = 0;
  for (let k = 0; k <= n; k++) cdf[k] = acc += pmf[k] / total;
  return cdf;
}

const rankCache = new Map<string, [number, number]>();

/** 1-based ranks [l, u] of the order statistics bounding a 95% interval of the p-quantile from n values. */
export function quantileRanks(n: number, p: number): [number, number] {
  const key = `${n}|${p}`;
  const cached = rankCache.get(key);
  if (cached) return cached;
  const cdf = binomialCdf(n, p);
  // P(B ≤ k − 1) = cdf[k − 1], with P(B ≤ −1) = 0
  const below = (k: number) => (k <= 0 ? 0 : cdf[Math.min(n, k - 1)]);
  let l = 0;
  while (l + 1 <= n && below(l + 1) <= 0.025) l++;
  let u = n + 1;
  while (u - 1 >= 1 && below(u - 1) >= 0.975) u--;
  const ranks: [number, number] = [Math.max(1, l), Math.min(n, u)];
  if (rankCache.size > 1000) rankCache.clear();
  rankCache.set(key, ranks);
  return ranks;
}

/** The Monte Carlo error of a column of replicate values (finite; `sd` its sample sd). */
export function monteCarloError(values: Float64Array | readonly number[], sd: number): McError {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const interval = (p: number): [number, number] => {
    const [l, u] = quantileRanks(n, p);
    return [sorted[l - 1], sorted[u - 1]];
  };
  const [p05Low, p05High] = interval(0.05);
  const [p50Low, p50High] = interval(0.5);
  const [p95Low, p95High] = interval(0.95);
  return { seMean: sd / Math.sqrt(n), p05Low, p05High, p50Low, p50High, p95Low, p95High };
}
