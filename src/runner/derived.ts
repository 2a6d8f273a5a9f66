// Series of epochs.csv computed by the runner from recorded series of the same replicate, not
// recorded by the model: they pair values within each replicate (or sum them over its epochs),
// which the statistics of the recorded series across replicates cannot. Each is a pure function of
// one replicate's record, so epochs.csv still does not depend on worker count, chunking or shard
// layout.
//
// - underwater[region]: 1 when the region's electricity cost per BTC (cost_per_btc_usd) is above
//   the replicate's BTC price (btc_price_usd) at the epoch, else 0. Across replicates its mean is
//   the share of replicates in which mining there loses money on power alone.
// - relocated_ehs_cumulative[destination]: relocated_ehs summed over epochs 0..t, the hashrate
//   moved to the destination since the start, so that its quantiles are those of the running total
//   (a sum of per-epoch quantiles is not a quantile of the sum).
import type { SeriesKey } from '../model/output.ts';

/** The derived metrics, in the order their rows follow the recorded series. */
export const DERIVED_METRICS = ['underwater', 'relocated_ehs_cumulative'] as const;

export interface DerivedSeries {
  key: SeriesKey;
  /** indices in the plan's series of the inputs, handed to `compute` in this order */
  inputs: number[];
  /** fills `out` (one replicate's E epochs) from the inputs' values over the same epochs */
  compute: (inputs: Float64Array[], out: Float64Array) => void;
}

function above([cost, price]: Float64Array[], out: Float64Array): void {
  for (let e = 0; e < out.length; e++) out[e] = cost[e] > price[e] ? 1 : 0;
}

function runningTotal([values]: Float64Array[], out: Float64Array): void {
  let total = 0;
  for (let e = 0; e < out.length; e++) out[e] = total += values[e];
}

/** The derived series a run with these recorded series gets, in output order (none whose input is missing). */
export function derivedSeries(series: readonly SeriesKey[]): DerivedSeries[] {
  const out: DerivedSeries[] = [];
  const price = series.findIndex((s) => s.metric === 'btc_price_usd' && s.region === '');
  if (price >= 0) {
    series.forEach((s, i) => {
      if (s.metric === 'cost_per_btc_usd') out.push({ key: { metric: 'underwater', region: s.region }, inputs: [i, price], compute: above });
    });
  }
  series.forEach((s, i) => {
    if (s.metric === 'relocated_ehs') out.push({ key: { metric: 'relocated_ehs_cumulative', region: s.region }, inputs: [i], compute: runningTotal });
  });
  return out;
}
