// Expectations (MODEL.md 4, "Prediction"): operators expect the uncertain parts of revenue
// adaptively and apply what is known exactly. The BTC price, the fee ratio and the growth rate of
// network hashrate are exponentially smoothed from what each epoch shows; the subsidy follows the
// protocol's schedule block by block, so a halving enters every valuation on its own date, no
// sooner and no later. All operators see the same network, so the expectation is one state of the
// network, updated once per epoch; each operator discounts it at its own rate.
import type { Params } from './params.ts';
import type { State } from './state.ts';
import { subsidyAt } from './market.ts';
import { impliedHashrateThs } from './params.ts';
import { DAYS_PER_YEAR } from './time.ts';
import { MINING } from './state.ts';

/** Sets the expectations at the start: the start price and fee ratio, and the configured trailing hashrate growth. */
export function initExpectations(p: Params, s: State): void {
  const c = p.config;
  s.expLogPrice = Math.log(s.priceUsd);
  s.expFeeRatio = s.feeRatio;
  s.expGrowthPerYear = clampGrowth(p, c.start.hashrateGrowthPerYear);
  // The network operators see at the start is the one the fleet is calibrated to (start.hashrateEhs).
  s.expHashrateThs = p.startHashrateThs;
  s.expNetworkThs = s.expHashrateThs;
  // No machines are on their way at the start (the backlog is delivered as the run goes).
  s.pipelineLeadYears = 0;
}

function clampGrowth(p: Params, g: number): number {
  const [lo, hi] = p.config.expectations.hashrateGrowthBoundsPerYear;
  return Math.min(hi, Math.max(lo, g));
}

/**
 * Updates the expectations with this epoch's price and fees (before operations), smoothing in logs
 * for the price. The hashrate reference and its growth are updated after operations
 * (observeHashrate), when the epoch's running hashrate is known.
 */
export function updateMarketExpectations(p: Params, s: State): void {
  const e = p.config.expectations;
  s.expLogPrice += e.priceSmoothing * (Math.log(s.priceUsd) - s.expLogPrice);
  s.expFeeRatio += e.feeSmoothing * (s.feeRatio - s.expFeeRatio);
}

/**
 * Takes in the hashrate running this epoch. The reference level of every expectation is the
 * running hashrate smoothed in logs (miners read a trailing average, so a shut-in that lasts one
 * retarget is not taken for a lasting loss of competitors), plus the machines on their way. The
 * growth rate is smoothed from the change of the network miners expect, running and on its way
 * (smoothed alike): a machine counts once, when it is ordered, and its delivery, already expected,
 * is not taken for new growth.
 */
export function observeHashrate(p: Params, s: State, runningThs: number, elapsedDays: number, pipeline: Float64Array | null = null): void {
  const e = p.config.expectations;
  const previous = s.expHashrateThs;
  // When nothing runs, the network a miner would face is the one the next difficulty implies (it
  // falls by the retarget clamp each epoch until machines pay again).
  const seen = runningThs > 0 ? runningThs : impliedHashrateThs(s.difficulty, p.config.protocol.targetBlockSeconds) / p.config.protocol.retargetClamp;
  refreshPipeline(p, s, pipeline);
  const pipelineThs = s.pipelineThs;
  if (!(previous > 0)) {
    s.expHashrateThs = seen;
    s.expNetworkThs = seen + pipelineThs;
    return;
  }
  const level = Math.exp(Math.log(previous) + e.hashrateSmoothing * (Math.log(seen) - Math.log(previous)));
  const previousNetwork = s.expNetworkThs;
  const network = Math.exp(Math.log(previousNetwork) + e.hashrateSmoothing * (Math.log(seen + pipelineThs) - Math.log(previousNetwork)));
  if (elapsedDays > 0) {
    const observed = Math.log(network / previousNetwork) / (elapsedDays / DAYS_PER_YEAR);
    s.expGrowthPerYear = clampGrowth(p, s.expGrowthPerYear + e.hashrateGrowthSmoothing * (observed - s.expGrowthPerYear));
  }
  s.expHashrateThs = level;
  s.expNetworkThs = network;
}

/**
 * Sets the pipeline: the machines ordered and not yet delivered, TH/s (operators know of each
 * other's orders: public miners announce them, manufacturers' order books are followed, so the
 * network they expect includes them, and orders placed while new machines pay do not overshoot
 * unseen), and its lead, when those machines have arrived, years ahead (their hashrate-weighted mean
 * time to delivery; 0 when none are on their way): they are the network's growth until then, so the
 * trend is extrapolated from there (subsidyPv). `sums`, when given, holds the two sums of the
 * cohorts on their way of the current state (runOperations adds them in its pass over the cohorts,
 * in the order of the loop here), which are then not added again.
 */
export function refreshPipeline(p: Params, s: State, sums: Float64Array | null = null): void {
  if (sums === null) {
    sums = s.pipelineSums;
    pipelineSums(p, s, sums);
  }
  s.pipelineThs = sums[0];
  s.pipelineLeadYears = pipelineLeadYears(p, sums[0], sums[1]);
}

/**
 * Writes into `out` the TH/s on their way at operators with a site (status MINING: mining, banned
 * or out of power) and their TH/s times epochs to delivery, added in slot order.
 */
export function pipelineSums(p: Params, s: State, out: Float64Array): void {
  const K = p.cohortSlots;
  const status = s.opStatus;
  const coThs = s.coThs;
  const coReadyEpoch = s.coReadyEpoch;
  const epoch = s.epoch;
  let ths = 0;
  let thsEpochs = 0;
  for (let o = 0; o < status.length; o++) {
    if (status[o] !== MINING) continue;
    for (let k = 0; k < K; k++) {
      const slot = o * K + k;
      const t = coThs[slot];
      if (t > 0 && coReadyEpoch[slot] > epoch) {
        ths += t;
        thsEpochs += t * (coReadyEpoch[slot] - epoch);
      }
    }
  }
  out[0] = ths;
  out[1] = thsEpochs;
}

/** Hashrate-weighted mean time to delivery, years, of `ths` TH/s on their way with `thsEpochs` TH/s-epochs (0 when none). */
export function pipelineLeadYears(p: Params, ths: number, thsEpochs: number): number {
  return ths > 0 ? ((thsEpochs / ths) * p.nominalEpochDays) / DAYS_PER_YEAR : 0;
}

/**
 * Present value of the revenue one TH/s is expected to earn from `fromYears` to `toYears` ahead,
 * discounted continuously at `ratePerYear`, USD per TH/s. Revenue per day is 144 blocks of subsidy
 * plus fees at the expected price, which operators expect to appreciate at `expectations.priceDriftPerYear`
 * from its smoothed level, shared over the expected network hashrate (running and on its way).
 * Operators extrapolate the hashrate growth g for `expectations.growthYears` from the pipeline's
 * lead L (until then the machines on their way are the growth), then expect the network flat:
 * hp(t) = B (1 + f) P e^{mu t} S(t) / (H e^{g clamp(t - L, 0, Tg)}). The
 * subsidy S(t) is the schedule's, by block height at the target block time, so the integral is exact
 * piecewise between halvings.
 */
export function revenuePvPerTh(p: Params, s: State, fromYears: number, toYears: number, ratePerYear: number): number {
  if (!(toYears > fromYears)) return 0;
  // A period that starts where the last ended at the same slope reuses its exponential (discountedYearsAfter).
  const last = s.revenueLastExp;
  last[0] = NaN;
  return expectedUsdPerThYearPerBtc(p, s) * subsidyPv(p, s, fromYears, toYears, ratePerYear, NaN, last);
}

/**
 * Expected revenue per TH/s per year for each BTC of subsidy at the start price, USD: B (1 + f) P / H
 * of revenuePvPerTh. It is the same for every valuation of an epoch, so a valuation of many periods
 * computes it once.
 */
export function expectedUsdPerThYearPerBtc(p: Params, s: State): number {
  const blocksPerYear = p.blocksPerYear;
  const networkThs = s.expHashrateThs + s.pipelineThs;
  // Kept with the numbers it was worked out from (the same expression on the same numbers gives
  // the same result; 1 + f and e^x are the same at f or x = +0 and -0, and a network of 0, whose
  // sign the division reads, is not kept): many valuations of an epoch read it, one exponential each.
  const m = s.valuationMemo;
  if (networkThs === m[MEMO_NETWORK] && s.expLogPrice === m[MEMO_LOG_PRICE] && s.expFeeRatio === m[MEMO_FEE] && blocksPerYear === m[MEMO_BLOCKS] && networkThs !== 0) return m[MEMO_REVENUE];
  const value = (blocksPerYear * (1 + s.expFeeRatio) * Math.exp(s.expLogPrice)) / networkThs;
  m[MEMO_BLOCKS] = blocksPerYear;
  m[MEMO_FEE] = s.expFeeRatio;
  m[MEMO_LOG_PRICE] = s.expLogPrice;
  m[MEMO_NETWORK] = networkThs;
  m[MEMO_REVENUE] = value;
  return value;
}

/**
 * Slots of State.valuationMemo: the last expectedUsdPerThYearPerBtc and its inputs, and the last
 * exponentials of subsidyPv's levels (e^{g L} and e^{-g Tg}) with their exponents. A NaN input
 * never matches, so it is worked out again.
 */
const MEMO_BLOCKS = 0;
const MEMO_FEE = 1;
const MEMO_LOG_PRICE = 2;
const MEMO_NETWORK = 3;
const MEMO_REVENUE = 4;
const MEMO_GROWING_EXPONENT = 5;
const MEMO_GROWING = 6;
const MEMO_LATE_EXPONENT = 7;
const MEMO_LATE = 8;

/**
 * The subsidy part of revenuePvPerTh: ∫ S(t) e^{mu t - g clamp(t - L, 0, Tg) - r t} dt from `fromYears` to
 * `toYears` (toYears > fromYears), BTC-years. `lateLevel` is e^{-g Tg}, the level after the growth
 * horizon, when the caller has it (NaN: computed here when needed). With `last`, the discounting
 * reuses the exponential of the previous call's end when this one starts there (discountedYearsAfter).
 */
export function subsidyPv(p: Params, s: State, fromYears: number, toYears: number, ratePerYear: number, lateLevel: number, last: Float64Array | null = null): number {
  const c = p.config;
  const pr = c.protocol;
  const blocksPerYear = p.blocksPerYear;
  const g = s.expGrowthPerYear;
  const mu = c.expectations.priceDriftPerYear;
  const lead = s.pipelineLeadYears;
  const growthEnd = lead + c.expectations.growthYears;
  let pv = 0;
  let t0 = fromYears;
  let height = s.height + t0 * blocksPerYear;
  while (t0 < toYears) {
    const nextHalving = (Math.floor(height / pr.halvingIntervalBlocks) + 1) * pr.halvingIntervalBlocks;
    const atHalving = t0 + (nextHalving - height) / blocksPerYear;
    let t1 = Math.min(toYears, atHalving);
    if (t0 < lead && t1 > lead) t1 = lead;
    if (t0 < growthEnd && t1 > growthEnd) t1 = growthEnd;
    const subsidy = subsidyAt(Math.floor(height), pr.initialSubsidyBtc, pr.halvingIntervalBlocks);
    if (subsidy <= 0) break;
    // e^{mu t - g clamp(t - L, 0, Tg) - r t}: slope mu - r before the pipeline's lead L (the
    // machines on their way are the growth until then), mu - g - r from L to L + Tg (at the level
    // e^{g L}), mu - r after it (at the level e^{-g Tg}).
    const growing = t0 >= lead && t0 < growthEnd;
    const k = growing ? g + ratePerYear - mu : ratePerYear - mu;
    const years = last === null ? discountedYears(k, t0, t1) : discountedYearsAfter(k, t0, t1, last);
    // The levels' exponentials are those of the last call when their exponents are (the same
    // every valuation of an epoch: e^{+0} and e^{-0} are both 1).
    let level: number;
    if (t0 < lead) level = 1;
    else if (growing) {
      const exponent = g * lead;
      const m = s.valuationMemo;
      if (exponent !== m[MEMO_GROWING_EXPONENT]) {
        m[MEMO_GROWING_EXPONENT] = exponent;
        m[MEMO_GROWING] = Math.exp(exponent);
      }
      level = m[MEMO_GROWING];
    } else if (Number.isNaN(lateLevel)) {
      const exponent = -g * c.expectations.growthYears;
      const m = s.valuationMemo;
      if (exponent !== m[MEMO_LATE_EXPONENT]) {
        m[MEMO_LATE_EXPONENT] = exponent;
        m[MEMO_LATE] = Math.exp(exponent);
      }
      level = m[MEMO_LATE];
    } else level = lateLevel;
    pv += subsidy * (level * years);
    height = t1 === atHalving ? nextHalving : height + (t1 - t0) * blocksPerYear;
    t0 = t1;
  }
  return pv;
}

/** ∫ from t0 to t1 of e^{-k t} dt, years (exact; t1 - t0 when k is 0). */
export function discountedYears(k: number, t0: number, t1: number): number {
  if (Math.abs(k) < 1e-12) return t1 - t0;
  // e^0 is 1 (a period from now, the most common): not worked out.
  const a0 = -k * t0;
  return ((a0 === 0 ? 1 : Math.exp(a0)) - Math.exp(-k * t1)) / k;
}

/**
 * discountedYears(k, t0, t1) for consecutive periods: `last` holds the exponent and the value of
 * the last e^{-k t1} computed ([exponent, value]); when this period's e^{-k t0} has that exponent,
 * the same number, it is reused instead of computed again. The result is discountedYears' bit for bit.
 */
export function discountedYearsAfter(k: number, t0: number, t1: number, last: Float64Array): number {
  if (Math.abs(k) < 1e-12) return t1 - t0;
  const a0 = -k * t0;
  const e0 = a0 === last[0] ? last[1] : a0 === 0 ? 1 : Math.exp(a0);
  const a1 = -k * t1;
  const e1 = Math.exp(a1);
  last[0] = a1;
  last[1] = e1;
  return (e0 - e1) / k;
}

/**
 * The expected hashprice over a horizon, as one number: the level that, held constant, has the
 * same present value at `ratePerYear` as the expected path, $/PH/day. A valuation that multiplies a
 * constant hashprice by an annuity uses this.
 */
export function meanExpectedHashprice(p: Params, s: State, fromYears: number, toYears: number, ratePerYear: number): number {
  return meanExpectedHashpriceOver(p, s, fromYears, toYears, ratePerYear, discountedYears(ratePerYear, fromYears, toYears));
}

/**
 * meanExpectedHashprice with the horizon's discounted years, discountedYears(ratePerYear,
 * fromYears, toYears), already worked out by a caller that also weights by them.
 */
export function meanExpectedHashpriceOver(p: Params, s: State, fromYears: number, toYears: number, ratePerYear: number, years: number): number {
  if (!(years > 0)) return 0;
  // revenuePvPerTh is USD per TH/s; a hashprice is USD per PH/s per day.
  return (revenuePvPerTh(p, s, fromYears, toYears, ratePerYear) / years / DAYS_PER_YEAR) * 1000;
}

/**
 * The years from now, in (fromYears, toYears), at which the subsidy halves (the known schedule, at
 * the target block time, as subsidyPv counts it), written into `out`; returns how many (at most
 * out.length).
 */
export function halvingsBetween(p: Params, s: State, fromYears: number, toYears: number, out: Float64Array): number {
  const pr = p.config.protocol;
  const blocksPerYear = p.blocksPerYear;
  let n = 0;
  let next = (Math.floor(s.height / pr.halvingIntervalBlocks) + 1) * pr.halvingIntervalBlocks;
  let t = (next - s.height) / blocksPerYear;
  while (t < toYears && n < out.length) {
    if (t > fromYears) out[n++] = t;
    next += pr.halvingIntervalBlocks;
    t = (next - s.height) / blocksPerYear;
  }
  return n;
}

/**
 * Sets the epoch's horizon hashprices that many valuations share: the undiscounted mean over the
 * renewal payback horizon (buyers of machines for their own sites) and the mean at the buyers'
 * discount rate over the secondary market's valuation horizon (resale prices).
 */
export function refreshHorizonHashprices(p: Params, s: State): void {
  const c = p.config;
  s.expHashpriceRenewal = meanExpectedHashprice(p, s, 0, c.renewal.maxPaybackYears, 0);
  s.expHashpriceResale = meanExpectedHashprice(p, s, 0, c.secondary.valuationYears, c.secondary.buyerDiscountRatePerYear);
}
