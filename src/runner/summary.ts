// Per-replicate summary values: one row of replicates.csv. A pure function of one replicate's output,
// so that aggregates never depend on the order in which replicates finish.
import type { ReplicateOutput } from '../model/output.ts';

export interface SummaryColumn {
  name: string;
  unit: string;
  meaning: string;
}

function seriesIndex(out: ReplicateOutput, metric: string, region = ''): number {
  const k = out.series.findIndex((s) => s.metric === metric && s.region === region);
  if (k < 0) throw new Error(`no series ${metric}${region ? `[${region}]` : ''}`);
  return k;
}

/** The summary columns for a set of series keys (same for every replicate of a config). */
export function summaryColumns(out: Pick<ReplicateOutput, 'series'>): SummaryColumn[] {
  const cols: SummaryColumn[] = [];
  for (const s of out.series) if (s.metric === 'share') cols.push({ name: `final_share_${s.region}`, unit: '0-1', meaning: `share of network hashrate in ${s.region} at the last epoch` });
  cols.push(
    { name: 'final_hhi_region', unit: '0-10000', meaning: 'regional HHI at the last epoch' },
    { name: 'final_nakamoto_region', unit: 'regions', meaning: 'regional Nakamoto coefficient at the last epoch' },
    { name: 'final_top3_share_region', unit: '0-1', meaning: 'share of the three largest regions at the last epoch' },
    { name: 'final_hhi_operator', unit: '0-10000', meaning: 'operator HHI at the last epoch' },
    { name: 'final_nakamoto_operator', unit: 'operators', meaning: 'operator Nakamoto coefficient at the last epoch' },
    { name: 'final_gini_operator', unit: '0-1', meaning: 'operator Gini coefficient at the last epoch' },
    { name: 'final_hashrate_ehs', unit: 'EH/s', meaning: 'network hashrate at the last epoch' },
    { name: 'min_hashrate_ehs', unit: 'EH/s', meaning: 'lowest network hashrate over the run' },
    { name: 'final_btc_price_usd', unit: 'USD', meaning: 'BTC price at the last epoch' },
    { name: 'total_capitulations', unit: 'operators', meaning: 'capitulations over the run' },
    { name: 'total_entries', unit: 'operators', meaning: 'entrants that took over exited sites over the run' },
  );
  for (const s of out.series) if (s.metric === 'relocations') cols.push({ name: `total_relocations_${s.region}`, unit: 'operators', meaning: `relocations to ${s.region} over the run` });
  cols.push(
    { name: 'total_ai_pivots', unit: 'operators', meaning: 'pivots to AI hosting over the run' },
    { name: 'final_ai_mw', unit: 'MW', meaning: 'IT load converting to or hosting AI at the last epoch' },
  );
  return cols;
}

/** The summary values of one replicate, in the order of `summaryColumns`. */
export function summarizeReplicate(out: ReplicateOutput): number[] {
  const E = out.epochCount;
  const last = (k: number) => out.values[k * E + E - 1];
  const total = (k: number) => {
    let t = 0;
    for (let e = 0; e < E; e++) t += out.values[k * E + e];
    return t;
  };
  const values: number[] = [];
  out.series.forEach((s, k) => {
    if (s.metric === 'share') values.push(last(k));
  });
  for (const m of ['hhi_region', 'nakamoto_region', 'top3_share_region', 'hhi_operator', 'nakamoto_operator', 'gini_operator', 'hashrate_ehs']) {
    values.push(last(seriesIndex(out, m)));
  }
  const h = seriesIndex(out, 'hashrate_ehs');
  let min = Infinity;
  for (let e = 0; e < E; e++) min = Math.min(min, out.values[h * E + e]);
  values.push(min, last(seriesIndex(out, 'btc_price_usd')), total(seriesIndex(out, 'capitulations')), total(seriesIndex(out, 'entries')));
  out.series.forEach((s, k) => {
    if (s.metric === 'relocations') values.push(total(k));
  });
  values.push(total(seriesIndex(out, 'ai_pivots')), last(seriesIndex(out, 'ai_mw')));
  return values;
}
