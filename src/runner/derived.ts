// Series of epochs.csv computed by the runner from two series of the same replicate, not recorded by
// the model: they pair values within each replicate, which statistics of the two series across
// replicates cannot. Each is a pure function of one replicate's record, so epochs.csv still does
// not depend on worker count, chunking or shard layout.
//
// - underwater[region]: 1 when the region's electricity cost per BTC (cost_per_btc_usd) is above
//   the replicate's BTC price (btc_price_usd) at the epoch, else 0. Across replicates its mean is
//   the share of replicates in which mining there loses money on power alone.
import type { SeriesKey } from '../model/output.ts';

/** The derived metrics, in the order their rows follow the recorded series. */
export const DERIVED_METRICS = ['underwater'] as const;

export interface DerivedSeries {
  key: SeriesKey;
  /** indices in the plan's series of the two inputs: value = compute(series a, series b) */
  a: number;
  b: number;
  compute: (a: number, b: number) => number;
}

const above = (cost: number, price: number): number => (cost > price ? 1 : 0);

/** The derived series a run with these recorded series gets (none when an input is missing). */
export function derivedSeries(series: readonly SeriesKey[]): DerivedSeries[] {
  const price = series.findIndex((s) => s.metric === 'btc_price_usd' && s.region === '');
  if (price < 0) return [];
  const out: DerivedSeries[] = [];
  series.forEach((s, i) => {
    if (s.metric === 'cost_per_btc_usd') out.push({ key: { metric: 'underwater', region: s.region }, a: i, b: price, compute: above });
  });
  return out;
}
