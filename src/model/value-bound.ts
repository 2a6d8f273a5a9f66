// An upper bound on a machine's life value in investment's valuation (greenfieldNpvPerTh, before
// its capex), at a fraction of the cost: most lots of used machines are worth less than they cost
// and can never be the machine to build for, and the bound tells so without their monthly path.
import type { Params } from './params.ts';
import type { State } from './state.ts';
import { subsidyAt } from './market.ts';
import { expectedUsdPerThYearPerBtc } from './expectations.ts';
import { DAYS_PER_YEAR } from './time.ts';

/**
 * Rates nearer zero than this (the discount rate, and the discount rate less the expected revenue's
 * growth before and after the growth horizon) give no bound: the valuation's (e^{-k t0} - e^{-k t1}) / k
 * then loses digits to cancellation, and its rounding could exceed the bound's slack.
 */
const MIN_RATE = 1e-3;
/**
 * Slack on the bound, relative to the revenue and cost it integrates: far above the rounding of the
 * valuation's sums of monthly terms (each of a few operations, so of relative error about 1e-14).
 */
const RELATIVE_SLACK = 1e-8;

/**
 * Upper bound on the value of a machine's life in greenfieldNpvPerTh (and its path form): the sum
 * over months of max(0, revenue - cost), USD per TH/s, for a machine whose costs are `costPerYear`
 * (power and overhead, USD per TH/s per year), first hashing `delayYears` from now, for `life`
 * years, at `ratePerYear`. Infinity where no bound is given (rates near zero).
 *
 * The expected revenue rate is h(t) = A S(t) e^{mu t - g min(t, Tg)} (expectations.ts: subsidyPv),
 * and each month's margin is the integral of (h(t) - c) e^{-r t} over the month, so the sum of the
 * months' positive parts is at most the integral of the positive part of (h(t) - c) e^{-r t} over
 * the whole life. Between halvings and the growth horizon h is one exponential, which crosses c at
 * most once: the integral is exact there, piece by piece. The slack covers the valuation's rounding.
 */
export function lifeValueBound(p: Params, s: State, costPerYear: number, delayYears: number, life: number, ratePerYear: number): number {
  const c = p.config;
  const pr = c.protocol;
  const g = s.expGrowthPerYear;
  const mu = c.expectations.priceDriftPerYear;
  const growthYears = c.expectations.growthYears;
  const r = ratePerYear;
  if (!(Math.abs(r) >= MIN_RATE && Math.abs(r - mu + g) >= MIN_RATE && Math.abs(r - mu) >= MIN_RATE)) return Infinity;
  const blocksPerYear = (86400 / pr.targetBlockSeconds) * DAYS_PER_YEAR;
  const usdPerThYearPerBtc = expectedUsdPerThYearPerBtc(p, s);
  const lateLevel = Math.exp(-g * growthYears);
  // The valuation's last month may end a few units in the last place past delay + life.
  const end = delayYears + life + 1e-9;
  let bound = 0;
  let scale = 0;
  let t0 = delayYears;
  let height = s.height + t0 * blocksPerYear;
  // e^{-k t0} and e^{-r t0} of the piece: the last piece's e^{-k t1} and e^{-r t1} (NaN: not yet computed).
  let lastK = NaN;
  let expK0 = NaN;
  let expR0 = Math.exp(-r * t0);
  while (t0 < end) {
    const nextHalving = (Math.floor(height / pr.halvingIntervalBlocks) + 1) * pr.halvingIntervalBlocks;
    const atHalving = t0 + (nextHalving - height) / blocksPerYear;
    let t1 = Math.min(end, atHalving);
    if (t0 < growthYears && t1 > growthYears) t1 = growthYears;
    const subsidy = subsidyAt(Math.floor(height), pr.initialSubsidyBtc, pr.halvingIntervalBlocks);
    if (subsidy <= 0) break;
    // h(t) = level e^{beta t} on this piece.
    const early = t0 < growthYears;
    const beta = early ? mu - g : mu;
    const level = usdPerThYearPerBtc * subsidy * (early ? 1 : lateLevel);
    const k = r - beta;
    if (k !== lastK) expK0 = Math.exp(-k * t0);
    const expK1 = Math.exp(-k * t1);
    const expR1 = Math.exp(-r * t1);
    const revenueStart = level * expK0;
    // The valuation may give a sliver of a piece past a halving the subsidy before it (twice this one).
    scale += Math.abs((revenueStart - level * expK1) / k) + Math.abs((costPerYear * (expR0 - expR1)) / r) + 2 * revenueStart;
    // Where h(t) > c: all of the piece when c <= 0, else one side of the crossing time.
    let u = t0;
    let v = t1;
    if (costPerYear > 0) {
      const crossing = Math.log(costPerYear / level) / beta;
      if (Number.isNaN(crossing) && beta !== 0) return Infinity;
      if (beta > 0) u = Math.max(t0, crossing);
      else if (beta < 0) v = Math.min(t1, crossing);
      else if (level <= costPerYear) v = u;
    }
    if (v > u) {
      const expKu = u === t0 ? expK0 : Math.exp(-k * u);
      const expKv = v === t1 ? expK1 : Math.exp(-k * v);
      const expRu = u === t0 ? expR0 : Math.exp(-r * u);
      const expRv = v === t1 ? expR1 : Math.exp(-r * v);
      const positive = (level * (expKu - expKv)) / k - (costPerYear * (expRu - expRv)) / r;
      if (positive > 0) bound += positive;
    }
    height = t1 === atHalving ? nextHalving : height + (t1 - t0) * blocksPerYear;
    t0 = t1;
    lastK = k;
    expK0 = expK1;
    expR0 = expR1;
  }
  return bound + RELATIVE_SLACK * scale;
}
