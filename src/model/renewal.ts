// Transitions and fleet renewal (MODEL.md 3.5-3.6 and 7.5): machines in transit arrive, units retire
// at end of life or after a long idle spell, and solvent, profitable operators buy machines, used
// lots from the secondary market when they pay back sooner than the current best new model.
import type { Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { EXITED, LOT_SLOTS, MINING, TRANSIT, regionPowerUsdPerKwh } from './state.ts';
import { marginPerThDay, megawatts } from './economics.ts';
import { fleetMw } from './fleet.ts';
import { operatorPue, operatorUsdPerKwh } from './operations.ts';
import { DAYS_PER_YEAR } from './time.ts';

export interface Frontier {
  jPerTh: number;
  kgPerTh: number;
  usdPerTh: number;
}

/**
 * The best new machine on sale: the most efficient model released by today, improving at the
 * configured yearly rate after the catalogue's latest release; priced per TH in proportion to hashprice.
 */
export function frontier(p: Params, s: State): Frontier {
  const c = p.config;
  let bestIndex = 0;
  let latestDay = -Infinity;
  for (let i = 0; i < c.asics.length; i++) {
    const released = p.asicReleaseDays[i];
    if (released <= s.day) {
      if (c.asics[i].jPerTh < c.asics[bestIndex].jPerTh || p.asicReleaseDays[bestIndex] > s.day) bestIndex = i;
      latestDay = Math.max(latestDay, released);
    }
  }
  const best = c.asics[bestIndex];
  const yearsSince = Math.max(0, (s.day - latestDay) / DAYS_PER_YEAR);
  return {
    jPerTh: best.jPerTh * (1 - c.frontier.improvementPerYear) ** yearsSince,
    kgPerTh: best.kgPerUnit / best.thsPerUnit,
    // The catalogue model's list price (2026 level) moves with the hashprice (MODEL.md 7.5).
    usdPerTh: (best.listUsdPerTh * s.hashpriceUsdPerPhDay) / s.startHashpriceUsdPerPhDay,
  };
}

/** Machines in transit arrive; AI conversions that finish need nothing more than their date. */
export function arrivals(p: Params, s: State): void {
  const N = s.opStatus.length;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== TRANSIT || s.opArriveEpoch[o] > s.epoch) continue;
    s.opStatus[o] = MINING;
    s.opRegion[o] = s.opDest[o];
    s.opSiteMw[o] = s.opDestSiteMw[o];
    s.opContract[o] = 1;
    s.opNegativeEpochs[o] = 0;
  }
}

/** Units retire at the end of their life or after a long spell shut in. */
export function retire(p: Params, s: State): void {
  const c = p.config;
  const lifeDays = c.fleet.lifespanYears * DAYS_PER_YEAR;
  const n = s.coThs.length;
  for (let slot = 0; slot < n; slot++) {
    if (s.coThs[slot] <= 0) continue;
    if (s.day - s.coBirthDay[slot] > lifeDays || s.coIdleEpochs[slot] > c.fleet.retireAfterIdleEpochs) {
      s.retiredThs += s.coThs[slot];
      s.coThs[slot] = 0;
      s.coIdleEpochs[slot] = 0;
      s.coRunning[slot] = 0;
    }
  }
}

/** Adds machines to an operator: an empty slot, or merged into the slot closest in efficiency. */
export function addCohort(p: Params, s: State, o: number, ths: number, jPerTh: number, kgPerTh: number, birthDay: number, readyEpoch: number): void {
  const K = p.cohortSlots;
  let target = -1;
  let closest = -1;
  let gap = Infinity;
  for (let k = 0; k < K; k++) {
    const slot = o * K + k;
    if (s.coThs[slot] <= 0) {
      if (target < 0) target = slot;
    } else if (Math.abs(s.coJth[slot] - jPerTh) < gap) {
      gap = Math.abs(s.coJth[slot] - jPerTh);
      closest = slot;
    }
  }
  if (target >= 0) {
    s.coThs[target] = ths;
    s.coJth[target] = jPerTh;
    s.coKgPerTh[target] = kgPerTh;
    s.coBirthDay[target] = birthDay;
    s.coReadyEpoch[target] = readyEpoch;
    s.coIdleEpochs[target] = 0;
    return;
  }
  // Merging keeps total hashrate and power draw (hashrate-weighted efficiency).
  const t = s.coThs[closest] + ths;
  s.coJth[closest] = (s.coJth[closest] * s.coThs[closest] + jPerTh * ths) / t;
  s.coKgPerTh[closest] = (s.coKgPerTh[closest] * s.coThs[closest] + kgPerTh * ths) / t;
  s.coBirthDay[closest] = (s.coBirthDay[closest] * s.coThs[closest] + birthDay * ths) / t;
  s.coReadyEpoch[closest] = Math.max(s.coReadyEpoch[closest], readyEpoch);
  s.coThs[closest] = t;
}

/**
 * Solvent operators with a positive margin buy machines when they pay back within the limit:
 * first to fill their site (cash above a reserve, then borrowing up to a leverage limit of
 * years of margin), then, with a fraction of
 * the cash left, to grow the site where the region has room. Each buys from whatever pays back
 * soonest: used lots or the frontier model. Buyers act in an order drawn from the stream.
 */
export function renew(p: Params, s: State, hpFactor: number, rng: Stream, order: Int32Array): void {
  const c = p.config;
  // A region's mining load grows at most at its build-out pace (interconnection and construction).
  const years = s.lastEpochDays / DAYS_PER_YEAR;
  for (let r = 0; r < s.regionGrowthRoomMw.length; r++) {
    s.regionGrowthRoomMw[r] = Math.max(s.regionUsedMw[r], c.renewal.regionGrowthFloorMw) * c.renewal.regionGrowthPerYear * years;
  }
  const N = s.opStatus.length;
  const best = frontier(p, s);
  const buildUsdPerMw = (c.relocation.buildOutUsdPerMw[0] + c.relocation.buildOutUsdPerMw[1]) / 2;
  for (let o = 0; o < N; o++) order[o] = o;
  rng.shuffle(order, N);
  const lots = new Int32Array(LOT_SLOTS);
  let activeLots = 0;
  for (let l = 0; l < LOT_SLOTS; l++) if (s.lotThs[l] > 0) lots[activeLots++] = l;
  for (let j = 0; j < N; j++) {
    const o = order[j];
    if (s.opStatus[o] !== MINING) continue;
    const r = s.opRegion[o];
    if (s.regionBanned[r]) continue;
    const usdPerKwh = operatorUsdPerKwh(s, o);
    const pue = operatorPue(p, s, o);
    let usedMw = fleetMw(p, s, o, pue);
    // Operators losing money do not buy; an entrant with an empty site does.
    if (s.opMarginUsdPerDay[o] <= 0 && usedMw > 0) continue;
    let cashFree = Math.max(0, s.opCashUsd[o] - c.renewal.cashReserveDays * s.opMarginUsdPerDay[o]);
    let credit = Math.max(0, c.renewal.maxDebtYearsOfMargin * s.opMarginUsdPerDay[o] * DAYS_PER_YEAR - s.opDebtUsd[o]);
    if (cashFree + credit <= 0) continue;
    const hosted = s.opHostedUsdPerKwh[o] > 0;
    const duty = 1 + c.regions[r].importDuty;
    const hp = s.opExpHashprice[o] * hpFactor;
    const readyEpoch = s.epoch + rng.integer(...c.renewal.deliveryEpochs);
    let expanding = false;
    for (let pass = 0; pass <= LOT_SLOTS && cashFree + credit > 0; pass++) {
      let lot = -1;
      let bestPayback = paybackYears(hp, best.jPerTh, pue, usdPerKwh, best.usdPerTh * duty);
      for (let a = 0; a < activeLots; a++) {
        const l = lots[a];
        if (s.lotThs[l] <= 0) continue;
        const pb = paybackYears(hp, s.lotJth[l], pue, usdPerKwh, s.lotUsdPerTh[l] * duty);
        if (pb < bestPayback) {
          bestPayback = pb;
          lot = l;
        }
      }
      if (!(bestPayback <= c.renewal.maxPaybackYears)) break;
      const jth = lot >= 0 ? s.lotJth[lot] : best.jPerTh;
      const mwPerTh = megawatts(1, jth, pue);
      const priceUsdPerTh = (lot >= 0 ? s.lotUsdPerTh[lot] : best.usdPerTh) * duty;
      const available = lot >= 0 ? s.lotThs[lot] : Infinity;
      const freeSiteMw = s.opSiteMw[o] - usedMw;
      let ths = 0;
      if (!expanding && freeSiteMw > 1e-9) {
        // Fill the site: cash first, then debt.
        ths = Math.min(available, freeSiteMw / mwPerTh, (cashFree + credit) / priceUsdPerTh);
        const cost = ths * priceUsdPerTh;
        const fromCash = Math.min(cost, cashFree);
        s.opCashUsd[o] -= fromCash;
        s.opDebtUsd[o] += cost - fromCash;
        cashFree -= fromCash;
        credit -= cost - fromCash;
      } else {
        // Grow the site: machines and build-out (none when hosted), paying back within the limit,
        // from a fraction of the cash and credit left.
        expanding = true;
        const roomMw = s.regionOpen[r] ? Math.min(s.regionCapMw[r] - s.regionUsedMw[r], s.regionGrowthRoomMw[r]) : 0;
        if (roomMw <= 0) break;
        const perTh = priceUsdPerTh + (hosted ? 0 : mwPerTh * buildUsdPerMw);
        if (!(paybackYears(hp, jth, pue, usdPerKwh, perTh) <= c.renewal.maxPaybackYears)) break;
        ths = Math.min(available, roomMw / mwPerTh, (c.renewal.reinvestFraction * (cashFree + credit)) / perTh);
        const cost = ths * perTh;
        const fromCash = Math.min(cost, cashFree);
        s.opCashUsd[o] -= fromCash;
        s.opDebtUsd[o] += cost - fromCash;
        cashFree = 0;
        credit = 0;
        s.opSiteMw[o] += ths * mwPerTh;
        s.regionUsedMw[r] += ths * mwPerTh;
        s.regionGrowthRoomMw[r] -= ths * mwPerTh;
      }
      if (!(ths > 0)) break;
      if (lot >= 0) {
        addCohort(p, s, o, ths, jth, s.lotKgPerTh[lot], s.lotBirthDay[lot], readyEpoch);
        s.lotThs[lot] -= ths;
        if (s.lotThs[lot] < 1e-9) s.lotThs[lot] = 0;
        s.boughtUsedThs += ths;
      } else {
        addCohort(p, s, o, ths, jth, best.kgPerTh, s.day, readyEpoch);
        s.boughtNewThs += ths;
      }
      usedMw += ths * mwPerTh;
    }
  }
}

/**
 * Entry: the site an exited operator left is taken over by a new operator, at a yearly rate, when
 * new machines plus the site would pay back within the entry limit at the regional power price.
 * The entrant raises the capital to fill the site and is then one more operator like the others.
 */
export function enter(p: Params, s: State, days: number, rng: Stream): void {
  const c = p.config;
  const N = s.opStatus.length;
  const best = frontier(p, s);
  const chance = 1 - Math.exp((-c.entry.sitesPerYear * days) / DAYS_PER_YEAR);
  const reserveDays = c.renewal.cashReserveDays;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== EXITED || s.opExitSiteMw[o] <= 0) continue;
    const r = s.opRegion[o];
    // The exited site already counts under the region's cap and holds its allocation, so a region
    // closed to new allocations still lets an entrant take it over; a banned region does not.
    if (s.regionBanned[r]) continue;
    const pue = c.regions[r].pue;
    const usdPerKwh = regionPowerUsdPerKwh(s, r);
    const usdPerTh = best.usdPerTh * (1 + c.regions[r].importDuty);
    const payback = paybackYears(s.hashpriceUsdPerPhDay, best.jPerTh, pue, usdPerKwh, usdPerTh);
    if (!(payback <= c.entry.maxPaybackYears) || !rng.chance(chance)) continue;
    const ths = s.opExitSiteMw[o] / megawatts(1, best.jPerTh, pue);
    const marginPerDay = marginPerThDay(s.hashpriceUsdPerPhDay, best.jPerTh, pue, usdPerKwh) * ths;
    s.opStatus[o] = MINING;
    s.opSiteMw[o] = s.opExitSiteMw[o];
    s.opExitSiteMw[o] = 0;
    // The entrant negotiates its own power contract, log-normal around the regional price like the
    // initial operators' (MODEL.md 5), so entrants do not all share one cost.
    s.opContract[o] = Math.exp(c.operators.contractMultiplierSigmaLog * rng.normal());
    s.opHostedUsdPerKwh[o] = 0;
    s.opCashUsd[o] = ths * usdPerTh + reserveDays * marginPerDay;
    s.opDebtUsd[o] = 0;
    s.opNegativeEpochs[o] = 0;
    s.opExpHashprice[o] = s.hashpriceUsdPerPhDay;
    s.opOfferLease[o] = 0;
    s.opNextReview[o] = s.epoch + s.opReviewEpochs[o];
    s.entries += 1;
  }
}

/** Years for a machine bought at `usdPerTh` to repay itself at the expected margin (Infinity if none). */
function paybackYears(hashprice: number, jPerTh: number, pue: number, usdPerKwh: number, usdPerTh: number): number {
  const marginPerYear = marginPerThDay(hashprice, jPerTh, pue, usdPerKwh) * DAYS_PER_YEAR;
  return marginPerYear > 0 ? usdPerTh / marginPerYear : Infinity;
}
