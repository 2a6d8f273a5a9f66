// Per-replicate summary values: one row of replicates.csv. A pure function of one replicate's output,
// so that aggregates never depend on the order in which replicates finish.
import type { ReplicateOutput, SeriesKey } from '../model/output.ts';

/** How a column reduces its series over the epochs. */
type Reduce = 'last' | 'total' | 'min';

export interface SummaryColumn {
  name: string;
  unit: string;
  meaning: string;
  /** index of the series the column reduces */
  series: number;
  reduce: Reduce;
}

/** The summary columns for a set of series keys (same for every replicate of a config). */
export function summaryColumns(out: { series: SeriesKey[] }): SummaryColumn[] {
  const cols: SummaryColumn[] = [];
  const add = (metric: string, reduce: Reduce, name: string, unit: string, meaning: string) => {
    const series = out.series.findIndex((s) => s.metric === metric && s.region === '');
    if (series < 0) throw new Error(`no series ${metric}`);
    cols.push({ name, unit, meaning, series, reduce });
  };
  out.series.forEach((s, series) => {
    if (s.metric === 'share') cols.push({ name: `final_share_${s.region}`, unit: '0-1', meaning: `share of network hashrate in ${s.region} at the last epoch`, series, reduce: 'last' });
  });
  add('hhi_region', 'last', 'final_hhi_region', '0-10000', 'regional HHI at the last epoch');
  add('nakamoto_region', 'last', 'final_nakamoto_region', 'regions', 'regional Nakamoto coefficient at the last epoch');
  add('top3_share_region', 'last', 'final_top3_share_region', '0-1', 'share of the three largest regions at the last epoch');
  add('hhi_operator', 'last', 'final_hhi_operator', '0-10000', 'operator HHI at the last epoch');
  add('nakamoto_operator', 'last', 'final_nakamoto_operator', 'operators', 'operator Nakamoto coefficient at the last epoch');
  add('gini_operator', 'last', 'final_gini_operator', '0-1', 'operator Gini coefficient at the last epoch');
  add('hashrate_ehs', 'last', 'final_hashrate_ehs', 'EH/s', 'network hashrate at the last epoch');
  add('hashrate_ehs', 'min', 'min_hashrate_ehs', 'EH/s', 'lowest network hashrate over the run');
  add('btc_price_usd', 'last', 'final_btc_price_usd', 'USD', 'BTC price at the last epoch');
  add('capitulations', 'total', 'total_capitulations', 'operators', 'capitulations over the run');
  add('entries', 'total', 'total_entries', 'operators', 'entrants that took over exited sites over the run');
  add('reorganisations', 'total', 'total_reorganisations', 'operators', 'insolvent operators kept as going concerns by their creditors over the run');
  out.series.forEach((s, series) => {
    if (s.metric === 'relocations') cols.push({ name: `total_relocations_${s.region}`, unit: 'operators', meaning: `relocations to ${s.region} over the run`, series, reduce: 'total' });
  });
  add('ai_pivots', 'total', 'total_ai_pivots', 'operators', 'pivots to AI hosting over the run');
  add('ai_mw', 'last', 'final_ai_mw', 'MW', 'IT load converting to or hosting AI at the last epoch');
  return cols;
}

/** The summary values of one replicate, in the order of `summaryColumns`. */
export function summarizeReplicate(out: ReplicateOutput): number[] {
  const E = out.epochCount;
  return summaryColumns(out).map(({ series, reduce }) => {
    const from = series * E;
    if (reduce === 'last') return out.values[from + E - 1];
    let acc = reduce === 'min' ? Infinity : 0;
    for (let e = 0; e < E; e++) acc = reduce === 'min' ? Math.min(acc, out.values[from + e]) : acc + out.values[from + e];
    return acc;
  });
}
