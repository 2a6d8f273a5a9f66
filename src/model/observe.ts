// Observation (MODEL.md 7.6): reporters that read the state and never draw random numbers.
// The mining snapshot is taken right after operations (what mined the epoch); decision counters
// are added once the epoch closes.
import type { Params } from './params.ts';
import type { State } from './state.ts';
import { MINING, AI, regionPowerUsdPerKwh } from './state.ts';
import { costPerBtcUsd, kwhPerThDay } from './economics.ts';
import { operatorPue, operatorUsdPerKwh } from './operations.ts';
import { DESTINATION_METRICS, NETWORK_METRICS, REGION_METRICS } from './metrics.ts';
import { concentrationStats, splitIntoPartsInto, type ConcentrationStats } from '../stats/concentration.ts';
import { DAYS_PER_YEAR } from './time.ts';
import { pipelineLeadYears, pipelineSums } from './expectations.ts';

const NET = Object.fromEntries(NETWORK_METRICS.map((m, i) => [m, i])) as Record<(typeof NETWORK_METRICS)[number], number>;

/** Reusable buffers for observation. */
export interface ObserveScratch {
  opThs: Float64Array;
  /** sorted copy of opThs for the operator statistics */
  opSorted: Float64Array;
  opStats: ConcentrationStats;
  /** the regional parts (rest-of-world split), then their sorted copy, for the regional statistics */
  regionParts: Float64Array;
  regionSorted: Float64Array;
  regionStats: ConcentrationStats;
  regionThs: Float64Array;
  regionPowerUsdPerDay: Float64Array;
  regionPowerKwPerTh: Float64Array;
}

export function createObserveScratch(regions: number, operators: number): ObserveScratch {
  return {
    opThs: new Float64Array(operators),
    opSorted: new Float64Array(operators),
    opStats: { hhi: 0, nakamoto: 0, topShare: 0, gini: 0, entropyBits: 0 },
    // Regions split into parts of splitPartShare number about 1 / splitPartShare + R; a longer list gets its own copy.
    regionParts: new Float64Array(256 + regions),
    regionSorted: new Float64Array(256 + regions),
    regionStats: { hhi: 0, nakamoto: 0, topShare: 0, gini: 0, entropyBits: 0 },
    regionThs: new Float64Array(regions),
    regionPowerUsdPerDay: new Float64Array(regions),
    regionPowerKwPerTh: new Float64Array(regions),
  };
}

function regionOffset(p: Params, metric: (typeof REGION_METRICS)[number]): number {
  return NETWORK_METRICS.length + REGION_METRICS.indexOf(metric) * p.regionIds.length;
}

function destinationOffset(p: Params, metric: (typeof DESTINATION_METRICS)[number]): number {
  return NETWORK_METRICS.length + REGION_METRICS.length * p.regionIds.length + DESTINATION_METRICS.indexOf(metric) * p.destinations.length;
}

/** Writes the metrics of what mined this epoch into `row` (one value per series). */
export function observeMining(p: Params, s: State, row: Float64Array, x: ObserveScratch, frontierJth: number): void {
  const c = p.config;
  const K = p.cohortSlots;
  const N = s.opStatus.length;
  const R = p.regionIds.length;
  x.regionThs.fill(0);
  x.regionPowerUsdPerDay.fill(0);
  x.regionPowerKwPerTh.fill(0);
  const revenuePerTh = s.hashpriceUsdPerPhDay / 1000;
  const overheadPerMwDay = c.operators.overheadUsdPerMwYear / DAYS_PER_YEAR;
  let running = 0;
  let powerW = 0;
  let unprofitable = 0;
  let mining = 0;
  const coRunning = s.coRunning;
  const coThs = s.coThs;
  const coJth = s.coJth;
  const regionPowerUsdPerDay = x.regionPowerUsdPerDay;
  const regionPowerKwPerTh = x.regionPowerKwPerTh;
  for (let o = 0; o < N; o++) {
    let ths = 0;
    if (s.opStatus[o] === MINING) {
      const r = s.opRegion[o];
      const hosted = s.opHostedUsdPerKwh[o] > 0;
      const usdPerKwh = operatorUsdPerKwh(s, o);
      const pue = operatorPue(p, s, o);
      for (let k = 0; k < K; k++) {
        const slot = o * K + k;
        if (!coRunning[slot]) continue;
        const t = coThs[slot];
        const j = coJth[slot];
        ths += t;
        powerW += t * j;
        const powerUsd = kwhPerThDay(j) * pue * usdPerKwh;
        const overheadUsd = hosted ? 0 : ((j * pue) / 1e6) * overheadPerMwDay;
        if (revenuePerTh < powerUsd + overheadUsd) unprofitable += t;
        regionPowerUsdPerDay[r] += t * powerUsd;
        regionPowerKwPerTh[r] += (t * j) / 1000;
      }
      x.regionThs[r] += ths;
      if (ths > 0) mining += 1;
    }
    x.opThs[o] = ths;
    running += ths;
  }
  const meanJth = running > 0 ? powerW / running : frontierJth;

  row[NET.hashrate_ehs] = s.runningThs / 1e6;
  row[NET.difficulty] = s.difficulty;
  row[NET.btc_price_usd] = s.priceUsd;
  row[NET.fee_ratio] = s.feeRatio;
  row[NET.subsidy_btc] = s.subsidyBtc;
  row[NET.hashprice_usd_ph_day] = s.hashpriceUsdPerPhDay;
  // One sorted copy for all five operator statistics (the same values as the functions one by one).
  const ops = concentrationStats(x.opThs, 3, x.opSorted, x.opStats);
  row[NET.hhi_operator] = ops.hhi;
  row[NET.nakamoto_operator] = ops.nakamoto;
  row[NET.top3_share_operator] = ops.topShare;
  row[NET.gini_operator] = ops.gini;
  row[NET.entropy_operator_bits] = ops.entropyBits;
  row[NET.unprofitable_share] = running > 0 ? unprofitable / running : 0;
  row[NET.mean_efficiency_j_th] = meanJth;
  row[NET.frontier_j_th] = frontierJth;
  row[NET.operators_mining] = mining;

  // Regional concentration splits the rest-of-world region into small parts (MODEL.md 7.6).
  let partCount = 0;
  for (let r = 0; r < R; r++) {
    const share = running > 0 ? x.regionThs[r] / running : 0;
    if (p.splitRegions[r]) {
      let end = splitIntoPartsInto(share, c.concentration.splitPartShare, x.regionParts, partCount);
      if (end < 0) {
        // More parts than the buffer holds: a longer one, and the region split again into it.
        growRegionParts(x, -end - 1 + R);
        end = splitIntoPartsInto(share, c.concentration.splitPartShare, x.regionParts, partCount);
      }
      partCount = end;
    } else {
      if (partCount >= x.regionParts.length) growRegionParts(x, partCount + R);
      x.regionParts[partCount++] = share;
    }
  }
  // One sorted copy for the four statistics (the same values as hhi, nakamoto, topShare and entropyBits one by one).
  const regions = concentrationStats(x.regionParts.subarray(0, partCount), 3, x.regionSorted, x.regionStats);
  row[NET.hhi_region] = regions.hhi;
  row[NET.nakamoto_region] = regions.nakamoto;
  row[NET.top3_share_region] = regions.topShare;
  row[NET.entropy_region_bits] = regions.entropyBits;

  const btcPerThDay = s.hashpriceUsdPerPhDay / 1000 / s.priceUsd;
  for (let r = 0; r < R; r++) {
    row[regionOffset(p, 'share') + r] = running > 0 ? x.regionThs[r] / running : 0;
    row[regionOffset(p, 'region_hashrate_ehs') + r] = x.regionThs[r] / 1e6;
    const price = regionPowerUsdPerKwh(s, r);
    row[regionOffset(p, 'power_price_usd_kwh') + r] = price;
    // Where nothing runs in the region, the cost is that of the network's mean running machine there.
    // It is worked out every epoch, used or not: code that runs only in the rare epochs with an
    // empty region has no type feedback when the function is optimised, and sent it back to the
    // interpreter (and to be optimised again) epoch after epoch.
    const emptyRegionCost = costPerBtcUsd(meanJth, c.regions[r].pue, price, s.hashpriceUsdPerPhDay, s.priceUsd);
    row[regionOffset(p, 'cost_per_btc_usd') + r] = x.regionThs[r] > 0 ? x.regionPowerUsdPerDay[r] / (x.regionThs[r] * btcPerThDay) : emptyRegionCost;
  }
}

/** Makes the regional parts' buffers hold at least `length` parts, keeping the parts written so far. */
function growRegionParts(x: ObserveScratch, length: number): void {
  const longer = new Float64Array(2 * length);
  longer.set(x.regionParts);
  x.regionParts = longer;
  x.regionSorted = new Float64Array(longer.length);
}

/** Adds the decisions of the closing epoch and its length to `row`. */
export function observeDecisions(p: Params, s: State, row: Float64Array, epochDays: number): void {
  const R = p.regionIds.length;
  const N = s.opStatus.length;
  let aiMw = 0;
  for (let o = 0; o < N; o++) if (s.opStatus[o] === AI) aiMw += s.opAiMw[o];
  let relocations = 0;
  for (let r = 0; r < R; r++) {
    row[regionOffset(p, 'relocations_out') + r] = s.relocationsFrom[r];
    // Uncapped regions (cap Infinity) give max(0, -Infinity) = 0.
    row[regionOffset(p, 'load_mw') + r] = s.regionUsedMw[r];
    row[regionOffset(p, 'over_cap_mw') + r] = Math.max(0, s.regionUsedMw[r] - s.regionCapMw[r]);
    relocations += s.relocationsFrom[r];
  }
  p.destinations.forEach((d, j) => {
    row[destinationOffset(p, 'relocations') + j] = s.relocationsTo[d];
    row[destinationOffset(p, 'relocated_ehs') + j] = s.relocatedThsTo[d] / 1e6;
  });
  row[NET.epoch_days] = epochDays;
  row[NET.capitulations] = s.capitulations;
  row[NET.capitulated_ehs] = s.capitulatedThs / 1e6;
  row[NET.entries] = s.entries;
  row[NET.reorganisations] = s.reorganisations;
  row[NET.relocations_total] = relocations;
  row[NET.ai_pivots] = s.aiPivots;
  row[NET.ai_mw] = aiMw;
  row[NET.ai_mw_new] = s.aiMwNew;
  row[NET.secondary_discount] = s.saleDiscount;
  row[NET.bought_used_ehs] = s.boughtUsedThs / 1e6;
  row[NET.bought_new_ehs] = s.boughtNewThs / 1e6;
  row[NET.retired_ehs] = s.retiredThs / 1e6;
  // What is on its way at the close (the next epoch's expectations count it), the expectations
  // this epoch's decisions were made on (expectations.ts) and what capital built.
  const onWay = s.pipelineSums;
  pipelineSums(p, s, onWay);
  row[NET.pipeline_ehs] = onWay[0] / 1e6;
  row[NET.pipeline_lead_years] = pipelineLeadYears(p, onWay[0], onWay[1]);
  row[NET.expected_growth_per_year] = s.expGrowthPerYear;
  row[NET.expected_hashprice_usd_ph_day] = s.expHashpriceRenewal;
  let investedMw = 0;
  for (let r = 0; r < R; r++) investedMw += s.regionInvestedMw[r];
  row[NET.invested_mw] = investedMw;
}
