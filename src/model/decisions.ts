// Decisions (MODEL.md 7.4): operators due for review, insolvent, or hit by a policy event choose
// among stay, capitulate, relocate to each destination with free capacity, and pivot to AI (with an
// offer in hand), by expected value and a logit choice. Scarce capacity is served in random order.
import type { Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { AI, EXITED, MINING, TRANSIT, operatorBanned, regionPowerUsdPerKwh } from './state.ts';
import { annuity, kwhPerThDay, normalCdf } from './economics.ts';
import { fleetKg } from './fleet.ts';
import { operatorPue, operatorUsdPerKwh } from './operations.ts';
import { fleetResaleNowAndAheadUsd, listFleet } from './secondary.ts';
import { DAYS_PER_YEAR } from './time.ts';
import { discountedYearsAfter, halvingsBetween, meanExpectedHashpriceOver } from './expectations.ts';
import { aiCapacityFreeMw } from './ai.ts';

const STAY = -1;
const CAPITULATE = -2;
const PIVOT = -3;
// A relocation option is the destination's region index (>= 0).

/** Scratch space for one decision, reused across operators (no allocation in the loop). */
export interface DecisionScratch {
  value: Float64Array; // option values, USD
  weight: Float64Array; // their logit weights (choose)
  option: Int32Array; // option codes
  hostedUsdPerKwh: Float64Array; // per destination option: all-in hosting rate (0 = build a site)
  downtimeEpochs: Int32Array;
  breakage: Float64Array;
  costUsd: Float64Array;
  siteMw: Float64Array;
  aiItMw: number;
  aiYears: number;
  aiCapexUsdPerMw: number;
  aiConversionEpochs: number;
  requestOp: Int32Array; // queued relocation/pivot requests: operator
  requestOption: Int32Array; // and its option
  requestSlot: Int32Array; // index into saved terms
  requestInsolvent: Uint8Array; // 1 when the requester is insolvent: it is reorganised if the request (or its fallback) is carried out
  termsHosted: Float64Array;
  termsDowntime: Int32Array;
  termsBreakage: Float64Array;
  termsCost: Float64Array;
  termsSiteMw: Float64Array;
  termsYears: Float64Array; // AI lease term of a queued pivot, years
  order: Int32Array;
  resale: Float64Array; // the fleet's resale value now and at the horizon
  cohortThs: Float64Array; // the deciding operator's cohorts with machines: hashrate
  cohortKwhPerThDay: Float64Array; // energy per TH-day
  cohortThsJ: Float64Array; // and TH/s times J/TH
  halvings: Float64Array; // the years of the halvings inside the horizon being valued
  lastDiscountExp: Float64Array; // discountedYearsAfter's last exponential, of the pieces' discounting
}

export function createDecisionScratch(p: Params, operators: number): DecisionScratch {
  const options = p.destinations.length + 3;
  return {
    value: new Float64Array(options),
    weight: new Float64Array(options),
    option: new Int32Array(options),
    hostedUsdPerKwh: new Float64Array(options),
    downtimeEpochs: new Int32Array(options),
    breakage: new Float64Array(options),
    costUsd: new Float64Array(options),
    siteMw: new Float64Array(options),
    aiItMw: 0,
    aiYears: 0,
    aiCapexUsdPerMw: 0,
    aiConversionEpochs: 0,
    requestOp: new Int32Array(operators),
    requestOption: new Int32Array(operators),
    requestSlot: new Int32Array(operators),
    requestInsolvent: new Uint8Array(operators),
    termsHosted: new Float64Array(operators + 1),
    termsDowntime: new Int32Array(operators + 1),
    termsBreakage: new Float64Array(operators + 1),
    termsCost: new Float64Array(operators + 1),
    termsSiteMw: new Float64Array(operators + 1),
    termsYears: new Float64Array(operators + 1),
    order: new Int32Array(operators),
    resale: new Float64Array(2),
    // At most one halving per halving interval of the decision horizon, and one more for where it starts.
    halvings: new Float64Array(Math.ceil((p.config.decisions.horizonYears * p.blocksPerYear) / p.config.protocol.halvingIntervalBlocks) + 1),
    cohortThs: new Float64Array(p.cohortSlots),
    cohortKwhPerThDay: new Float64Array(p.cohortSlots),
    cohortThsJ: new Float64Array(p.cohortSlots),
    lastDiscountExp: new Float64Array(2),
  };
}

/**
 * Factor on today's power price for the tariff hikes expected over a horizon of `years`: hikes of
 * `tariffHikeFactor` arrive at `tariffHikePerYear`, so by the middle of the horizon the expected
 * number is rate * years / 2 (MODEL.md 7.4: every option's value includes its policy hazards).
 */
export function tariffDrift(policy: { tariffHikePerYear: number; tariffHikeFactor: number }, years: number): number {
  return 1 + policy.tariffHikePerYear * (policy.tariffHikeFactor - 1) * (years / 2);
}

/**
 * Expected yearly margin of an operator's fleet at a power price and PUE, USD/yr. Each cohort runs
 * only when it pays, and the operator knows the hashprice is uncertain: at the middle of the
 * decision horizon it is log-normal around the expectation with the BTC price's volatility, so a
 * cohort shut in today still has the value of running when the hashprice rises (the option value
 * of staying, MODEL.md 7.4). It reads the operator's cohorts gathered by gatherCohorts; each
 * cohort's term is expectedRunMarginPerThDay's, written out here.
 */
function fleetMarginPerYear(x: DecisionScratch, cohorts: number, sdLog: number, hashprice: number, usdPerKwh: number, pue: number, keep: number): number {
  const thsOf = x.cohortThs;
  const kwhOf = x.cohortKwhPerThDay;
  // expectedRunMarginPerThDay(hashprice, j, pue, usdPerKwh, sdLog) of each cohort, term by term.
  const h = hashprice / 1000;
  let m = 0;
  for (let i = 0; i < cohorts; i++) {
    const cost = kwhOf[i] * pue * usdPerKwh;
    let run: number;
    if (!(sdLog > 0) || cost <= 0 || h <= 0) run = Math.max(0, h - cost);
    else {
      const d1 = (Math.log(h / cost) + (sdLog * sdLog) / 2) / sdLog;
      run = h * normalCdf(d1) - cost * normalCdf(d1 - sdLog);
    }
    m += run * thsOf[i] * keep;
  }
  return m * DAYS_PER_YEAR;
}

/**
 * Copies operator o's cohorts that hold machines (in slot order) into the scratch: their hashrate
 * energy per TH-day and power (TH/s times J/TH), which every option's valuation reads; returns how many.
 */
function gatherCohorts(p: Params, s: State, o: number, x: DecisionScratch): number {
  const K = p.cohortSlots;
  const coThs = s.coThs;
  const coJth = s.coJth;
  let n = 0;
  for (let k = 0; k < K; k++) {
    const slot = o * K + k;
    const ths = coThs[slot];
    if (ths <= 0) continue;
    x.cohortThs[n] = ths;
    x.cohortKwhPerThDay[n] = kwhPerThDay(coJth[slot]);
    x.cohortThsJ[n] = ths * coJth[slot];
    n++;
  }
  return n;
}

/**
 * fleetMw(p, s, o, pue) from the gathered cohorts: the same terms in the same order (the slots
 * without machines, which gatherCohorts leaves out, add +0 there).
 */
function gatheredFleetMw(x: DecisionScratch, cohorts: number, pue: number): number {
  let mw = 0;
  for (let i = 0; i < cohorts; i++) mw += (x.cohortThsJ[i] * pue) / 1e6;
  return mw;
}

/**
 * Present value over [fromYears, toYears] at `ratePerYear` of the fleet's expected margin,
 * USD: the horizon is cut at each halving of the known schedule, and each piece earns
 * fleetMarginPerYear at its own expected hashprice (the level with the same present value as the
 * expected path over the piece), so that machines that pay before a halving and not after it are
 * valued as running until it and shutting in after it, not at the horizon's mean hashprice
 * (MODEL.md 7.4: operators apply the subsidy schedule exactly over their horizon).
 */
function fleetMarginPv(p: Params, s: State, x: DecisionScratch, cohorts: number, sdLog: number, fromYears: number, toYears: number, ratePerYear: number, usdPerKwh: number, pue: number, keep: number): number {
  const n = halvingsBetween(p, s, fromYears, toYears, x.halvings);
  let pv = 0;
  let t0 = fromYears;
  // Each piece starts where the last one ended: its first exponential is the last one's second.
  x.lastDiscountExp[0] = NaN;
  for (let i = 0; i <= n; i++) {
    const t1 = i < n ? x.halvings[i] : toYears;
    const years = discountedYearsAfter(ratePerYear, t0, t1, x.lastDiscountExp);
    const hp = meanExpectedHashpriceOver(p, s, t0, t1, ratePerYear, years);
    pv += years * fleetMarginPerYear(x, cohorts, sdLog, hp, usdPerKwh, pue, keep);
    t0 = t1;
  }
  return pv;
}

/** Fills scratch with the options open to operator o and their values; returns how many. */
export function valueOptions(p: Params, s: State, o: number, forced: boolean, rng: Stream, x: DecisionScratch): number {
  const c = p.config;
  const r = s.opRegion[o];
  const rate = s.opHurdle[o];
  const T = c.decisions.horizonYears;
  const ownSite = s.opHostedUsdPerKwh[o] === 0;
  const overheadPerMwYear = c.operators.overheadUsdPerMwYear;
  const siteSale = ownSite ? s.opSiteMw[o] * c.relocation.siteSaleUsdPerMw : 0;
  // The fleet's market value now and at the end of the horizon, and what a sale fetches this epoch.
  fleetResaleNowAndAheadUsd(p, s, o, T * DAYS_PER_YEAR, x.resale);
  const hardwareUsd = x.resale[0];
  const hardwareAtHorizonUsd = x.resale[1];
  const saleUsd = hardwareUsd * (1 - s.saleDiscount);
  const cohorts = gatherCohorts(p, s, o, x);
  const sdLog = c.market.price.volatilityPerYear * Math.sqrt(c.decisions.horizonYears / 2);
  let n = 0;

  if (!forced) {
    // Staying earns the margin over the horizon and keeps the fleet and site (terminal value). The
    // region's policy hazards are priced: a ban ends the margin (its hazard is a rate of loss on
    // the flow), tariff hikes raise the expected power price.
    const policy = c.regions[r].policy;
    const lossRate = rate + policy.banPerYear;
    const marginPv = fleetMarginPv(p, s, x, cohorts, sdLog, 0, T, lossRate, operatorUsdPerKwh(s, o) * tariffDrift(policy, T), operatorPue(p, s, o), 1);
    const terminal = Math.exp(-rate * T) * (hardwareAtHorizonUsd + siteSale);
    x.option[n] = STAY;
    x.value[n++] = marginPv - annuity(lossRate, T) * (ownSite ? s.opSiteMw[o] * overheadPerMwYear : 0) + terminal;
  }

  x.option[n] = CAPITULATE;
  x.value[n++] = saleUsd + siteSale;

  // The fleet's shipping weight is read only by a destination with room for it: worked out at the
  // first one (nothing here changes the fleet), NaN until then.
  let kg = NaN;
  for (let j = 0; j < p.destinations.length; j++) {
    const d = p.destinations[j];
    if (d === r || !s.regionOpen[d] || s.regionBanned[d]) continue;
    // A destination with no room takes no fleet (the test below fails for any MW), so its fleet MW
    // is not worked out (a room of NaN goes on to the test, as before).
    const room = roomMw(s, d);
    if (room <= 0) continue;
    const region = c.regions[d];
    const mwAtD = gatheredFleetMw(x, cohorts, region.pue);
    // An operator with no machines has nothing to move.
    if (!(mwAtD > 0) || room < mwAtD) continue;
    if (Number.isNaN(kg)) kg = fleetKg(p, s, o);
    const hosted = region.hostingAvailable && mwAtD <= c.relocation.hostingMaxSiteMw;
    // A host passes on its own power and cooling at the destination plus its margin, so a
    // destination's cheap power matters to hosted fleets too (MODEL.md 7.4).
    const hostRate = hosted ? regionPowerUsdPerKwh(s, d) * region.pue + rng.between(c.relocation.hostingMarginUsdPerKwh[0], c.relocation.hostingMarginUsdPerKwh[1]) : 0;
    const downtime = hosted ? rng.integer(c.relocation.downtimeEpochsHosted[0], c.relocation.downtimeEpochsHosted[1]) : rng.integer(c.relocation.downtimeEpochsBuild[0], c.relocation.downtimeEpochsBuild[1]);
    const breakage = rng.between(c.relocation.breakage[0], c.relocation.breakage[1]);
    const buildOut = hosted ? 0 : mwAtD * rng.between(c.relocation.buildOutUsdPerMw[0], c.relocation.buildOutUsdPerMw[1]);
    // Breakage is a loss of machines (the fleet scaled by 1 - b on the move), not a cash cost.
    const cost = kg * c.relocation.freightUsdPerKg + region.importDuty * hardwareUsd + buildOut;
    const usdPerKwh = (hosted ? hostRate : regionPowerUsdPerKwh(s, d)) * tariffDrift(region.policy, T);
    const pue = hosted ? 1 : region.pue;
    const downYears = (downtime * p.nominalEpochDays) / DAYS_PER_YEAR;
    const lossRate = rate + region.policy.banPerYear;
    const marginPv = downYears < T ? fleetMarginPv(p, s, x, cohorts, sdLog, downYears, T, lossRate, usdPerKwh, pue, 1 - breakage) : 0;
    const overhead = hosted ? 0 : mwAtD * overheadPerMwYear;
    const operating = marginPv - Math.exp(-lossRate * downYears) * annuity(lossRate, Math.max(0, T - downYears)) * overhead;
    x.option[n] = d;
    x.hostedUsdPerKwh[n] = hostRate;
    x.downtimeEpochs[n] = downtime;
    x.breakage[n] = breakage;
    x.costUsd[n] = cost;
    x.siteMw[n] = mwAtD;
    // The new site (when built) is worth what it cost to build at the end; the old one is sold.
    const newSite = hosted ? 0 : mwAtD * c.relocation.siteSaleUsdPerMw;
    const kept = Math.exp(-rate * T) * ((1 - breakage) * hardwareAtHorizonUsd + newSite);
    x.value[n++] = operating + kept + siteSale - cost * (1 + s.opRiskAversion[o]);
  }

  if (s.opOfferLease[o] > 0 && s.opOfferExpires[o] >= s.epoch && ownSite && s.opSiteMw[o] >= c.ai.minSiteMw) {
    const itMw = s.opSiteMw[o] * rng.between(c.ai.itLoadFraction[0], c.ai.itLoadFraction[1]);
    const years = rng.between(c.ai.leaseYears[0], c.ai.leaseYears[1]);
    const capex = rng.between(c.ai.capexUsdPerMwIt[0], c.ai.capexUsdPerMwIt[1]);
    const conversion = rng.integer(c.ai.conversionEpochs[0], c.ai.conversionEpochs[1]);
    if (itMw <= aiCapacityFreeMw(p, s)) {
      const convYears = (conversion * p.nominalEpochDays) / DAYS_PER_YEAR;
      // A lease with a creditworthy tenant is discounted at its own (lower) rate.
      const leaseRate = c.ai.leaseDiscountRatePerYear;
      const lease = s.opOfferLease[o] * c.ai.operatingMargin * annuity(leaseRate, years) * Math.exp(-leaseRate * convYears);
      const equity = (1 - c.ai.debtFraction) * capex * itMw;
      const debtService = aiDebtServicePv(p, c.ai.debtFraction * capex * itMw, convYears + years);
      x.aiItMw = itMw;
      x.aiYears = years;
      x.aiCapexUsdPerMw = capex;
      x.aiConversionEpochs = conversion;
      x.option[n] = PIVOT;
      x.value[n++] = itMw * lease - equity - debtService + saleUsd - equity * s.opRiskAversion[o];
    }
  }
  return n;
}

/**
 * Present value at the lease discount rate of servicing AI conversion debt `debtUsd` taken now:
 * interest and amortisation at the operators' debt terms (paid continuously, as booked each epoch)
 * until the lease ends after `years`, and the balance left then repaid when the site leaves AI.
 */
export function aiDebtServicePv(p: Params, debtUsd: number, years: number): number {
  const c = p.config;
  const i = c.operators.debtInterestPerYear;
  const a = c.operators.debtAmortizationPerYear;
  const rho = c.ai.leaseDiscountRatePerYear;
  const decay = Math.exp(-(a + rho) * years);
  const flow = a + rho > 0 ? ((i + a) / (a + rho)) * (1 - decay) : (i + a) * years;
  return debtUsd * (flow + decay);
}

/**
 * Logit choice: option k with probability proportional to exp(V_k / scale). The scale is the
 * temperature times the value at stake (the largest |V| among the options, at least the site's MW
 * times decisions.valueScaleUsdPerMw), so options a small fraction of the stake apart share and an
 * option clearly better by many temperatures wins, whatever the operator's size.
 */
function choose(p: Params, s: State, o: number, x: DecisionScratch, n: number, u: number): number {
  let best = -Infinity;
  let stake = p.config.decisions.valueScaleUsdPerMw * Math.max(s.opSiteMw[o], 1e-6);
  for (let k = 0; k < n; k++) {
    if (x.value[k] > best) best = x.value[k];
    if (Math.abs(x.value[k]) > stake) stake = Math.abs(x.value[k]);
  }
  const scaleUsd = p.config.decisions.temperature * stake;
  // Each option's weight is worked out once, for the total and again for the draw.
  const weight = x.weight;
  let total = 0;
  for (let k = 0; k < n; k++) {
    weight[k] = Math.exp((x.value[k] - best) / scaleUsd);
    total += weight[k];
  }
  let acc = 0;
  const target = u * total;
  for (let k = 0; k < n; k++) {
    acc += weight[k];
    if (target < acc) return k;
  }
  return n - 1;
}

export function capitulate(p: Params, s: State, o: number): void {
  const c = p.config;
  const ths = listFleet(p, s, o);
  if (s.opHostedUsdPerKwh[o] === 0) s.opCashUsd[o] += s.opSiteMw[o] * c.relocation.siteSaleUsdPerMw;
  s.opStatus[o] = EXITED;
  // The site stays (for sale to an entrant) and keeps its place under the region's cap.
  s.opExitSiteMw[o] = s.opHostedUsdPerKwh[o] === 0 ? s.opSiteMw[o] : 0;
  if (s.opExitSiteMw[o] === 0) s.regionUsedMw[s.opRegion[o]] -= s.opSiteMw[o];
  s.opSiteMw[o] = 0;
  s.capitulations += 1;
  s.capitulatedThs += ths;
}

/** Pays `usd` from the operator's cash while it lasts and borrows the rest. */
export function pay(s: State, o: number, usd: number): void {
  const fromCash = Math.min(usd, Math.max(0, s.opCashUsd[o]));
  s.opCashUsd[o] -= fromCash;
  s.opDebtUsd[o] += usd - fromCash;
}

export function relocate(p: Params, s: State, o: number, d: number, x: DecisionScratch, t: number): void {
  const c = p.config;
  const K = p.cohortSlots;
  const origin = s.opRegion[o];
  let ths = 0;
  for (let k = 0; k < K; k++) {
    const slot = o * K + k;
    s.coThs[slot] *= 1 - x.termsBreakage[t];
    s.coRunning[slot] = 0;
    ths += s.coThs[slot];
  }
  if (s.opHostedUsdPerKwh[o] === 0) s.opCashUsd[o] += s.opSiteMw[o] * c.relocation.siteSaleUsdPerMw;
  pay(s, o, x.termsCost[t]);
  s.regionUsedMw[origin] -= s.opSiteMw[o];
  s.regionUsedMw[d] += x.termsSiteMw[t];
  s.regionGrowthRoomMw[d] -= x.termsSiteMw[t];
  s.opStatus[o] = TRANSIT;
  s.opDest[o] = d;
  s.opDestSiteMw[o] = x.termsSiteMw[t];
  s.opHostedUsdPerKwh[o] = x.termsHosted[t];
  s.opArriveEpoch[o] = s.epoch + Math.max(1, x.termsDowntime[t]);
  s.opSiteMw[o] = 0;
  // A ban or outage holds the site left behind, not the operator.
  s.opBanEndDay[o] = 0;
  s.opOutEndDay[o] = 0;
  s.relocationsTo[d] += 1;
  s.relocatedThsTo[d] += ths;
  s.relocationsFrom[origin] += 1;
}

/** Sites whose AI lease has ended leave AI and the model: their IT load returns to the AI market. */
export function aiLeaseEnds(p: Params, s: State): void {
  const N = s.opStatus.length;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== AI || s.opAiEndDay[o] > s.day) continue;
    s.aiUsedMw -= s.opAiMw[o];
    s.opAiMw[o] = 0;
    s.opAiLease[o] = 0;
    s.opExitSiteMw[o] = 0;
    s.opStatus[o] = EXITED;
  }
}

function pivot(p: Params, s: State, o: number, x: DecisionScratch, t: number): void {
  const c = p.config;
  const itMw = x.termsSiteMw[t];
  const capex = itMw * x.termsCost[t];
  listFleet(p, s, o);
  s.regionUsedMw[s.opRegion[o]] -= s.opSiteMw[o];
  s.opStatus[o] = AI;
  s.opAiMw[o] = itMw;
  s.opAiLease[o] = s.opOfferLease[o];
  s.opAiReadyEpoch[o] = s.epoch + x.termsDowntime[t];
  // The lease runs for its term from the end of the conversion; then the site leaves AI (aiLeaseEnds).
  s.opAiEndDay[o] = s.day + x.termsDowntime[t] * p.nominalEpochDays + x.termsYears[t] * DAYS_PER_YEAR;
  s.opDebtUsd[o] += c.ai.debtFraction * capex;
  s.opCashUsd[o] -= (1 - c.ai.debtFraction) * capex;
  s.opOfferLease[o] = 0;
  s.aiUsedMw += itMw;
  s.aiPivots += 1;
  s.aiMwNew += itMw;
}

/**
 * MW a region can still take this epoch: room under its cap, and no more than its build-out pace
 * allows (regions[].buildOutMwPerYear; relocations and new capacity share it).
 */
export function roomMw(s: State, r: number): number {
  return Math.min(capRoomMw(s, r), s.regionGrowthRoomMw[r]);
}

/** MW a region can still take under its cap (negative while its load is above it). */
export function capRoomMw(s: State, r: number): number {
  return s.regionCapMw[r] - s.regionUsedMw[r];
}

/** Whether operator o is insolvent: negative cash for more than the grace epochs. */
function insolvent(p: Params, s: State, o: number): boolean {
  return s.opNegativeEpochs[o] > p.config.operators.insolvencyGraceEpochs;
}

/**
 * Reorganisation of an insolvent operator whose creditors chose a going concern over liquidation
 * (MODEL.md 7.4): the debt and the unpaid bills are written off (the creditors own the firm), and
 * it goes on from no cash.
 */
export function reorganise(s: State, o: number): void {
  s.opDebtUsd[o] = 0;
  if (s.opCashUsd[o] < 0) s.opCashUsd[o] = 0;
  s.opNegativeEpochs[o] = 0;
  s.reorganisations += 1;
}

/** Saves the terms of option k of the valuation in x as request slot t. */
function saveTerms(x: DecisionScratch, k: number, t: number): void {
  if (x.option[k] === PIVOT) {
    x.termsSiteMw[t] = x.aiItMw;
    x.termsCost[t] = x.aiCapexUsdPerMw;
    x.termsDowntime[t] = x.aiConversionEpochs;
    x.termsYears[t] = x.aiYears;
  } else {
    x.termsHosted[t] = x.hostedUsdPerKwh[k];
    x.termsDowntime[t] = x.downtimeEpochs[k];
    x.termsBreakage[t] = x.breakage[k];
    x.termsCost[t] = x.costUsd[k];
    x.termsSiteMw[t] = x.siteMw[k];
  }
}

/** Runs the decision step for every operator that must decide this epoch. */
export function decide(p: Params, s: State, rng: Stream, x: DecisionScratch): void {
  const N = s.opStatus.length;
  // This epoch's build-out pace of each region, shared by relocations (here) and investment.
  const years = s.lastEpochDays / DAYS_PER_YEAR;
  for (let r = 0; r < s.regionGrowthRoomMw.length; r++) s.regionGrowthRoomMw[r] = p.config.regions[r].buildOutMwPerYear * years;
  let requests = 0;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== MINING) continue;
    const r = s.opRegion[o];
    // A banned operator must leave (stay is not among its options); an insolvent one is decided
    // by its creditors, who keep the going concern when one of its options is worth more than
    // liquidation and write the debt off (reorganise).
    const forced = operatorBanned(s, o);
    const failed = insolvent(p, s, o);
    if (!forced && !failed && s.opNextReview[o] > s.epoch && !s.regionShock[r]) continue;
    s.opNextReview[o] = s.epoch + s.opReviewEpochs[o];
    const n = valueOptions(p, s, o, forced, rng, x);
    const k = choose(p, s, o, x, n, rng.uniform());
    const option = x.option[k];
    if (option === CAPITULATE) {
      capitulate(p, s, o);
      continue;
    }
    if (option === STAY) {
      if (failed) reorganise(s, o);
      continue;
    }
    // Relocations and pivots compete for scarce capacity: queue them with their terms.
    x.requestOp[requests] = o;
    x.requestOption[requests] = option;
    x.requestSlot[requests] = requests;
    // A move or pivot of an insolvent operator is a reorganisation once it is carried out (serve).
    x.requestInsolvent[requests] = failed ? 1 : 0;
    saveTerms(x, k, requests);
    requests += 1;
  }
  serveRequests(p, s, rng, x, requests);
}

/**
 * Whether request slot t (option `option`) still fits the capacity left; if so it is carried out,
 * the requester first reorganised when insolvent (its creditors' going concern: the debt is written
 * off before the move or conversion is paid for).
 */
function serve(p: Params, s: State, o: number, option: number, x: DecisionScratch, t: number, insolventRequester: boolean): boolean {
  if (option === PIVOT) {
    if (x.termsSiteMw[t] > aiCapacityFreeMw(p, s)) return false;
    if (insolventRequester) reorganise(s, o);
    pivot(p, s, o, x, t);
    return true;
  }
  if (!s.regionOpen[option] || roomMw(s, option) < x.termsSiteMw[t]) return false;
  if (insolventRequester) reorganise(s, o);
  relocate(p, s, o, option, x, t);
  return true;
}

/**
 * Serves queued relocations and pivots in an order drawn from the stream, while capacity lasts. A
 * request refused for lack of capacity falls back to the operator's next choice: its options are
 * valued again with what is left (a full destination is no longer open to it) and it chooses again.
 */
function serveRequests(p: Params, s: State, rng: Stream, x: DecisionScratch, n: number): void {
  for (let j = 0; j < n; j++) x.order[j] = j;
  rng.shuffle(x.order, n);
  // The re-valued option's terms go to a spare slot after the queue.
  const spare = n;
  for (let j = 0; j < n; j++) {
    const t = x.order[j];
    const o = x.requestOp[t];
    const failed = x.requestInsolvent[t] === 1;
    if (serve(p, s, o, x.requestOption[t], x, t, failed)) continue;
    const forced = operatorBanned(s, o);
    let settled = false;
    for (let attempt = 0; attempt <= p.destinations.length + 1 && !settled; attempt++) {
      const count = valueOptions(p, s, o, forced, rng, x);
      const k = choose(p, s, o, x, count, rng.uniform());
      const option = x.option[k];
      if (option === STAY) {
        if (failed) reorganise(s, o);
        settled = true;
      } else if (option === CAPITULATE) {
        capitulate(p, s, o);
        settled = true;
      } else {
        saveTerms(x, k, spare);
        settled = serve(p, s, o, option, x, spare, failed);
      }
    }
    // An operator that must leave and found no room anywhere sells out (an insolvent one that
    // settled on nothing stays insolvent and is decided again next epoch).
    if (!settled && forced) capitulate(p, s, o);
  }
}
