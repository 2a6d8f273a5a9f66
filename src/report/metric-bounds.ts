// The range each known series of epochs.csv can take (docs/OUTPUTS.md), so that a report never draws
// a value no run can produce (a share of -7 from an edited file). Metrics not listed here are only
// checked for ordered statistics. Units as in src/model/metrics.ts.

/** [lowest, highest] value of a metric's series; shares are 0-1, HHIs 0-10,000. */
export const METRIC_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  share: [0, 1],
  top3_share_region: [0, 1],
  top3_share_operator: [0, 1],
  unprofitable_share: [0, 1],
  secondary_discount: [0, 1],
  gini_operator: [0, 1],
  hhi_region: [0, 10_000],
  hhi_operator: [0, 10_000],
  hashrate_ehs: [0, Infinity],
  difficulty: [0, Infinity],
  epoch_days: [0, Infinity],
  btc_price_usd: [0, Infinity],
  fee_ratio: [0, Infinity],
  subsidy_btc: [0, Infinity],
  hashprice_usd_ph_day: [0, Infinity],
  nakamoto_region: [0, Infinity],
  nakamoto_operator: [0, Infinity],
  entropy_region_bits: [0, Infinity],
  entropy_operator_bits: [0, Infinity],
  mean_efficiency_j_th: [0, Infinity],
  frontier_j_th: [0, Infinity],
  operators_mining: [0, Infinity],
  capitulations: [0, Infinity],
  capitulated_ehs: [0, Infinity],
  entries: [0, Infinity],
  reorganisations: [0, Infinity],
  relocations_total: [0, Infinity],
  ai_pivots: [0, Infinity],
  ai_mw: [0, Infinity],
  ai_mw_new: [0, Infinity],
  bought_used_ehs: [0, Infinity],
  bought_new_ehs: [0, Infinity],
  retired_ehs: [0, Infinity],
  pipeline_ehs: [0, Infinity],
  pipeline_lead_years: [0, Infinity],
  expected_growth_per_year: [-Infinity, Infinity],
  expected_hashprice_usd_ph_day: [0, Infinity],
  invested_mw: [0, Infinity],
  region_hashrate_ehs: [0, Infinity],
  cost_per_btc_usd: [0, Infinity],
  power_price_usd_kwh: [0, Infinity],
  relocations_out: [0, Infinity],
  load_mw: [0, Infinity],
  over_cap_mw: [0, Infinity],
  relocations: [0, Infinity],
  relocated_ehs: [0, Infinity],
  underwater: [0, 1],
  relocated_ehs_cumulative: [0, Infinity],
};

/** Rounding slack: statistics computed in floating point may cross a bound by a few ulps. */
const SLACK = 1e-9;
const below = (a: number, b: number) => a < b - SLACK * Math.max(1, Math.abs(a), Math.abs(b));

/** Why a row's statistics cannot be (out of the metric's range, or not ordered), or undefined. */
export function statProblem(metric: string, s: { min: number; p05: number; p25: number; p50: number; p75: number; p95: number; max: number; mean: number; sd: number }): string | undefined {
  const order = ['min', 'p05', 'p25', 'p50', 'p75', 'p95', 'max'] as const;
  for (let i = 1; i < order.length; i++) {
    if (below(s[order[i]], s[order[i - 1]])) return `${order[i]} ${s[order[i]]} is below ${order[i - 1]} ${s[order[i - 1]]} (expected min <= p05 <= ... <= max)`;
  }
  if (below(s.mean, s.min) || below(s.max, s.mean)) return `mean ${s.mean} is not valid (expected a mean between min ${s.min} and max ${s.max})`;
  if (s.sd < 0) return `sd ${s.sd} is not valid (expected >= 0)`;
  const bounds = METRIC_BOUNDS[metric];
  if (bounds && (below(s.min, bounds[0]) || below(bounds[1], s.max))) {
    const bad = below(s.min, bounds[0]) ? `min ${s.min}` : `max ${s.max}`;
    return `${bad} is not valid (expected ${metric} within [${bounds[0]}, ${bounds[1]}])`;
  }
  return undefined;
}
