// Transitions and fleet renewal (MODEL.md 3.5-3.6 and 7.5): machines in transit arrive, units retire
// at end of life or after a long idle spell, and solvent, profitable operators buy machines, used
// lots from the secondary market when they pay back sooner than the current best new model.
import type { Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { EXITED, LOT_SLOTS, MINING, TRANSIT, operatorBanned, regionPowerUsdPerKwh } from './state.ts';
import { kwhPerThDay, marginPerThDay, megawatts } from './economics.ts';
import { fleetMw } from './fleet.ts';
import { operatorPue, operatorUsdPerKwh } from './operations.ts';
import { DAYS_PER_YEAR } from './time.ts';
import { LOT_CLASS_LOG, listCohort, resaleUsdPerTh } from './secondary.ts';

export interface Frontier {
  jPerTh: number;
  kgPerTh: number;
  usdPerTh: number;
}

/** The catalogue index of the most efficient model released by today (the frontier's model). */
function frontierModel(p: Params, s: State): number {
  const c = p.config;
  let bestIndex = 0;
  for (let i = 0; i < c.asics.length; i++) {
    if (p.asicReleaseDays[i] <= s.day && (c.asics[i].jPerTh < c.asics[bestIndex].jPerTh || p.asicReleaseDays[bestIndex] > s.day)) bestIndex = i;
  }
  return bestIndex;
}

/**
 * Catalogue model i new, per TH: its list price (at the start) moves with the hashprice buyers
 * expect over the payback horizon (MODEL.md 7.5): machines are priced on what they will earn, so a
 * halving, known in advance, is in the price before it happens and does not halve it on the day.
 * A model's list price also falls as it ages (newer models, competition between makers):
 * frontier.priceDeclinePerYear from its release, or from the start for a model released before.
 */
function newUsdPerTh(p: Params, s: State, i: number): number {
  const c = p.config;
  return ((c.asics[i].listUsdPerTh * s.expHashpriceRenewal) / s.startHashpriceUsdPerPhDay) * (1 - c.frontier.priceDeclinePerYear) ** Math.max(0, (s.day - Math.max(0, p.asicReleaseDays[i])) / DAYS_PER_YEAR);
}

/**
 * The best new machine on sale: the most efficient model released by today, improving at the
 * configured yearly rate after the catalogue's latest release; priced per TH in proportion to hashprice.
 */
export function frontier(p: Params, s: State): Frontier {
  const out = { jPerTh: 0, kgPerTh: 0, usdPerTh: 0 };
  frontierInto(p, s, frontierModel(p, s), out);
  return out;
}

/** Writes frontier() into `out` from the frontier's catalogue model (frontierModel). */
function frontierInto(p: Params, s: State, bestIndex: number, out: Frontier): void {
  const c = p.config;
  let latestDay = -Infinity;
  for (let i = 0; i < c.asics.length; i++) if (p.asicReleaseDays[i] <= s.day) latestDay = Math.max(latestDay, p.asicReleaseDays[i]);
  const best = c.asics[bestIndex];
  const yearsSince = Math.max(0, (s.day - latestDay) / DAYS_PER_YEAR);
  out.jPerTh = best.jPerTh * (1 - c.frontier.improvementPerYear) ** yearsSince;
  out.kgPerTh = best.kgPerUnit / best.thsPerUnit;
  out.usdPerTh = newUsdPerTh(p, s, bestIndex);
}

/**
 * The new machines on sale today, into `out` (at least as long as the catalogue); returns how many.
 * The frontier comes first; then, in catalogue order, every other model released in the last
 * frontier.onSaleYears (manufacturers go on making and selling a model for a while after a better
 * one comes out, at a lower price per TH). Buyers take the one that pays best for them: a newer
 * model is not always worth its price (MODEL.md 7.5).
 */
export function machinesOnSale(p: Params, s: State, out: Frontier[]): number {
  const c = p.config;
  const bestIndex = frontierModel(p, s);
  frontierInto(p, s, bestIndex, out[0]);
  let n = 1;
  const window = (c.frontier.onSaleYears ?? 0) * DAYS_PER_YEAR;
  for (let i = 0; i < c.asics.length; i++) {
    const released = p.asicReleaseDays[i];
    if (i === bestIndex || released > s.day || !(s.day - released < window)) continue;
    const m = c.asics[i];
    out[n].jPerTh = m.jPerTh;
    out[n].kgPerTh = m.kgPerUnit / m.thsPerUnit;
    out[n].usdPerTh = newUsdPerTh(p, s, i);
    n++;
  }
  return n;
}

/** A buffer for machinesOnSale: one entry per catalogue model. */
export function createSaleBuffer(p: Params): Frontier[] {
  return Array.from({ length: Math.max(1, p.config.asics.length) }, () => ({ jPerTh: 0, kgPerTh: 0, usdPerTh: 0 }));
}

/**
 * Epochs a new machine ordered now waits before it ships: manufacturers deliver the orders placed
 * before the start (fleet.backlog) first, so an order placed while that backlog is still being
 * delivered ships after its last window ends (used machines are not waited for).
 */
export function orderWaitEpochs(p: Params, s: State): number {
  const wait = p.orderBookFullUntilDay - s.day;
  return wait > 0 ? Math.ceil(wait / p.nominalEpochDays) : 0;
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
  const idleEpochs = c.fleet.retireAfterIdleEpochs;
  const K = p.cohortSlots;
  const N = s.opStatus.length;
  const day = s.day;
  const coThs = s.coThs;
  const coBirthDay = s.coBirthDay;
  const coIdleEpochs = s.coIdleEpochs;
  let retired = s.retiredThs;
  for (let o = 0; o < N; o++) {
    // An exited operator has no machines (see EXITED in state.ts).
    if (s.opStatus[o] === EXITED) continue;
    for (let slot = o * K; slot < (o + 1) * K; slot++) {
      if (coThs[slot] <= 0) continue;
      if (day - coBirthDay[slot] > lifeDays || coIdleEpochs[slot] > idleEpochs) {
        retired += coThs[slot];
        coThs[slot] = 0;
        coIdleEpochs[slot] = 0;
        s.coRunning[slot] = 0;
      }
    }
  }
  s.retiredThs = retired;
}

/**
 * Adds machines to an operator, in an empty slot. When every slot is taken, they join a cohort on
 * its way due the same epoch, or else a slot is freed by merging two cohorts without letting any
 * machine hash before it is delivered: the two closest in
 * efficiency among those already hashing, or else the two on their way whose ready epochs are
 * closest (the merged cohort hashes from the later one). Merging new machines into a running cohort
 * let them hash before they were built and delivered (about a fifth of the machines added in the
 * growth episode did).
 */
export function addCohort(p: Params, s: State, o: number, ths: number, jPerTh: number, kgPerTh: number, birthDay: number, readyEpoch: number): void {
  const K = p.cohortSlots;
  const base = o * K;
  const coThs = s.coThs;
  let target = -1;
  for (let k = 0; k < K; k++) {
    if (coThs[base + k] <= 0) {
      target = base + k;
      break;
    }
  }
  if (target < 0) {
    // Machines due the same epoch as a cohort on its way join it (nothing hashes earlier): none
    // when they are due no later than now.
    const coReadyEpoch = s.coReadyEpoch;
    for (let k = 0; k < K && readyEpoch > s.epoch; k++) {
      if (coReadyEpoch[base + k] === readyEpoch) {
        mergeInto(s, base + k, ths, jPerTh, kgPerTh, birthDay, readyEpoch);
        return;
      }
    }
    target = freeSlot(s, base, K);
  }
  s.coThs[target] = ths;
  s.coJth[target] = jPerTh;
  s.coKgPerTh[target] = kgPerTh;
  s.coBirthDay[target] = birthDay;
  s.coReadyEpoch[target] = readyEpoch;
  s.coIdleEpochs[target] = 0;
  s.coRunning[target] = 0;
}

/** Ratios of two J/TH surely outside and surely inside one efficiency class (far from its edge). */
const CLASS_RATIO_OUT = Math.exp(1.5 * LOT_CLASS_LOG);
const CLASS_RATIO_IN = Math.exp(0.5 * LOT_CLASS_LOG);

/**
 * Whether two J/TH (both positive) are of one efficiency class: |ln x - ln y| <= LOT_CLASS_LOG.
 * The logarithms are taken only near the class's edge; elsewhere the ratio settles it.
 */
export function oneClass(x: number, y: number): boolean {
  const r = x > y ? x / y : y / x;
  if (r > CLASS_RATIO_OUT) return false;
  if (r < CLASS_RATIO_IN) return true;
  return Math.abs(Math.log(x) - Math.log(y)) <= LOT_CLASS_LOG;
}

/**
 * Frees one of the K full cohort slots from `base` by merging two (addCohort); returns it. A merged
 * cohort has one efficiency (the power draw kept) and hashes from the later of the two ready epochs
 * (no machine hashes before it is delivered). In order:
 * 1. the two delivered cohorts closest in J/TH, when they are of one efficiency class (within the
 *    lots' 2% step, LOT_CLASS_LOG): their shut-in decisions were the same;
 * 2. else two cohorts on their way of one class, the earlier no larger than the later (a larger
 *    order never waits for a smaller one), the pair that delays the fewest TH/s-epochs;
 * 3. else the two delivered cohorts closest in J/TH, of different classes;
 * 4. else (at most one is delivered) the two on their way with the closest ready epochs.
 * Before step 2, an operator that ordered a few TH/s for its site's growth every epoch, each order
 * due a different epoch behind the manufacturers' backlog, filled its slots with them and merged its
 * delivered generations into one cohort: in the halving-2024 episode the machines at 29 J/TH or more
 * fell from 359 to 174 EH/s before the halving (4 replicates), averaged with the new S21s into
 * cohorts that ran on the mean's margin (docs/MODEL.md 7.5).
 */
function freeSlot(s: State, base: number, K: number): number {
  const epoch = s.epoch;
  const coJth = s.coJth;
  const coThs = s.coThs;
  const coReadyEpoch = s.coReadyEpoch;
  // The slots delivered and on their way, each list in slot order (the scans below visit the pairs
  // in the order of a double loop over the slots, which settles ties).
  const delivered = s.slotDelivered;
  const onWay = s.slotOnWay;
  let nd = 0;
  let nw = 0;
  for (let i = base; i < base + K; i++) {
    if (coReadyEpoch[i] > epoch) onWay[nw++] = i;
    else delivered[nd++] = i;
  }
  let a = -1;
  let b = -1;
  // Steps 1 and 3: the two delivered cohorts closest in J/TH.
  let gap = Infinity;
  for (let x = 0; x < nd; x++) {
    const i = delivered[x];
    const ji = coJth[i];
    for (let y = x + 1; y < nd; y++) {
      const j = delivered[y];
      const d = Math.abs(ji - coJth[j]);
      if (d < gap) {
        gap = d;
        a = i;
        b = j;
      }
    }
  }
  if (nw >= 2 && (a < 0 || !oneClass(coJth[a], coJth[b]))) {
    // Step 2: two cohorts on their way of one class, the earlier no larger than the later, the
    // fewest TH/s-epochs delayed.
    let delayed = Infinity;
    for (let x = 0; x < nw; x++) {
      const i = onWay[x];
      const ri = coReadyEpoch[i];
      const ji = coJth[i];
      for (let y = x + 1; y < nw; y++) {
        const j = onWay[y];
        if (!oneClass(ji, coJth[j])) continue;
        const rj = coReadyEpoch[j];
        const early = ri <= rj ? i : j;
        const late = early === i ? j : i;
        if (ri !== rj && coThs[early] > coThs[late]) continue;
        const cost = coThs[early] * Math.abs(rj - ri);
        if (cost < delayed) {
          delayed = cost;
          a = i;
          b = j;
        }
      }
    }
  }
  if (a < 0) {
    // Step 4, at most one cohort hashes (K >= 8): the others are on their way.
    for (let x = 0; x < nw; x++) {
      const ri = coReadyEpoch[onWay[x]];
      for (let y = x + 1; y < nw; y++) {
        const d = Math.abs(ri - coReadyEpoch[onWay[y]]);
        if (d < gap) {
          gap = d;
          a = onWay[x];
          b = onWay[y];
        }
      }
    }
  }
  if (a < 0) throw new Error(`addCohort: no two of operator ${base / K}'s ${K} cohorts can merge`);
  const ready = Math.max(s.coReadyEpoch[a], s.coReadyEpoch[b]);
  mergeInto(s, a, s.coThs[b], s.coJth[b], s.coKgPerTh[b], s.coBirthDay[b], s.coReadyEpoch[b]);
  s.coReadyEpoch[a] = ready;
  s.coIdleEpochs[a] = Math.min(s.coIdleEpochs[a], s.coIdleEpochs[b]);
  s.coRunning[a] = s.coRunning[a] | s.coRunning[b];
  s.coThs[b] = 0;
  return b;
}

/**
 * Merges machines into cohort `slot`, keeping total hashrate and power draw (hashrate-weighted
 * efficiency, weight and age); the merged cohort hashes from the earlier of the two ready epochs
 * (the same epoch, or both past, for freeSlot's first choice; freeSlot sets the later otherwise).
 */
function mergeInto(s: State, slot: number, ths: number, jPerTh: number, kgPerTh: number, birthDay: number, readyEpoch: number): void {
  const t = s.coThs[slot] + ths;
  s.coJth[slot] = (s.coJth[slot] * s.coThs[slot] + jPerTh * ths) / t;
  s.coKgPerTh[slot] = (s.coKgPerTh[slot] * s.coThs[slot] + kgPerTh * ths) / t;
  s.coBirthDay[slot] = (s.coBirthDay[slot] * s.coThs[slot] + birthDay * ths) / t;
  s.coReadyEpoch[slot] = Math.min(s.coReadyEpoch[slot], readyEpoch);
  s.coThs[slot] = t;
}

/**
 * Solvent operators with a positive margin buy machines when they pay back within the limit:
 * first to fill their site (cash above a reserve, then borrowing up to a leverage limit of
 * years of margin), then, with a fraction of
 * the cash left, to grow the site where the region has room. Each buys from whatever pays back
 * soonest: used lots or a machine on sale new (machinesOnSale). Buyers act in an order drawn from the stream.
 */
export function renew(p: Params, s: State, rng: Stream, order: Int32Array, x: RenewScratch = createRenewScratch(p, s.opStatus.length)): void {
  const c = p.config;
  const N = s.opStatus.length;
  const sale = x.sale;
  const onSale = machinesOnSale(p, s, sale);
  const wait = orderWaitEpochs(p, s);
  for (let o = 0; o < N; o++) order[o] = o;
  rng.shuffle(order, N);
  // The lots on offer, in slot order (the scan order settles ties), with their energy per TH-day
  // and price: read once here rather than for every buyer. A lot sold out leaves the list.
  const lots = x.lots;
  const lotKwh = x.kwhPerThDay;
  const lotUsd = x.usdPerTh;
  let activeLots = 0;
  for (let l = 0; l < LOT_SLOTS; l++) {
    if (s.lotThs[l] > 0) {
      lots[activeLots] = l;
      lotKwh[activeLots] = kwhPerThDay(s.lotJth[l]);
      lotUsd[activeLots] = s.lotUsdPerTh[l];
      activeLots++;
    }
  }
  // Who may buy, and on what terms, depends only on each operator's own state, which no other
  // buyer touches: it is worked out here in index order and stored at the operator's turn in the
  // drawn order (so the loop below reads it in sequence), and is the same as working it out when
  // the operator's turn comes.
  const terms = x.terms;
  const turn = x.turn;
  const status = s.opStatus;
  const marginPerDay = s.opMarginUsdPerDay;
  const reserveDays = c.renewal.cashReserveDays;
  const debtYears = c.renewal.maxDebtYearsOfMargin;
  const expHashprice = s.expHashpriceRenewal;
  for (let j = 0; j < N; j++) turn[order[j]] = j;
  for (let o = 0; o < N; o++) {
    const t = turn[o] * TERMS;
    terms[t] = 0;
    if (status[o] !== MINING) continue;
    const r = s.opRegion[o];
    if (operatorBanned(s, o)) continue;
    // Without cash or credit nothing is bought (checked first: it needs no pass over the fleet).
    const margin = marginPerDay[o];
    const cashFree = Math.max(0, s.opCashUsd[o] - reserveDays * margin);
    const credit = Math.max(0, debtYears * margin * DAYS_PER_YEAR - s.opDebtUsd[o]);
    if (cashFree + credit <= 0) continue;
    const usdPerKwh = operatorUsdPerKwh(s, o);
    const pue = operatorPue(p, s, o);
    const usedMw = fleetMw(p, s, o, pue);
    // Operators losing money do not buy; an entrant with an empty site does.
    if (margin <= 0 && usedMw > 0) continue;
    terms[t] = r + 1;
    terms[t + 1] = usdPerKwh;
    terms[t + 2] = pue;
    terms[t + 3] = usedMw;
    terms[t + 4] = cashFree;
    terms[t + 5] = credit;
    terms[t + 6] = expHashprice;
    terms[t + 7] = s.opHostedUsdPerKwh[o] > 0 ? 1 : 0;
  }
  for (let j = 0; j < N; j++) {
    const t = j * TERMS;
    if (terms[t] === 0) continue;
    const o = order[j];
    const r = terms[t] - 1;
    const usdPerKwh = terms[t + 1];
    const pue = terms[t + 2];
    let usedMw = terms[t + 3];
    let cashFree = terms[t + 4];
    let credit = terms[t + 5];
    const hp = terms[t + 6];
    const duty = 1 + c.regions[r].importDuty;
    const readyEpoch = s.epoch + rng.integer(c.renewal.deliveryEpochs[0], c.renewal.deliveryEpochs[1]);
    const newReadyEpoch = readyEpoch + wait;
    const revenuePerTh = hp / 1000;
    // The new machine this buyer would take: of those on sale, the one that pays back soonest on its
    // power (the frontier on a tie).
    let best = sale[0];
    let newPayback = paybackYears(hp, best.jPerTh, pue, usdPerKwh, best.usdPerTh * duty);
    for (let m = 1; m < onSale; m++) {
      const pb = paybackYears(hp, sale[m].jPerTh, pue, usdPerKwh, sale[m].usdPerTh * duty);
      if (pb < newPayback) {
        newPayback = pb;
        best = sale[m];
      }
    }
    let swapped = false;
    for (let pass = 0; pass <= LOT_SLOTS && cashFree + credit > 0; pass++) {
      // A full site buys only to replace machines (upgrade, below), once an epoch and with no
      // replacement on its way (the site holds more machines than its MW until they arrive).
      let freeSiteMw = s.opSiteMw[o] - usedMw;
      if (!(freeSiteMw > 1e-9)) {
        if (swapped || freeSiteMw < -1e-9 * s.opSiteMw[o]) break;
        // The site is full: power is the scarce input, so the least efficient machines on it make
        // way for the best new model when the swap pays back within the limit (upgrade); they run
        // until the replacements arrive (makeRoom). The freed MW is then filled as below.
        swapped = true;
        const newUsdPerTh = best.usdPerTh * duty;
        const freed = upgrade(p, s, o, hp, usdPerKwh, pue, best.jPerTh, newUsdPerTh, (cashFree + credit) / newUsdPerTh);
        if (!(freed > 0)) break;
        usedMw -= freed;
        freeSiteMw += freed;
        s.opUpgrading[o] = 1;
      }
      let lot = -1;
      let lotIndex = -1;
      let bestPayback = newPayback;
      for (let a = 0; a < activeLots; a++) {
        // paybackYears(hp, lotJth, pue, usdPerKwh, lotUsdPerTh * duty), term by term.
        const marginPerYear = (revenuePerTh - lotKwh[a] * pue * usdPerKwh) * DAYS_PER_YEAR;
        const pb = marginPerYear > 0 ? (lotUsd[a] * duty) / marginPerYear : Infinity;
        if (pb < bestPayback) {
          bestPayback = pb;
          lotIndex = a;
        }
      }
      if (lotIndex >= 0) lot = lots[lotIndex];
      if (!(bestPayback <= c.renewal.maxPaybackYears)) break;
      const jth = lot >= 0 ? s.lotJth[lot] : best.jPerTh;
      const mwPerTh = megawatts(1, jth, pue);
      const priceUsdPerTh = (lot >= 0 ? s.lotUsdPerTh[lot] : best.usdPerTh) * duty;
      const available = lot >= 0 ? s.lotThs[lot] : Infinity;
      // Fill the site (new capacity is investment.ts's): cash first, then debt.
      const ths = Math.min(available, freeSiteMw / mwPerTh, (cashFree + credit) / priceUsdPerTh);
      const cost = ths * priceUsdPerTh;
      const fromCash = Math.min(cost, cashFree);
      s.opCashUsd[o] -= fromCash;
      s.opDebtUsd[o] += cost - fromCash;
      cashFree -= fromCash;
      credit -= cost - fromCash;
      if (!(ths > 0)) break;
      if (lot >= 0) {
        addCohort(p, s, o, ths, jth, s.lotKgPerTh[lot], s.lotBirthDay[lot], Math.max(readyEpoch, s.lotReadyEpoch[lot]));
        s.lotThs[lot] -= ths;
        if (s.lotThs[lot] < 1e-9) {
          s.lotThs[lot] = 0;
          activeLots = dropLot(x, lotIndex, activeLots);
        }
        s.boughtUsedThs += ths;
      } else {
        addCohort(p, s, o, ths, jth, best.kgPerTh, s.day, newReadyEpoch);
        s.boughtNewThs += ths;
      }
      usedMw += ths * mwPerTh;
    }
  }
}

/**
 * The upgrade cycle: whether machines on operator o's full site should make way for `maxThs` TH/s
 * of the machine to buy (`jPerTh`, at `usdPerTh` duty included). Its least efficient delivered cohort
 * is displaced when the swap pays back within renewal.maxPaybackYears at the expected hashprice
 * `hashprice`: per TH/s bought, the new machine's margin less the margin of the machines it
 * displaces on the same power (zero for machines that would be shut in), against its price less
 * their resale value. Returns the site MW the new machines may take (0: no swap); the displaced
 * machines run until the new ones arrive and are then sold (makeRoom).
 */
function upgrade(p: Params, s: State, o: number, hashprice: number, usdPerKwh: number, pue: number, jPerTh: number, usdPerTh: number, maxThs: number): number {
  if (!(maxThs > 0)) return 0;
  // The margin gained is at most the new machine's own: none, no swap (checked before the fleet).
  const newMargin = marginPerThDay(hashprice, jPerTh, pue, usdPerKwh);
  if (!(newMargin > 0)) return 0;
  const worst = leastEfficientDelivered(p, s, o);
  if (worst < 0 || !(s.coJth[worst] > jPerTh)) return 0;
  const oldJth = s.coJth[worst];
  // TH/s of the old machines that one TH/s of the new one displaces on the same power.
  const displaced = megawatts(1, jPerTh, pue) / megawatts(1, oldJth, pue);
  const gainPerYear = (newMargin - displaced * Math.max(0, marginPerThDay(hashprice, oldJth, pue, usdPerKwh))) * DAYS_PER_YEAR;
  if (!(gainPerYear > 0)) return 0;
  const limit = p.config.renewal.maxPaybackYears * gainPerYear;
  // The resale value (never negative) only lowers the net price: it is needed only when the new
  // machine's price alone does not pay back.
  if (!(usdPerTh <= limit)) {
    const netUsdPerTh = usdPerTh - displaced * resaleUsdPerTh(p, s, oldJth, s.coBirthDay[worst]) * (1 - s.saleDiscount);
    if (!(netUsdPerTh <= limit)) return 0;
  }
  return megawatts(Math.min(s.coThs[worst], maxThs * displaced), oldJth, pue);
}

/** Operator o's delivered cohort of the highest J/TH (-1: none). */
function leastEfficientDelivered(p: Params, s: State, o: number): number {
  const K = p.cohortSlots;
  const coThs = s.coThs;
  const coJth = s.coJth;
  const coReadyEpoch = s.coReadyEpoch;
  const epoch = s.epoch;
  let worst = -1;
  for (let slot = o * K; slot < (o + 1) * K; slot++) {
    if (coThs[slot] > 0 && coReadyEpoch[slot] <= epoch && (worst < 0 || coJth[slot] > coJth[worst])) worst = slot;
  }
  return worst;
}

/**
 * Before operations: a site holds no more delivered machines than its MW. Where replacements
 * (upgrade) have arrived, the least efficient delivered machines are put up for sale until the
 * delivered fleet fits the site again. Only operators with an upgrade under way (opUpgrading) are
 * looked at; the flag clears once nothing of theirs is on its way.
 */
export function makeRoom(p: Params, s: State): void {
  const K = p.cohortSlots;
  const N = s.opStatus.length;
  const upgrading = s.opUpgrading;
  const coThs = s.coThs;
  const coReadyEpoch = s.coReadyEpoch;
  const epoch = s.epoch;
  for (let o = 0; o < N; o++) {
    if (upgrading[o] === 0) continue;
    if (s.opStatus[o] !== MINING) {
      upgrading[o] = 0;
      continue;
    }
    let arriving = false;
    let pending = false;
    for (let slot = o * K; slot < (o + 1) * K; slot++) {
      if (!(coThs[slot] > 0)) continue;
      const ready = coReadyEpoch[slot];
      if (ready > epoch) pending = true;
      else if (ready === epoch) arriving = true;
    }
    if (!pending) upgrading[o] = 0;
    if (!arriving) continue;
    const pue = operatorPue(p, s, o);
    let delivered = 0;
    for (let slot = o * K; slot < (o + 1) * K; slot++) if (coThs[slot] > 0 && coReadyEpoch[slot] <= epoch) delivered += megawatts(coThs[slot], s.coJth[slot], pue);
    let excess = delivered - s.opSiteMw[o];
    while (excess > 1e-9 * s.opSiteMw[o]) {
      const worst = leastEfficientDelivered(p, s, o);
      if (worst < 0) break;
      const mw = megawatts(s.coThs[worst], s.coJth[worst], pue);
      const ths = mw <= excess ? s.coThs[worst] : (s.coThs[worst] * excess) / mw;
      listCohort(s, o, worst, ths);
      excess -= mw <= excess ? mw : excess;
    }
  }
}

/**
 * Values per operator in RenewScratch.terms: its region + 1 if it may buy (0 if not), then its power price, PUE,
 * fleet MW, free cash, credit, expected hashprice over the payback horizon and hosted flag (1 or 0).
 */
const TERMS = 8;

/** Reusable buffers for renew: each operator's buying terms and the lots on offer this epoch. */
export interface RenewScratch {
  turn: Int32Array; // operator o's place in the drawn order
  terms: Float64Array; // the terms of the operator at place j at j * TERMS
  lots: Int32Array; // lot slots, ascending
  kwhPerThDay: Float64Array; // per listed lot: kwhPerThDay(lotJth)
  usdPerTh: Float64Array; // per listed lot: lotUsdPerTh
  sale: Frontier[]; // the new machines on sale this epoch (machinesOnSale)
}

export function createRenewScratch(p: Params, operators: number): RenewScratch {
  return {
    sale: createSaleBuffer(p),
    turn: new Int32Array(operators),
    terms: new Float64Array(operators * TERMS),
    lots: new Int32Array(LOT_SLOTS),
    kwhPerThDay: new Float64Array(LOT_SLOTS),
    usdPerTh: new Float64Array(LOT_SLOTS),
  };
}

/** Removes entry `a` from the list of lots on offer, keeping the others in order; returns the new count. */
function dropLot(x: RenewScratch, a: number, count: number): number {
  for (let b = a + 1; b < count; b++) {
    x.lots[b - 1] = x.lots[b];
    x.kwhPerThDay[b - 1] = x.kwhPerThDay[b];
    x.usdPerTh[b - 1] = x.usdPerTh[b];
  }
  return count - 1;
}

/** Years for a machine bought at `usdPerTh` to repay itself at the expected margin (Infinity if none). */
function paybackYears(hashprice: number, jPerTh: number, pue: number, usdPerKwh: number, usdPerTh: number): number {
  const marginPerYear = marginPerThDay(hashprice, jPerTh, pue, usdPerKwh) * DAYS_PER_YEAR;
  return marginPerYear > 0 ? usdPerTh / marginPerYear : Infinity;
}
