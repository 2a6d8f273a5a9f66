// Machines hash only once built and delivered, and sites hold what their power allows (MODEL.md
// 7.5 and 7.5b): the cohort slots, the manufacturers' backlog and the upgrade cycle.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../../src/config/load.ts';
import { resolveParams, type Params } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import { initialState } from '../../src/model/init.ts';
import { createStreams } from '../../src/model/rng.ts';
import { addCohort, createRenewScratch, frontier, makeRoom, renew } from '../../src/model/renewal.ts';
import { megawatts } from '../../src/model/economics.ts';
import { operatorPue } from '../../src/model/operations.ts';
import { MINING, type State } from '../../src/model/state.ts';
import { listFleet, settleListings } from '../../src/model/secondary.ts';
import { createInvestScratch, invest } from '../../src/model/investment.ts';
import { makePlan } from '../../src/runner/plan.ts';
import { paramsFrom } from './support.ts';

const GROWTH = fileURLToPath(new URL('../../configs/history/growth-2022-2026.json', import.meta.url));

/** TH/s of operator o's cohorts that hash by epoch e (delivered by then). */
function readyBy(p: Params, s: State, o: number, e: number): number {
  let ths = 0;
  for (let slot = o * p.cohortSlots; slot < (o + 1) * p.cohortSlots; slot++) if (s.coThs[slot] > 0 && s.coReadyEpoch[slot] <= e) ths += s.coThs[slot];
  return ths;
}

function startState(p: Params): State {
  return initialState(p, createStreams({ rootSeed: 7, replicate: 0, point: null }));
}

describe('an order added to an operator whose cohort slots are all taken', () => {
  // Operator 0's slots are filled with cohorts of distinct efficiencies: some hashing, some on their
  // way (ready 2..12 epochs ahead). Before the fix, the new order (ready in 10 epochs) was merged
  // into the running cohort closest in efficiency and hashed at once.
  for (const [label, delivered] of [
    ['most of them hashing', 5],
    ['all but one on their way', 1],
  ] as const) {
    it(`hashes no machine earlier than its ready epoch and keeps every TH/s (${label})`, () => {
      const p = paramsFrom((m) => {
        m.operators.count = 20;
      });
      const s = startState(p);
      const K = p.cohortSlots;
      s.epoch = 40;
      for (let k = 0; k < K; k++) {
        const slot = k;
        s.coThs[slot] = 1000 + 100 * k;
        s.coJth[slot] = 15 + 2 * k;
        s.coKgPerTh[slot] = 0.1;
        s.coBirthDay[slot] = 100 + k;
        s.coReadyEpoch[slot] = k < delivered ? 10 + k : s.epoch + 2 + 2 * k;
      }
      const before: number[] = [];
      for (let e = s.epoch; e <= s.epoch + 30; e++) before.push(readyBy(p, s, 0, e));
      const total = readyBy(p, s, 0, Infinity);
      const newJth = 16; // closest to the running 15 J/TH cohort
      addCohort(p, s, 0, 500, newJth, 0.1, 800, s.epoch + 10);
      expect(readyBy(p, s, 0, Infinity)).toBeCloseTo(total + 500, 6);
      for (let e = s.epoch, i = 0; e <= s.epoch + 30; e++, i++) {
        // At each epoch no more TH/s hash than before plus the new order once it is ready.
        expect(readyBy(p, s, 0, e)).toBeLessThanOrEqual(before[i] + (e >= s.epoch + 10 ? 500 : 0) + 1e-6);
      }
      expect(readyBy(p, s, 0, s.epoch)).toBeCloseTo(before[0], 6);
    });
  }
});

describe('an operator with delivered generations and small orders on their way in every other slot', () => {
  // Departure 22 of MODEL.md: an operator orders a few TH/s for its site's growth every epoch, each
  // due a different epoch behind the backlog. With its slots full of those, the landed rule merged
  // two delivered generations (the closest in J/TH), and by the 2024 halving most of the old
  // machines were averaged into cohorts with the new ones.
  const generations = [34, 29.5, 21.5, 17.5]; // J/TH: S9-class to S19 XP-class, delivered
  function fullOperator() {
    const p = paramsFrom((m) => {
      m.operators.count = 20;
    });
    const s = startState(p);
    const K = p.cohortSlots;
    s.epoch = 8;
    for (let k = 0; k < K; k++) {
      const old = k < generations.length;
      s.coThs[k] = old ? 40_000 : 200 + 50 * k; // the slivers: 400-650 TH/s
      s.coJth[k] = old ? generations[k] : 17;
      s.coKgPerTh[k] = 0.1;
      s.coBirthDay[k] = 100 + k;
      s.coReadyEpoch[k] = old ? 0 : 12 + 2 * k; // on their way: ready epochs 20, 22, ...
      s.coRunning[k] = old ? 1 : 0;
    }
    return { p, s, K };
  }

  it('keeps its delivered generations apart and merges two orders of one model on their way', () => {
    const { p, s, K } = fullOperator();
    const total = readyBy(p, s, 0, Infinity);
    const before: number[] = [];
    for (let e = s.epoch; e <= s.epoch + 40; e++) before.push(readyBy(p, s, 0, e));
    addCohort(p, s, 0, 300, 17, 0.1, 900, s.epoch + 5);
    const delivered: number[] = [];
    for (let k = 0; k < K; k++) if (s.coThs[k] > 0 && s.coReadyEpoch[k] <= s.epoch) delivered.push(s.coJth[k]);
    expect(delivered.sort((x, y) => y - x)).toEqual(generations);
    expect(readyBy(p, s, 0, Infinity)).toBeCloseTo(total + 300, 6);
    for (let e = s.epoch, i = 0; e <= s.epoch + 40; e++, i++) {
      expect(readyBy(p, s, 0, e)).toBeLessThanOrEqual(before[i] + (e >= s.epoch + 5 ? 300 : 0) + 1e-6);
    }
  });

  it('never makes a larger order wait for a smaller one', () => {
    const { p, s, K } = fullOperator();
    // A large order due soon among the slivers: merging it into a later sliver would delay it.
    s.coThs[4] = 30_000;
    s.coReadyEpoch[4] = 10;
    addCohort(p, s, 0, 300, 17, 0.1, 900, s.epoch + 5);
    expect(readyBy(p, s, 0, 10)).toBeGreaterThanOrEqual(readyBy(p, s, 0, s.epoch) + 30_000 - 1e-6);
    let slots = 0;
    for (let k = 0; k < K; k++) if (s.coThs[k] > 0) slots++;
    expect(slots).toBe(K);
  });
});

describe("the manufacturers' backlog of the growth episode (fleet.backlog, 70 EH/s to 2022-12-31)", () => {
  it('no new machine ordered in 2022 hashes before the backlog is delivered', () => {
    const { file, experiment } = loadExperiment(GROWTH);
    const plan = makePlan(file, experiment);
    const model = structuredClone(experiment.model);
    model.operators.count = 300;
    const p = resolveParams(model, plan.pricePath, plan.feePath);
    expect(p.orderBookFullUntilDay).toBeGreaterThan(300);
    // Every machine of the start fleet and of the backlog is 29.5 J/TH or worse (S19j Pro); the
    // models released in 2022 (S19 XP, 21.5 J/TH) and the frontier can only come from new orders.
    const K = p.cohortSlots;
    let earlyNewThs = 0;
    let laterNewThs = 0;
    simulateReplicate(p, { rootSeed: experiment.seed, replicate: 0, point: null }, (_, s) => {
      let ths = 0;
      for (let slot = 0; slot < s.coThs.length; slot++) if (s.opStatus[Math.floor(slot / K)] === MINING && s.coRunning[slot] && s.coJth[slot] < 29) ths += s.coThs[slot];
      if (s.day < p.orderBookFullUntilDay) earlyNewThs += ths;
      else laterNewThs += ths;
    });
    expect(earlyNewThs).toBe(0);
    expect(laterNewThs).toBeGreaterThan(0);
  });
});

describe('the upgrade cycle', () => {
  /**
   * Operator o of a reduced baseline with its site full of one delivered cohort of `jPerTh`, ample
   * cash and a positive margin, at an expected renewal hashprice of `hashprice` $/PH/day.
   */
  function fullSite(jPerTh: number, hashprice: number): { p: Params; s: State; o: number } {
    const p = paramsFrom((m) => {
      m.operators.count = 40;
    });
    const s = startState(p);
    const K = p.cohortSlots;
    let o = 0;
    while (!(s.opStatus[o] === MINING && s.opHostedUsdPerKwh[o] === 0)) o++;
    const pue = p.config.regions[s.opRegion[o]].pue;
    for (let slot = o * K; slot < (o + 1) * K; slot++) s.coThs[slot] = 0;
    s.coThs[o * K] = s.opSiteMw[o] / megawatts(1, jPerTh, pue);
    s.coJth[o * K] = jPerTh;
    s.coKgPerTh[o * K] = 0.1;
    s.coBirthDay[o * K] = s.day - 365;
    s.coReadyEpoch[o * K] = 0;
    s.coRunning[o * K] = 1;
    s.epoch = 1;
    s.opCashUsd[o] = 1e12;
    s.opDebtUsd[o] = 0;
    s.opMarginUsdPerDay[o] = 1;
    // Only operator o may buy: the others have no cash, credit or margin.
    for (let q = 0; q < s.opStatus.length; q++) {
      if (q === o) continue;
      s.opCashUsd[q] = 0;
      s.opMarginUsdPerDay[q] = 0;
    }
    s.expHashpriceRenewal = hashprice;
    return { p, s, o };
  }

  function siteDeliveredMw(p: Params, s: State, o: number): number {
    // A hosted operator's site MW is at the host's meter (PUE 1: operatorPue).
    const pue = operatorPue(p, s, o);
    let mw = 0;
    for (let slot = o * p.cohortSlots; slot < (o + 1) * p.cohortSlots; slot++) if (s.coThs[slot] > 0 && s.coReadyEpoch[slot] <= s.epoch) mw += megawatts(s.coThs[slot], s.coJth[slot], pue);
    return mw;
  }

  it('replaces machines of 40 J/TH on a full site when new ones pay back, keeps the old running until they arrive, then sells them', () => {
    const { p, s, o } = fullSite(40, 60);
    const K = p.cohortSlots;
    const oldThs = s.coThs[o * K];
    const best = frontier(p, s);
    renew(p, s, createStreams({ rootSeed: 7, replicate: 0, point: null }).agents, new Int32Array(s.opStatus.length), createRenewScratch(p, s.opStatus.length));
    let newSlot = -1;
    for (let slot = o * K; slot < (o + 1) * K; slot++) if (s.coThs[slot] > 0 && s.coReadyEpoch[slot] > s.epoch) newSlot = slot;
    expect(newSlot).toBeGreaterThanOrEqual(0);
    expect(s.coJth[newSlot]).toBeCloseTo(best.jPerTh, 9);
    // Until the new machines arrive, the old ones stay (nothing listed, the cohort whole).
    expect(s.coThs[o * K]).toBe(oldThs);
    expect(s.listCount).toBe(0);
    s.epoch = s.coReadyEpoch[newSlot];
    makeRoom(p, s);
    expect(s.listCount).toBeGreaterThan(0);
    expect(s.listJth[0]).toBe(40);
    expect(s.coThs[o * K]).toBeLessThan(oldThs);
    expect(siteDeliveredMw(p, s, o)).toBeLessThanOrEqual(s.opSiteMw[o] * (1 + 1e-9));
    expect(siteDeliveredMw(p, s, o)).toBeGreaterThan(s.opSiteMw[o] * (1 - 1e-9));
  });

  it('keeps machines as efficient as the new ones would be worth replacing only at a loss (no swap)', () => {
    // New frontier machines are only a little better than the fleet: the margin gained does not
    // repay their price within renewal.maxPaybackYears.
    const { p, s, o } = fullSite(frontier(paramsFrom(), startState(paramsFrom())).jPerTh * 1.05, 60);
    renew(p, s, createStreams({ rootSeed: 7, replicate: 0, point: null }).agents, new Int32Array(s.opStatus.length), createRenewScratch(p, s.opStatus.length));
    let pending = 0;
    for (let slot = o * p.cohortSlots; slot < (o + 1) * p.cohortSlots; slot++) if (s.coThs[slot] > 0 && s.coReadyEpoch[slot] > s.epoch) pending += s.coThs[slot];
    expect(pending).toBe(0);
  });

  it('never leaves more delivered machines on a site than its power holds (baseline, every epoch)', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 300;
      m.horizon.endDate = '2030-01-01';
    });
    let violations = 0;
    let checked = 0;
    simulateReplicate(p, { rootSeed: 20260401, replicate: 0, point: null }, (_, s) => {
      for (let o = 0; o < s.opStatus.length; o++) {
        if (s.opStatus[o] !== MINING) continue;
        checked++;
        if (siteDeliveredMw(p, s as State, o) > s.opSiteMw[o] * (1 + 1e-6) + 1e-9) violations++;
      }
    });
    expect(checked).toBeGreaterThan(1000);
    expect(violations).toBe(0);
  });
});

describe('the used market', () => {
  it('pools the machines listed in one epoch within 2% of J/TH into one lot, keeping their hashrate and power draw', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 20;
    });
    const s = startState(p);
    s.epoch = 30;
    const K = p.cohortSlots;
    // Operator 0's cohorts 0-2: 19.9, 20.0 and 20.05 J/TH (one class: ln J / ln 1.02 is 151.03,
    // 151.28 and 151.40), cohort 3 at 25 J/TH (another).
    const cohorts = [
      [1000, 19.9],
      [2000, 20.0],
      [500, 20.05],
      [800, 25.0],
    ];
    for (let k = 0; k < K; k++) s.coThs[k] = 0;
    cohorts.forEach(([ths, j], k) => {
      s.coThs[k] = ths;
      s.coJth[k] = j;
      s.coKgPerTh[k] = 0.1;
      s.coBirthDay[k] = -100;
      s.coReadyEpoch[k] = 0;
    });
    s.lotThs.fill(0);
    listFleet(p, s, 0);
    settleListings(p, s, 1e9);
    const lots = [];
    for (let l = 0; l < s.lotThs.length; l++) if (s.lotThs[l] > 0) lots.push(l);
    expect(lots).toHaveLength(2);
    const pooled = lots.find((l) => s.lotJth[l] < 21)!;
    expect(s.lotThs[pooled]).toBeCloseTo(3500, 9);
    // Hashrate-weighted J/TH: the same power as the three cohorts.
    expect(s.lotJth[pooled] * s.lotThs[pooled]).toBeCloseTo(1000 * 19.9 + 2000 * 20.0 + 500 * 20.05, 6);
    const other = lots.find((l) => l !== pooled)!;
    expect(s.lotJth[other]).toBe(25);
    expect(s.lotThs[other]).toBe(800);
  });
});

describe('investment with a used lot on offer', () => {
  it('builds for the lot first and then for new machines, not only as much as the lot holds', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 200;
    });
    const s = startState(p);
    s.epoch = 1;
    const us = p.regionIndex.get('us')!;
    // A good expected price makes new machines pay; one small lot of nearly new machines, offered
    // at almost nothing, pays better still (the lot is the machine to build for).
    s.expLogPrice = Math.log(3 * s.priceUsd);
    const best = frontier(p, s);
    s.lotThs.fill(0);
    s.lotThs[0] = 1000; // 1,000 TH/s: about 0.01 MW
    s.lotJth[0] = best.jPerTh * 1.01;
    s.lotKgPerTh[0] = best.kgPerTh;
    s.lotBirthDay[0] = s.day;
    s.lotUsdPerTh[0] = 0.01;
    s.lotListedEpoch[0] = 1;
    s.lotReadyEpoch[0] = 1;
    const lotMw = megawatts(1000, s.lotJth[0], p.config.regions[us].pue);
    invest(p, s, 14, createStreams({ rootSeed: 7, replicate: 0, point: null }).agents, createInvestScratch(p));
    // The lot is taken, and new capacity many times its size is built besides (on the previous
    // version the region built only the lot's 0.01 MW).
    expect(s.lotThs[0]).toBe(0);
    expect(s.regionInvestedMw[us]).toBeGreaterThan(100 * lotMw);
  });
});
