// The observed series (MODEL.md 7.6): names, units and order. docs/OUTPUTS.md documents each one.
import type { Params } from './params.ts';
import type { SeriesKey } from './output.ts';

/** Network-wide metrics, in output order. */
export const NETWORK_METRICS = [
  'hashrate_ehs', // hashrate that mined the epoch, EH/s
  'difficulty', // difficulty in force during the epoch
  'epoch_days', // real length of the epoch, days (0 at epoch 0)
  'btc_price_usd', // BTC price, USD
  'fee_ratio', // fees as a ratio to the subsidy
  'subsidy_btc', // mean block subsidy over the epoch, BTC
  'hashprice_usd_ph_day', // hashprice, USD per PH/s per day
  'hhi_region', // Herfindahl-Hirschman index over regions (row split into 1% parts), 0-10,000
  'nakamoto_region', // fewest regions holding more than 50%
  'top3_share_region', // share of the three largest regions (after the split)
  'entropy_region_bits', // Shannon entropy of regional shares, bits
  'hhi_operator', // HHI over operators, 0-10,000
  'nakamoto_operator', // fewest operators holding more than 50%
  'top3_share_operator', // share of the three largest operators
  'gini_operator', // Gini coefficient of operator hashrate
  'entropy_operator_bits', // Shannon entropy of operator shares, bits
  'unprofitable_share', // share of running hashrate whose revenue is below power plus site overhead
  'mean_efficiency_j_th', // hashrate-weighted efficiency of the running fleet, J/TH
  'frontier_j_th', // efficiency of the best new machine, J/TH
  'operators_mining', // operators with machines running
  'capitulations', // operators that sold out this epoch
  'capitulated_ehs', // hashrate they sold, EH/s
  'entries', // new operators that took over an exited operator's site this epoch
  'reorganisations', // insolvent operators whose creditors kept them mining (debt written off) this epoch
  'relocations_total', // operators that began a move this epoch (all destinations)
  'ai_pivots', // operators that began converting to AI hosting this epoch
  'ai_mw', // IT load at sites converting to or hosting AI, MW
  'ai_mw_new', // IT load that began converting this epoch, MW
  'secondary_discount', // fire-sale discount on resale prices this epoch, 0-1
  'bought_used_ehs', // used machines bought from the secondary market, EH/s
  'bought_new_ehs', // new machines ordered, EH/s
  'retired_ehs', // machines retired at end of life or after a long idle spell, EH/s
  'pipeline_ehs', // machines ordered and not yet delivered, as the epoch's expectations count them, EH/s
  'pipeline_lead_years', // their hashrate-weighted mean time to delivery, years
  'expected_growth_per_year', // the expected growth rate of the network (running and on its way), log per year
  'expected_hashprice_usd_ph_day', // mean expected hashprice over the renewal payback horizon, USD per PH/s per day
  'invested_mw', // greenfield MW ordered this epoch (entrants and incumbents' expansions)
] as const;

/** Per-region metrics, each over every region in config order. */
export const REGION_METRICS = [
  'share', // share of network hashrate, 0-1
  'region_hashrate_ehs', // hashrate running in the region, EH/s
  'cost_per_btc_usd', // electricity cost per BTC mined by the region's running fleet, USD
  'power_price_usd_kwh', // regional mining power price with tariffs, USD/kWh
  'relocations_out', // operators that began leaving the region this epoch
  'load_mw', // MW of mining sites in the region at the epoch's close (incl. exited sites awaiting an entrant and sites reserved by machines on their way)
  'over_cap_mw', // MW of the region's load above its cap (grandfathered) at the epoch's close, 0 when under it
] as const;

/** Per-destination metrics, each over every destination in config order. */
export const DESTINATION_METRICS = [
  'relocations', // operators that began moving to the destination this epoch
  'relocated_ehs', // hashrate they moved, EH/s (after breakage)
] as const;

export function seriesKeys(p: Params): SeriesKey[] {
  const keys: SeriesKey[] = NETWORK_METRICS.map((metric) => ({ metric, region: '' }));
  for (const metric of REGION_METRICS) for (const region of p.regionIds) keys.push({ metric, region });
  for (const metric of DESTINATION_METRICS) for (const d of p.destinations) keys.push({ metric, region: p.regionIds[d] });
  return keys;
}
