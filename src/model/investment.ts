// Investment and free entry (MODEL.md 7.5b): capital goes where new machines pay. Each epoch every
// open region is valued for a greenfield megawatt of the best new machines (its power price, PUE,
// import duty, policy hazards, and the construction and delivery lead time before the first hash),
// on the expected hashprice path (expectations.ts: price, fees, network growth and the subsidy
// schedule). A region whose profitability index (NPV over capex) is positive adds capacity at a pace
// proportional to that index, bounded by its interconnection pace (regions[].buildOutMwPerYear) and
// its cap. Part of the new capacity goes to new operators, the rest to the region's incumbents.
// Because a new machine's value falls as everybody builds, free entry bounds mining revenue and the
// network's hashrate follows revenue with the lag of construction and delivery (Prat and Walter
// 2021); a region with durably cheaper power grows faster and gains share (Arnosti and Weinberg 2022).
import type { Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { EXITED, LOT_SLOTS, MINING, operatorBanned, regionPowerUsdPerKwh } from './state.ts';
import { kwhPerThDay, marginPerThDay, megawatts, normalCdf, normalQuantile } from './economics.ts';
import { discountedYears, discountedYearsAfter, expectedUsdPerThYearPerBtc, revenuePvPerTh, subsidyPv } from './expectations.ts';
import { addCohort, createSaleBuffer, machinesOnSale, orderWaitEpochs, type Frontier } from './renewal.ts';
import { capRoomMw, pay, roomMw, tariffDrift } from './decisions.ts';
import { DAYS_PER_YEAR } from './time.ts';
import { MAX_PIECES, PIECE_FIELDS, boundFromPieces, boundOverCosts, boundsAtRate, lifePieces, lifePiecesFrom } from './value-bound.ts';

/** A machine to build for: its efficiency, shipping weight and the day it was made. */
interface Machine {
  jPerTh: number;
  kgPerTh: number;
  birthDay: number;
}

/** Steps per year of the numerical valuation of a new machine's life (it shuts in when it stops paying). */
const STEPS_PER_YEAR = 12;

/** Relative margin below the index to beat under which a lot's bound passes it over (invest). */
const INDEX_MARGIN = 1e-9;

/**
 * Yearly cost of running one TH/s of `jPerTh` in region r over a life of `life` years, USD: power at
 * today's price (times a site's `contract` multiplier) with the tariff hikes expected over the life,
 * and the site's overhead.
 */
export function costPerThYear(p: Params, s: State, r: number, jPerTh: number, life: number, contract = 1): number {
  const region = p.config.regions[r];
  const usdPerKwh = regionPowerUsdPerKwh(s, r) * contract * tariffDrift(region.policy, life);
  return (kwhPerThDay(jPerTh) * region.pue * usdPerKwh + (megawatts(1, jPerTh, region.pue) * p.config.operators.overheadUsdPerMwYear) / DAYS_PER_YEAR) * DAYS_PER_YEAR;
}

/**
 * Net present value per TH/s of a new machine of `jPerTh` in region r bought at `usdPerTh` (duty
 * included) with `buildUsdPerTh` of site, first hashing `delayYears` from now, over its life. Each
 * month of its life earns max(0, revenue - power - overhead): a machine that stops paying is shut in.
 */
export function greenfieldNpvPerTh(p: Params, s: State, r: number, jPerTh: number, usdPerTh: number, buildUsdPerTh: number, delayYears: number, life = p.config.fleet.lifespanYears): number {
  const c = p.config;
  const region = c.regions[r];
  const rate = c.investment.hurdleRatePerYear + region.policy.banPerYear;
  if (!(life > 0)) return -usdPerTh - buildUsdPerTh;
  const costPerYear = costPerThYear(p, s, r, jPerTh, life);
  let value = 0;
  const steps = Math.max(1, Math.round(life * STEPS_PER_YEAR));
  const dt = life / steps;
  for (let i = 0; i < steps; i++) {
    const t0 = delayYears + i * dt;
    const t1 = t0 + dt;
    const margin = revenuePvPerTh(p, s, t0, t1, rate) - costPerYear * discountedYears(rate, t0, t1);
    if (margin > 0) value += margin;
  }
  return value - usdPerTh - buildUsdPerTh;
}

/**
 * Valuations of new capacity that share their revenue: the monthly revenue and discount factors of
 * greenfieldNpvPerTh depend on the machine's life, its lead time and the discount rate, not on the
 * region's power, PUE or duty, so every region with the same rate reads one path per machine and
 * epoch. Path slot l * rates + q holds lot l at rate q; slot LOT_SLOTS * rates + q the new machine.
 */
export interface InvestScratch {
  months: number; // months per path slot: those of a new machine's whole life
  rates: number; // distinct discount rates of the regions
  rateOf: Int32Array; // per region: its rate's index
  rate: Float64Array; // per rate index: hurdle rate plus ban hazard, per year
  lowestRate: number; // the index of the lowest rate
  revenue: Float64Array; // per slot and month: PV of the month's expected revenue, USD per TH/s
  discount: Float64Array; // per slot and month: discounted years of the month at the slot's rate
  filled: Int32Array; // per slot: the valuation (call) that filled it
  call: number; // valuations so far (invest and enter each start one)
  enterIndex: Float64Array; // per region: enter's profitability of filling a standing site
  lastRevenueExp: Float64Array; // discountedYearsAfter's last exponential, of the revenue's discounting
  lastDiscountExp: Float64Array; // and of the cost's
  pieces: Float64Array; // per lot and rate (slot l * rates + q): the pieces of its life for its value bound (value-bound.ts)
  pieceCount: Int32Array; // per lot and rate: how many (-1: no bound)
  piecesFilled: Int32Array; // per lot and rate: the valuation (call) that wrote them
  lotLife: Float64Array; // per lot: the life it has left once hashing, years
  longestLife: number; // the longest of the lots' lives left, in this valuation
  template: Float64Array; // per rate index: the pieces of the longest life (lotPieces)
  templateCount: Int32Array; // per rate index: how many (-1: no bound)
  templateFilled: Int32Array; // per rate index: the valuation (call) that wrote them
  lotBound: Float64Array; // per lot: a bound on its value bound in every region (lotBoundOverRegions)
  lotBoundFilled: Int32Array; // per lot: the valuation (call) that wrote them
  candidates: Int32Array; // the regions open and not banned, in this valuation (invest values no others)
  candidateCount: number;
  rateBounds: Uint8Array; // per rate index: whether its lives have value bounds, in this valuation (boundsAtRate)
  expanders: Int32Array; // the operators that may expand (expandsHere), by region, ascending within each
  expandersFrom: Int32Array; // per region r: its operators are expanders[expandersFrom[r] .. expandersFrom[r + 1])
  expanderScan: Int32Array; // listExpanders' list of the operators that may expand, ascending
  sale: Frontier[]; // the new machines on sale this epoch (machinesOnSale), the frontier first
  enterModel: Int32Array; // per region: the machine on sale enter fills a standing site with (with enterIndex)
  saleIndex: number; // the profitability index of the machine bestOnSale picked last
}

export function createInvestScratch(p: Params): InvestScratch {
  const c = p.config;
  const R = c.regions.length;
  const rateOf = new Int32Array(R);
  const rates: number[] = [];
  for (let r = 0; r < R; r++) {
    const rate = c.investment.hurdleRatePerYear + c.regions[r].policy.banPerYear;
    let q = rates.indexOf(rate);
    if (q < 0) q = rates.push(rate) - 1;
    rateOf[r] = q;
  }
  const months = Math.max(1, Math.round(c.fleet.lifespanYears * STEPS_PER_YEAR));
  const slots = (LOT_SLOTS + 1) * rates.length;
  return {
    months,
    rates: rates.length,
    rateOf,
    rate: Float64Array.from(rates),
    lowestRate: rates.indexOf(Math.min(...rates)),
    revenue: new Float64Array(slots * months),
    discount: new Float64Array(slots * months),
    filled: new Int32Array(slots),
    call: 0,
    enterIndex: new Float64Array(R),
    lastRevenueExp: new Float64Array(2),
    lastDiscountExp: new Float64Array(2),
    pieces: new Float64Array(LOT_SLOTS * rates.length * MAX_PIECES * PIECE_FIELDS),
    pieceCount: new Int32Array(LOT_SLOTS * rates.length),
    piecesFilled: new Int32Array(LOT_SLOTS * rates.length),
    lotLife: new Float64Array(LOT_SLOTS),
    longestLife: 0,
    template: new Float64Array(rates.length * MAX_PIECES * PIECE_FIELDS),
    templateCount: new Int32Array(rates.length),
    templateFilled: new Int32Array(rates.length),
    lotBound: new Float64Array(LOT_SLOTS),
    lotBoundFilled: new Int32Array(LOT_SLOTS),
    candidates: new Int32Array(R),
    candidateCount: 0,
    rateBounds: new Uint8Array(rates.length),
    expanders: new Int32Array(p.operatorSlots),
    expandersFrom: new Int32Array(R + 1),
    expanderScan: new Int32Array(p.operatorSlots),
    sale: createSaleBuffer(p),
    enterModel: new Int32Array(R),
    saleIndex: NaN,
  };
}

/**
 * greenfieldNpvPerTh through the path slot `slot` of `x` (filled at the first call of this
 * valuation), with the same operations in the same order, so the same number bit for bit.
 */
function pathNpvPerTh(p: Params, s: State, x: InvestScratch, slot: number, r: number, jPerTh: number, usdPerTh: number, buildUsdPerTh: number, delayYears: number, life: number, contract = 1): number {
  const c = p.config;
  if (!(life > 0)) return -usdPerTh - buildUsdPerTh;
  const steps = Math.max(1, Math.round(life * STEPS_PER_YEAR));
  if (steps > x.months && contract === 1) return greenfieldNpvPerTh(p, s, r, jPerTh, usdPerTh, buildUsdPerTh, delayYears, life);
  if (steps > x.months) throw new Error(`investment: a life of ${life} years is longer than the valuation's ${x.months} months`);
  const base = slot * x.months;
  if (x.filled[slot] !== x.call) {
    const rate = x.rate[x.rateOf[r]];
    const dt = life / steps;
    const usdPerThYearPerBtc = expectedUsdPerThYearPerBtc(p, s);
    const lateLevel = Math.exp(-s.expGrowthPerYear * c.expectations.growthYears);
    // Each month mostly starts where the last one ended: its first exponential is the last one's second.
    x.lastRevenueExp[0] = NaN;
    x.lastDiscountExp[0] = NaN;
    for (let i = 0; i < steps; i++) {
      const t0 = delayYears + i * dt;
      const t1 = t0 + dt;
      x.revenue[base + i] = t1 > t0 ? usdPerThYearPerBtc * subsidyPv(p, s, t0, t1, rate, lateLevel, x.lastRevenueExp) : 0;
      x.discount[base + i] = discountedYearsAfter(rate, t0, t1, x.lastDiscountExp);
    }
    x.filled[slot] = x.call;
  }
  const costPerYear = costPerThYear(p, s, r, jPerTh, life, contract);
  const revenue = x.revenue;
  const discount = x.discount;
  let value = 0;
  for (let i = base; i < base + steps; i++) {
    const margin = revenue[i] - costPerYear * discount[i];
    if (margin > 0) value += margin;
  }
  return value - usdPerTh - buildUsdPerTh;
}

/**
 * Of the first `onSale` machines on sale (x.sale), the one with the highest profitability index in
 * region r (duty factor `duty`) on a site built at `buildUsdPerMw` (0: a standing site), first
 * hashing `delayYears` from now; the frontier on a tie. Every new machine has the same life and
 * lead time, so all read one path (slot LOT_SLOTS at the region's rate). Returns its place in
 * x.sale and leaves its index in x.saleIndex.
 */
function bestOnSale(p: Params, s: State, x: InvestScratch, onSale: number, r: number, duty: number, buildUsdPerMw: number, delayYears: number): number {
  const pue = p.config.regions[r].pue;
  const life = p.config.fleet.lifespanYears;
  const slot = LOT_SLOTS * x.rates + x.rateOf[r];
  let pick = 0;
  let index = NaN;
  for (let m = 0; m < onSale; m++) {
    const machine = x.sale[m];
    const buildUsdPerTh = megawatts(1, machine.jPerTh, pue) * buildUsdPerMw;
    const usdPerTh = machine.usdPerTh * duty;
    const value = pathNpvPerTh(p, s, x, slot, r, machine.jPerTh, usdPerTh, buildUsdPerTh, delayYears, life) / (usdPerTh + buildUsdPerTh);
    if (m === 0 || value > index) {
      pick = m;
      index = value;
    }
  }
  x.saleIndex = index;
  return pick;
}

/**
 * The offset in x.pieces of the pieces of lot l's life at rate index q (written at the first call of
 * this valuation); their count is x.pieceCount[l * x.rates + q]. They are cut from those of the
 * longest life at the rate (lifePiecesFrom), worked out once per valuation and rate.
 */
function lotPieces(p: Params, s: State, x: InvestScratch, l: number, q: number, lifeLeft: number, delayYears: number): number {
  const b = l * x.rates + q;
  const at = b * MAX_PIECES * PIECE_FIELDS;
  if (x.piecesFilled[b] !== x.call) {
    const templateAt = q * MAX_PIECES * PIECE_FIELDS;
    if (x.templateFilled[q] !== x.call) {
      x.templateCount[q] = lifePieces(p, s, delayYears, x.longestLife, x.rate[q], x.template, templateAt);
      x.templateFilled[q] = x.call;
    }
    const t = x.templateCount[q];
    x.pieceCount[b] = t >= 0 && lifeLeft <= x.longestLife ? lifePiecesFrom(x.template, templateAt, t, delayYears, lifeLeft, x.rate[q], x.pieces, at) : lifePieces(p, s, delayYears, lifeLeft, x.rate[q], x.pieces, at);
    x.piecesFilled[b] = x.call;
  }
  return at;
}

/** The value bound of lot l at rate index q for a machine cost of `costPerYear`, from the lot's pieces. */
function lotValueBound(p: Params, s: State, x: InvestScratch, l: number, q: number, lifeLeft: number, delayYears: number, costPerYear: number): number {
  const at = lotPieces(p, s, x, l, q, lifeLeft, delayYears);
  return boundFromPieces(x.pieces, at, x.pieceCount[l * x.rates + q], x.rate[q], costPerYear);
}

/**
 * An upper bound on lot l's value bound (lotValueBound) in every region of this valuation
 * (x.candidates) whose rate gives bounds (x.rateBounds), computed once per lot and valuation: the
 * pieces of its life do not depend on the region, and boundOverCosts bounds their bound at the
 * lowest of the regions' rates, over their costs for the lot.
 */
function lotBoundOverRegions(p: Params, s: State, x: InvestScratch, l: number, delayYears: number): number {
  if (x.lotBoundFilled[l] === x.call) return x.lotBound[l];
  const lifeLeft = x.lotLife[l];
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < x.candidateCount; i++) {
    const cost = costPerThYear(p, s, x.candidates[i], s.lotJth[l], lifeLeft);
    low = Math.min(low, cost);
    high = Math.max(high, cost);
  }
  const q = x.lowestRate;
  const at = lotPieces(p, s, x, l, q, lifeLeft, delayYears);
  const bound = boundOverCosts(x.pieces, at, x.pieceCount[l * x.rates + q], x.rate[q], low, high);
  x.lotBound[l] = bound;
  x.lotBoundFilled[l] = x.call;
  return bound;
}

/**
 * Orders new mining capacity region by region and gives it to entrants and incumbents. Sites and
 * machines count under the region's cap from the order; the machines hash once the site is built
 * and they are delivered.
 */
export function invest(p: Params, s: State, days: number, rng: Stream, x: InvestScratch): void {
  const c = p.config;
  const inv = c.investment;
  const sale = x.sale;
  const onSale = machinesOnSale(p, s, sale);
  const years = days / DAYS_PER_YEAR;
  const buildEpochsMean = (inv.buildEpochs[0] + inv.buildEpochs[1]) / 2;
  const deliveryEpochsMean = (c.renewal.deliveryEpochs[0] + c.renewal.deliveryEpochs[1]) / 2;
  // New machines wait for the manufacturers' backlog while the site is built (renewal.ts orderWaitEpochs).
  const wait = orderWaitEpochs(p, s);
  const delayYears = ((buildEpochsMean + deliveryEpochsMean) * p.nominalEpochDays) / DAYS_PER_YEAR;
  const newDelayYears = ((Math.max(buildEpochsMean, wait) + deliveryEpochsMean) * p.nominalEpochDays) / DAYS_PER_YEAR;
  const buildUsdPerMw = (inv.buildOutUsdPerMw[0] + inv.buildOutUsdPerMw[1]) / 2;
  const R = c.regions.length;
  x.call += 1;
  listExpanders(s, x);
  x.candidateCount = 0;
  for (let r = 0; r < R; r++) if (!s.regionBanned[r] && s.regionOpen[r]) x.candidates[x.candidateCount++] = r;
  for (let q = 0; q < x.rates; q++) x.rateBounds[q] = boundsAtRate(p, s, x.rate[q]) ? 1 : 0;
  // A lot's life left depends on neither the region nor anything invest changes.
  x.longestLife = -Infinity;
  for (let l = 0; l < LOT_SLOTS; l++) {
    x.lotLife[l] = c.fleet.lifespanYears - (s.day - s.lotBirthDay[l]) / DAYS_PER_YEAR - delayYears;
    if (s.lotThs[l] > 0) x.longestLife = Math.max(x.longestLife, x.lotLife[l]);
  }
  for (let r = 0; r < R; r++) {
    s.regionInvestedMw[r] = 0;
    if (s.regionBanned[r] || !s.regionOpen[r]) continue;
    const region = c.regions[r];
    const room = roomMw(s, r);
    if (!(room > 0)) continue;
    // The machine to build for: the best new model, or a lot of used machines on the secondary
    // market (after a ban or a capitulation wave, cheap used machines make new sites pay).
    const duty = 1 + region.importDuty;
    const q = x.rateOf[r];
    const best = sale[bestOnSale(p, s, x, onSale, r, duty, buildUsdPerMw, newDelayYears)];
    let index = x.saleIndex;
    const newMwPerTh = megawatts(1, best.jPerTh, region.pue);
    const newCapexPerTh = best.usdPerTh * duty + newMwPerTh * buildUsdPerMw;
    let mwPerTh = newMwPerTh;
    let capexPerTh = newCapexPerTh;
    let lotLife = 0;
    let lot = -1;
    for (let l = 0; l < LOT_SLOTS; l++) {
      if (!(s.lotThs[l] > 0)) continue;
      const lotMwPerTh = megawatts(1, s.lotJth[l], region.pue);
      const lotCapex = s.lotUsdPerTh[l] * duty + lotMwPerTh * buildUsdPerMw;
      const lifeLeft = x.lotLife[l];
      // A lot whose value is bounded below what would make it the best choice (no better than the
      // best so far, or not positive) is passed over without its path (value-bound.ts). The margin
      // on the threshold is far above the rounding of the index's division. Most lots are passed
      // over, without their own bound, by a bound on it worked out once for every region
      // (lotBoundOverRegions): where that is at most the threshold, so is the lot's own bound.
      if (lotCapex > 0) {
        const threshold = lotCapex * (1 + Math.max(index, 0)) * (1 - INDEX_MARGIN);
        if (x.rateBounds[q] === 1 && lotBoundOverRegions(p, s, x, l, delayYears) <= threshold) continue;
        if (lotValueBound(p, s, x, l, q, lifeLeft, delayYears, costPerThYear(p, s, r, s.lotJth[l], lifeLeft)) <= threshold) continue;
      }
      const lotIndex = pathNpvPerTh(p, s, x, l * x.rates + q, r, s.lotJth[l], s.lotUsdPerTh[l] * duty, lotMwPerTh * buildUsdPerMw, delayYears, lifeLeft) / lotCapex;
      if (lotIndex > index) {
        index = lotIndex;
        lot = l;
        mwPerTh = lotMwPerTh;
        capexPerTh = lotCapex;
        lotLife = lifeLeft;
      }
    }
    // The region's sites differ in power cost as its operators' contracts do: capital builds those
    // that pay, so the pace follows the expected positive part of the index over the sites' costs.
    // A used lot that pays better is built for first, as far as it goes; new machines take the
    // rest of the pace they justify.
    const pace = inv.responsePerYear * Math.max(s.regionUsedMw[r], inv.floorMw) * years;
    let built = 0;
    if (lot >= 0) {
      const sites = siteSpread(p, s, x, lot * x.rates + q, r, s.lotJth[lot], s.lotUsdPerTh[lot] * duty, mwPerTh * buildUsdPerMw, delayYears, lotLife, capexPerTh);
      if (sites.expectedIndex > 0) {
        const mw = Math.min(room, pace * sites.expectedIndex, s.lotThs[lot] * mwPerTh);
        s.lotThs[lot] -= mw / mwPerTh;
        if (s.lotThs[lot] < 1e-9) s.lotThs[lot] = 0;
        s.boughtUsedThs += mw / mwPerTh;
        // A lot of machines sold before their delivery hashes no sooner than they were due.
        const machine = { jPerTh: s.lotJth[lot], kgPerTh: s.lotKgPerTh[lot], birthDay: s.lotBirthDay[lot] };
        build(p, s, r, mw, machine, mwPerTh, capexPerTh, Math.max(0, s.lotReadyEpoch[lot] - s.epoch), sites.paying, rng, x);
        built = mw;
      }
    }
    const sites = siteSpread(p, s, x, LOT_SLOTS * x.rates + q, r, best.jPerTh, best.usdPerTh * duty, newMwPerTh * buildUsdPerMw, newDelayYears, c.fleet.lifespanYears, newCapexPerTh);
    const mw = Math.min(room - built, pace * sites.expectedIndex - built);
    if (sites.expectedIndex > 0 && mw > 0) {
      s.boughtNewThs += mw / newMwPerTh;
      build(p, s, r, mw, { jPerTh: best.jPerTh, kgPerTh: best.kgPerTh, birthDay: s.day }, newMwPerTh, newCapexPerTh, wait, sites.paying, rng, x);
      built += mw;
    }
    s.regionInvestedMw[r] = built;
  }
}

/**
 * Builds `mw` of new capacity in region r for `machine`: it counts against the region's build-out
 * room, part goes to entrants (investment.entrantShare, and what no incumbent takes), the rest to
 * the incumbents. The machines ship after `wait` epochs at the earliest; entrants' sites are among
 * the `paying` share of the region's site costs (siteSpread).
 */
function build(p: Params, s: State, r: number, mw: number, machine: Machine, mwPerTh: number, capexPerTh: number, wait: number, paying: number, rng: Stream, x: InvestScratch): void {
  const inv = p.config.investment;
  s.regionGrowthRoomMw[r] -= mw;
  s.regionEntrantCarryMw[r] += mw * inv.entrantShare;
  const left = expand(p, s, r, mw * (1 - inv.entrantShare), machine, mwPerTh, capexPerTh, rng, x, -1, wait);
  s.regionEntrantCarryMw[r] += left;
  enterGreenfield(p, s, r, machine, mwPerTh, capexPerTh, rng, wait, paying);
}

/**
 * siteSpread's range of standard normal scores of site costs: [-SITE_Z, SITE_Z] (beyond it lie
 * 1e-9 of the sites on either side), where the break-even is found in SITE_BISECTIONS halvings
 * (to 12 / 2^16, about 2e-4); its integral runs from -SITE_TAIL (3e-5 of the sites lie below) on
 * SITE_POINTS intervals (at most 10 / 12 wide).
 */
const SITE_Z = 6;
const SITE_BISECTIONS = 16;
const SITE_TAIL = 4;
const SITE_POINTS = 12;

/**
 * The profitability of new capacity over the spread of a region's site costs: sites' power
 * contracts are log-normal around the regional price with operators.contractMultiplierSigmaLog
 * (contract e^{sigma z}, z standard normal). The index (NPV over `capexPerTh`) falls as the contract
 * rises, so the sites where it is positive are those below a break-even score z*, found by
 * bisection: `paying` = Phi(z*), the share of sites that pay, and `expectedIndex` = the integral
 * of the index times the normal density from -SITE_TAIL to z* (the mean over all sites of the index
 * where positive, zero elsewhere), by the midpoint rule on SITE_POINTS intervals.
 */
function siteSpread(p: Params, s: State, x: InvestScratch, slot: number, r: number, jPerTh: number, usdPerTh: number, buildUsdPerTh: number, delayYears: number, life: number, capexPerTh: number): { expectedIndex: number; paying: number } {
  const sigma = p.config.operators.contractMultiplierSigmaLog;
  const index = (z: number) => pathNpvPerTh(p, s, x, slot, r, jPerTh, usdPerTh, buildUsdPerTh, delayYears, life, Math.exp(sigma * z)) / capexPerTh;
  if (!(sigma > 0) || !(capexPerTh > 0)) {
    const i = index(0);
    return i > 0 ? { expectedIndex: i, paying: 1 } : { expectedIndex: 0, paying: 0 };
  }
  let lo = -SITE_Z;
  let hi = SITE_Z;
  if (!(index(lo) > 0)) return { expectedIndex: 0, paying: 0 };
  if (!(index(hi) > 0)) {
    for (let k = 0; k < SITE_BISECTIONS; k++) {
      const mid = (lo + hi) / 2;
      if (index(mid) > 0) lo = mid;
      else hi = mid;
    }
  }
  const paying = normalCdf(lo);
  if (!(lo > -SITE_TAIL)) return { expectedIndex: 0, paying };
  const dz = (lo + SITE_TAIL) / SITE_POINTS;
  let sum = 0;
  for (let j = 0; j < SITE_POINTS; j++) {
    const z = -SITE_TAIL + (j + 0.5) * dz;
    sum += Math.max(0, index(z)) * Math.exp(-0.5 * z * z);
  }
  return { expectedIndex: (sum * dz) / Math.sqrt(2 * Math.PI), paying };
}

/**
 * The epoch from which machines of new capacity ordered now hash: the site is built (a draw of
 * investment.buildEpochs) while the machines wait for the manufacturers' backlog (`wait` epochs),
 * then they are delivered (a draw of renewal.deliveryEpochs). The build is drawn first.
 */
function buildReadyEpoch(p: Params, s: State, rng: Stream, wait: number): number {
  const c = p.config;
  const buildEpochs = rng.integer(c.investment.buildEpochs[0], c.investment.buildEpochs[1]);
  return s.epoch + Math.max(buildEpochs, wait) + rng.integer(c.renewal.deliveryEpochs[0], c.renewal.deliveryEpochs[1]);
}

/**
 * Gives `mw` of new capacity to the region's incumbents on their own sites that made money last
 * epoch, in proportion to their site MW. Returns the MW no incumbent could take (all of it when
 * there is none).
 */
function expand(p: Params, s: State, r: number, mw: number, best: Machine, mwPerTh: number, capexPerTh: number, rng: Stream, x: InvestScratch, ready = -1, wait = 0): number {
  if (!(mw > 0)) return 0;
  const c = p.config;
  const from = x.expandersFrom[r];
  const to = x.expandersFrom[r + 1];
  let eligibleMw = 0;
  for (let e = from; e < to; e++) eligibleMw += s.opSiteMw[x.expanders[e]];
  if (!(eligibleMw > 0)) return mw;
  if (ready < 0) ready = buildReadyEpoch(p, s, rng, wait);
  for (let e = from; e < to; e++) {
    const o = x.expanders[e];
    const add = (mw * s.opSiteMw[o]) / eligibleMw;
    const ths = add / mwPerTh;
    addCohort(p, s, o, ths, best.jPerTh, best.kgPerTh, best.birthDay, ready);
    s.opSiteMw[o] += add;
    s.regionUsedMw[r] += add;
    pay(s, o, ths * capexPerTh);
  }
  return 0;
}

/** Whether operator o takes a share of new capacity in its region (expand): it mines on its own site and made money last epoch. */
function expandsHere(s: State, o: number): boolean {
  return s.opStatus[o] === MINING && s.opHostedUsdPerKwh[o] === 0 && s.opMarginUsdPerDay[o] > 0;
}

/**
 * Lists the operators that may expand, by region, in ascending order within each (the order in which
 * expand shares out capacity). Expansion and entry change none of what decides it (an entrant has no
 * margin yet), so one list serves a whole round of expansions.
 */
function listExpanders(s: State, x: InvestScratch): void {
  const N = s.opStatus.length;
  const R = x.expandersFrom.length - 1;
  const from = x.expandersFrom;
  from.fill(0);
  // The expanders in ascending order (one pass over the operators), then placed by region.
  const found = x.expanderScan;
  let count = 0;
  for (let o = 0; o < N; o++) {
    if (!expandsHere(s, o)) continue;
    found[count++] = o;
    from[s.opRegion[o] + 1] += 1;
  }
  for (let r = 0; r < R; r++) from[r + 1] += from[r];
  for (let i = 0; i < count; i++) {
    const o = found[i];
    const r = s.opRegion[o];
    // Filled up to the next region's start: from[r] runs ahead and is restored below.
    x.expanders[from[r]++] = o;
  }
  for (let r = R; r > 0; r--) from[r] = from[r - 1];
  from[0] = 0;
}

/**
 * Delivers the machines ordered before the start (fleet.backlog, paid for before the start): the
 * part of each order's window that falls in this epoch, to the profitable incumbents with own sites
 * of every region in proportion to their site MW (their sites grow to hold them), ready next epoch.
 */
export function deliverBacklog(p: Params, s: State, days: number, rng: Stream, x: InvestScratch): void {
  if (p.backlog.length === 0) return;
  const c = p.config;
  const N = s.opStatus.length;
  const R = c.regions.length;
  const regionMw = new Float64Array(R);
  let totalMw = 0;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] === MINING && s.opHostedUsdPerKwh[o] === 0 && s.opMarginUsdPerDay[o] > 0 && !s.regionBanned[s.opRegion[o]]) {
      regionMw[s.opRegion[o]] += s.opSiteMw[o];
      totalMw += s.opSiteMw[o];
    }
  }
  if (!(totalMw > 0)) return;
  listExpanders(s, x);
  for (const b of p.backlog) {
    const overlap = Math.min(b.toDay, s.day + days) - Math.max(b.fromDay, s.day);
    if (!(overlap > 0) || !(b.toDay > b.fromDay)) continue;
    const ths = (b.ths * overlap) / (b.toDay - b.fromDay);
    const model = c.asics[b.model];
    const machine = { jPerTh: model.jPerTh, kgPerTh: model.kgPerUnit / model.thsPerUnit, birthDay: s.day };
    for (let r = 0; r < R; r++) {
      if (!(regionMw[r] > 0) || s.regionUsedMw[r] >= s.regionCapMw[r]) continue;
      const mwPerTh = megawatts(1, model.jPerTh, c.regions[r].pue);
      const mw = ((ths * regionMw[r]) / totalMw) * mwPerTh;
      expand(p, s, r, mw, machine, mwPerTh, 0, rng, x, s.epoch + 1);
      s.boughtNewThs += mw / mwPerTh;
    }
  }
}

/**
 * New operators take the region's carried greenfield MW in sites of a drawn size, in free operator
 * slots (exited operators that left no site). Each draws its own traits like the initial operators
 * and finances its capex with the configured share of debt (the rest is equity raised outside).
 */
function enterGreenfield(p: Params, s: State, r: number, best: Machine, mwPerTh: number, capexPerTh: number, rng: Stream, wait: number, paying: number): void {
  const c = p.config;
  const N = s.opStatus.length;
  const [minMw] = c.investment.entrantSiteMw;
  let o = 0;
  while (s.regionEntrantCarryMw[r] >= minMw) {
    // The capacity carried for entrants was inside the cap when it was built for, but incumbents'
    // expansions and arrivals may have taken the room since: a site is built only where it fits
    // under the cap (the carry waits otherwise).
    const capRoom = capRoomMw(s, r);
    if (!(capRoom >= minMw)) return;
    while (o < N && !(s.opStatus[o] === EXITED && s.opExitSiteMw[o] <= 0 && s.opAiMw[o] <= 0)) o++;
    if (o >= N) return;
    const siteMw = Math.min(s.regionEntrantCarryMw[r], rng.between(c.investment.entrantSiteMw[0], c.investment.entrantSiteMw[1]), capRoom);
    s.regionEntrantCarryMw[r] -= siteMw;
    const ths = siteMw / mwPerTh;
    const K = p.cohortSlots;
    for (let k = 0; k < K; k++) {
      s.coThs[o * K + k] = 0;
      s.coRunning[o * K + k] = 0;
      s.coIdleEpochs[o * K + k] = 0;
    }
    const ready = buildReadyEpoch(p, s, rng, wait);
    addCohort(p, s, o, ths, best.jPerTh, best.kgPerTh, best.birthDay, ready);
    s.opStatus[o] = MINING;
    s.opRegion[o] = r;
    s.opSiteMw[o] = siteMw;
    s.regionUsedMw[r] += siteMw;
    // Its site is one of those that pay: its contract is drawn from the part of the law below the
    // break-even multiplier (siteSpread), as the operators of the start draw theirs (init.ts).
    const sigma = c.operators.contractMultiplierSigmaLog;
    s.opContract[o] = sigma > 0 ? Math.exp(sigma * normalQuantile(rng.uniform() * paying)) : 1;
    s.opHurdle[o] = rng.between(c.operators.hurdleRatePerYear[0], c.operators.hurdleRatePerYear[1]);
    s.opRiskAversion[o] = rng.between(c.operators.riskAversion[0], c.operators.riskAversion[1]);
    s.opReviewEpochs[o] = rng.integer(c.operators.reviewIntervalEpochs[0], c.operators.reviewIntervalEpochs[1]);
    s.opNextReview[o] = ready + s.opReviewEpochs[o];
    s.opHostedUsdPerKwh[o] = 0;
    // The entrant raises its capex with the configured share of debt and keeps the cash to carry
    // the site's overhead and debt service until its machines hash (the rest is equity from outside).
    s.opDebtUsd[o] = c.operators.debtToHardwareRatio * ths * capexPerTh;
    const carryYears = ((ready - s.epoch) * p.nominalEpochDays) / DAYS_PER_YEAR;
    s.opCashUsd[o] = carryYears * (siteMw * c.operators.overheadUsdPerMwYear + s.opDebtUsd[o] * (c.operators.debtInterestPerYear + c.operators.debtAmortizationPerYear));
    s.opNegativeEpochs[o] = 0;
    s.opOfferLease[o] = 0;
    s.opMarginUsdPerDay[o] = 0;
    // A new site: no outage of the slot's former occupant carries over.
    s.opOutEndDay[o] = 0;
    s.opUpgrading[o] = 0;
    s.entries += 1;
  }
}

/**
 * Entry on vacant sites: the site an exited operator left is taken over by a new operator, at a yearly
 * rate (entry.sitesPerYear), when new machines on it are worth more than they cost: the greenfield
 * valuation without build-out and construction (the site stands; machines only need delivering). The
 * entrant raises the capital to fill the site and is then one more operator like the others.
 */
export function enter(p: Params, s: State, days: number, rng: Stream, x: InvestScratch): void {
  const c = p.config;
  const N = s.opStatus.length;
  const sale = x.sale;
  const onSale = machinesOnSale(p, s, sale);
  const chance = 1 - Math.exp((-c.entry.sitesPerYear * days) / DAYS_PER_YEAR);
  const reserveDays = c.renewal.cashReserveDays;
  const deliveryYears = ((((c.renewal.deliveryEpochs[0] + c.renewal.deliveryEpochs[1]) / 2) + orderWaitEpochs(p, s)) * p.nominalEpochDays) / DAYS_PER_YEAR;
  // The profitability of filling a standing site, per region (NaN until needed).
  const index = x.enterIndex.fill(NaN);
  x.call += 1;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== EXITED || s.opExitSiteMw[o] <= 0) continue;
    const r = s.opRegion[o];
    // The exited site already counts under the region's cap and holds its allocation, so a region
    // closed to new allocations still lets an entrant take it over; a banned region or site does not.
    if (operatorBanned(s, o)) continue;
    // Load above the cap is grandfathered, not transferable: while the region is over its cap, a
    // site left behind lapses (it leaves the region's load) instead of waiting for an entrant.
    if (s.regionUsedMw[r] > s.regionCapMw[r]) {
      s.regionUsedMw[r] -= s.opExitSiteMw[o];
      s.opExitSiteMw[o] = 0;
      continue;
    }
    const duty = 1 + c.regions[r].importDuty;
    if (Number.isNaN(index[r])) {
      // The machine to fill it with: the standing site needs no build-out.
      x.enterModel[r] = bestOnSale(p, s, x, onSale, r, duty, 0, deliveryYears);
      index[r] = x.saleIndex;
    }
    if (!(index[r] > 0) || !rng.chance(chance)) continue;
    const best = sale[x.enterModel[r]];
    const usdPerTh = best.usdPerTh * duty;
    const pue = c.regions[r].pue;
    const ths = s.opExitSiteMw[o] / megawatts(1, best.jPerTh, pue);
    const marginPerDay = marginPerThDay(s.expHashpriceRenewal, best.jPerTh, pue, regionPowerUsdPerKwh(s, r)) * ths;
    s.opStatus[o] = MINING;
    s.opSiteMw[o] = s.opExitSiteMw[o];
    s.opExitSiteMw[o] = 0;
    // The entrant negotiates its own power contract, log-normal around the regional price like the
    // initial operators' (MODEL.md 5), so entrants do not all share one cost.
    s.opContract[o] = Math.exp(c.operators.contractMultiplierSigmaLog * rng.normal());
    s.opHostedUsdPerKwh[o] = 0;
    s.opCashUsd[o] = ths * usdPerTh + reserveDays * Math.max(0, marginPerDay);
    s.opDebtUsd[o] = 0;
    s.opNegativeEpochs[o] = 0;
    s.opOfferLease[o] = 0;
    s.opNextReview[o] = s.epoch + s.opReviewEpochs[o];
    s.entries += 1;
  }
}
