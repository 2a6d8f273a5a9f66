// The secondary ASIC market (MODEL.md 7.5): a cohort resells at a fraction of the present value
// of its remaining margin for a buyer with cheap power, less a fire-sale discount that grows
// with the share of network hashrate sold in the same epoch.
import type { Params } from './params.ts';
import type { State } from './state.ts';
import { LOT_SLOTS } from './state.ts';
import { annuity, kwhPerThDay } from './economics.ts';
import { DAYS_PER_YEAR } from './time.ts';

/**
 * Resale value of one TH/s of a machine of `jPerTh` made on `birthDay`, before any fire-sale
 * discount, USD: a fraction of the present value of its margin for a buyer with cheap power, net of
 * the buyer's site overhead, over its remaining life (at most the valuation horizon).
 * `aheadDays` values the machine that many days from now (a seller's terminal value).
 */
export function resaleUsdPerTh(p: Params, s: State, jPerTh: number, birthDay: number, aheadDays = 0): number {
  return resaleFromMargin(p, s, resaleMarginPerYear(p, s, jPerTh), birthDay, aheadDays);
}

/** A buyer's yearly margin per TH/s on a machine of `jPerTh` (the first half of resaleUsdPerTh). */
function resaleMarginPerYear(p: Params, s: State, jPerTh: number): number {
  const c = p.config;
  const m = c.secondary;
  const power = kwhPerThDay(jPerTh) * m.buyerPue * m.buyerPowerUsdPerKwh;
  const overhead = ((jPerTh * m.buyerPue) / 1e6) * (c.operators.overheadUsdPerMwYear / DAYS_PER_YEAR);
  // Buyers value the machine on the expected hashprice over their valuation horizon, halvings
  // included (expectations.ts; set once per epoch).
  const hashprice = s.expHashpriceResale;
  return Math.max(0, hashprice / 1000 - power - overhead) * DAYS_PER_YEAR;
}

/** Resale value per TH/s from the buyer's yearly margin, over the machine's life left `aheadDays` from now (the second half of resaleUsdPerTh). */
function resaleFromMargin(p: Params, s: State, marginPerYear: number, birthDay: number, aheadDays: number): number {
  const c = p.config;
  const m = c.secondary;
  const lifeLeftYears = c.fleet.lifespanYears - (s.day + aheadDays - birthDay) / DAYS_PER_YEAR;
  // A machine with the whole valuation horizon left (most of the fleet) has the annuity computed once.
  const annuityYears = lifeLeftYears >= m.valuationYears ? p.resaleFullAnnuityYears : annuity(m.buyerDiscountRatePerYear, Math.max(0, lifeLeftYears));
  return m.resaleFraction * marginPerYear * annuityYears;
}

/** Resale value of an operator's whole fleet at a given discount (optionally `aheadDays` from now), USD. */
export function fleetResaleUsd(p: Params, s: State, o: number, discount: number, aheadDays = 0): number {
  const K = p.cohortSlots;
  let v = 0;
  for (let k = 0; k < K; k++) {
    const slot = o * K + k;
    if (s.coThs[slot] > 0) v += s.coThs[slot] * resaleUsdPerTh(p, s, s.coJth[slot], s.coBirthDay[slot], aheadDays);
  }
  return v * (1 - discount);
}

/**
 * fleetResaleUsd(p, s, o, 0) and fleetResaleUsd(p, s, o, 0, aheadDays) in one pass over the
 * fleet (the buyer's margin on each cohort is the same at both dates), into out[0] and out[1].
 */
export function fleetResaleNowAndAheadUsd(p: Params, s: State, o: number, aheadDays: number, out: Float64Array): void {
  const K = p.cohortSlots;
  const coThs = s.coThs;
  const coBirthDay = s.coBirthDay;
  let now = 0;
  let ahead = 0;
  for (let k = 0; k < K; k++) {
    const slot = o * K + k;
    const ths = coThs[slot];
    if (ths > 0) {
      const marginPerYear = resaleMarginPerYear(p, s, s.coJth[slot]);
      now += ths * resaleFromMargin(p, s, marginPerYear, coBirthDay[slot], 0);
      ahead += ths * resaleFromMargin(p, s, marginPerYear, coBirthDay[slot], aheadDays);
    }
  }
  // (fleetResaleUsd's final factor 1 - discount is 1 here, which changes nothing.)
  out[0] = now;
  out[1] = ahead;
}

/** Puts an operator's whole fleet up for sale this epoch; it is paid when the epoch's prices are set. */
export function listFleet(p: Params, s: State, o: number): number {
  const K = p.cohortSlots;
  let ths = 0;
  for (let k = 0; k < K; k++) {
    const slot = o * K + k;
    if (s.coThs[slot] <= 0) continue;
    ths += pushListing(s, o, slot, s.coThs[slot]);
  }
  s.soldThs += ths;
  return ths;
}

/**
 * Puts `ths` of cohort `slot` (operator o's) up for sale (all of it when `ths` is the cohort's
 * hashrate); the seller is paid when the prices are next set. Returns the TH/s listed.
 */
export function listCohort(s: State, o: number, slot: number, ths: number): number {
  s.soldThs += ths;
  return pushListing(s, o, slot, ths);
}

/** Adds a listing of `ths` of cohort `slot` and takes it out of the cohort (listFleet, listCohort). */
function pushListing(s: State, o: number, slot: number, ths: number): number {
  const j = s.listCount++;
  s.listSeller[j] = o;
  s.listThs[j] = ths;
  s.listJth[j] = s.coJth[slot];
  s.listKgPerTh[j] = s.coKgPerTh[slot];
  s.listBirthDay[j] = s.coBirthDay[slot];
  s.listReadyEpoch[j] = s.coReadyEpoch[slot];
  const left = s.coThs[slot] - ths;
  if (left > 1e-9 * s.coThs[slot]) {
    s.coThs[slot] = left;
  } else {
    s.coThs[slot] = 0;
    s.coRunning[slot] = 0;
  }
  return ths;
}

/**
 * Settles the epoch's listings: the fire-sale discount from the volume sold, sellers paid, and
 * the machines pooled into lots (one per efficiency) that buyers may take for a few epochs.
 */
export function settleListings(p: Params, s: State, networkThs: number): void {
  const m = p.config.secondary;
  const share = networkThs > 0 ? s.soldThs / networkThs : 0;
  s.saleDiscount = Math.min(m.maxDiscount, m.fireSaleSlope * share);
  for (let j = 0; j < s.listCount; j++) {
    const usdPerTh = resaleUsdPerTh(p, s, s.listJth[j], s.listBirthDay[j]) * (1 - s.saleDiscount);
    s.opCashUsd[s.listSeller[j]] += usdPerTh * s.listThs[j];
    addToLot(s, s.listThs[j], s.listJth[j], s.listKgPerTh[j], s.listBirthDay[j], usdPerTh, s.listReadyEpoch[j]);
  }
  s.listCount = 0;
}

/**
 * Width of a lot's efficiency class: machines listed in one epoch whose J/TH lie within the same
 * 2% step (of the log scale) pool into one lot. Without classes every cohort made its own lot
 * (merged cohorts have J/TH of their own), an epoch of upgrades listed more lots than the market
 * holds (364 in one baseline epoch), and lots of that epoch overwrote each other.
 */
export const LOT_CLASS_LOG = Math.log(1.02);

/**
 * Pools machines into a lot: with this epoch's lot of the same efficiency class and readiness (both
 * delivered, or ordered machines due the same epoch: machines sold before delivery still hash only
 * from their ready epoch), keeping its power draw (hashrate-weighted J/TH), or in a lot of their
 * own: a free slot (searched from the one after the last slot taken), else the oldest lot's.
 */
function addToLot(s: State, ths: number, jPerTh: number, kgPerTh: number, birthDay: number, usdPerTh: number, readyEpoch: number): void {
  const ready = Math.max(readyEpoch, s.epoch);
  const cls = Math.round(Math.log(jPerTh) / LOT_CLASS_LOG);
  if (s.lotsListedEpoch !== s.epoch) {
    s.lotsListedEpoch = s.epoch;
    s.lotsByClass.clear();
  }
  // This epoch's lots of this class, in the order they were made.
  const same = s.lotsByClass.get(cls);
  if (same !== undefined) for (let i = 0; i < same.length; i++) {
    const l = same[i];
    if (s.lotThs[l] > 0 && s.lotListedEpoch[l] === s.epoch && s.lotClass[l] === cls && s.lotReadyEpoch[l] === ready) {
      const t = s.lotThs[l] + ths;
      s.lotJth[l] = (s.lotJth[l] * s.lotThs[l] + jPerTh * ths) / t;
      s.lotBirthDay[l] = (s.lotBirthDay[l] * s.lotThs[l] + birthDay * ths) / t;
      s.lotUsdPerTh[l] = (s.lotUsdPerTh[l] * s.lotThs[l] + usdPerTh * ths) / t;
      s.lotKgPerTh[l] = (s.lotKgPerTh[l] * s.lotThs[l] + kgPerTh * ths) / t;
      s.lotThs[l] = t;
      return;
    }
  }
  let l = -1;
  for (let i = 0; i < LOT_SLOTS; i++) {
    const c = (s.lotCursor + i) % LOT_SLOTS;
    if (!(s.lotThs[c] > 0)) {
      l = c;
      break;
    }
  }
  if (l < 0) {
    l = 0;
    for (let c = 1; c < LOT_SLOTS; c++) if (s.lotListedEpoch[c] < s.lotListedEpoch[l]) l = c;
  }
  s.lotCursor = (l + 1) % LOT_SLOTS;
  s.lotThs[l] = ths;
  s.lotJth[l] = jPerTh;
  s.lotClass[l] = cls;
  s.lotKgPerTh[l] = kgPerTh;
  s.lotBirthDay[l] = birthDay;
  s.lotUsdPerTh[l] = usdPerTh;
  s.lotListedEpoch[l] = s.epoch;
  s.lotReadyEpoch[l] = ready;
  if (same === undefined) s.lotsByClass.set(cls, [l]);
  else same.push(l);
}

/** Lots unsold for too long leave the network (exported or scrapped). */
export function expireLots(p: Params, s: State): void {
  for (let l = 0; l < LOT_SLOTS; l++) {
    if (s.lotThs[l] > 0 && s.epoch - s.lotListedEpoch[l] >= p.config.secondary.unsoldScrapEpochs) s.lotThs[l] = 0;
  }
}
