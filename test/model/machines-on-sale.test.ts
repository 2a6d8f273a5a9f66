// New machines on sale (MODEL.md 7.5): besides the frontier, manufacturers go on selling a model for
// frontier.onSaleYears after its release, and buyers take the one that pays best for them. Before,
// every buyer took the most efficient model whatever its price: in the growth episode the release
// of the S21 Pro (September 2024, about twice the S21's price per TH) took the index of new
// capacity in the US from about +1.06 (2024-08-05) to -0.20 (2024-09-29), while the S21 was still on sale.
import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/model/init.ts';
import { createInvestScratch, invest } from '../../src/model/investment.ts';
import { createRenewScratch, frontier, machinesOnSale, createSaleBuffer, renew } from '../../src/model/renewal.ts';
import { createStreams } from '../../src/model/rng.ts';
import { MINING, type State } from '../../src/model/state.ts';
import type { ModelConfig } from '../../src/config/schema.ts';
import { paramsFrom, region } from './support.ts';

const KEY = { rootSeed: 20260401, replicate: 0, point: null };

/** The baseline with the frontier's model (S21 XP at the start) priced at ten times its list price, and Paraguay's power cheap enough that new capacity pays. */
function dearFrontier(onSaleYears: number | undefined) {
  return (m: ModelConfig) => {
    m.operators.count = 200;
    m.frontier.onSaleYears = onSaleYears;
    m.asics.find((a) => a.name === 'S21 XP')!.listUsdPerTh *= 10;
    region(m, 'py').powerPrice.meanUsdPerKwh = 0.015;
  };
}

/** J/TH of the machines on their way (ordered this epoch), hashrate-weighted, over every operator. */
function orderedJth(p: { cohortSlots: number }, s: State): number {
  let ths = 0;
  let j = 0;
  for (let k = 0; k < s.coThs.length; k++) {
    if (s.coThs[k] > 0 && s.coReadyEpoch[k] > s.epoch) {
      ths += s.coThs[k];
      j += s.coThs[k] * s.coJth[k];
    }
  }
  return j / ths;
}

describe('machines on sale', () => {
  it('lists the frontier first, then the models released within frontier.onSaleYears; without the field, the frontier alone', () => {
    const p = paramsFrom((m) => (m.frontier.onSaleYears = 2));
    const s = initialState(p, createStreams(KEY));
    const sale = createSaleBuffer(p);
    const n = machinesOnSale(p, s, sale);
    // At 2026-03-21: the S21 XP (2024-12-01) is the frontier, improved since its release; the S21 Pro
    // (2024-09-01) is within two years; the S21 (2023-12-01) and older are not; Hydro 2026 is not out.
    expect(n).toBe(2);
    expect(sale[0].jPerTh).toBe(frontier(p, s).jPerTh);
    expect(sale[0].jPerTh).toBeLessThan(13.5);
    expect(sale[1].jPerTh).toBe(15);
    const q = paramsFrom((m) => delete m.frontier.onSaleYears);
    expect(machinesOnSale(q, initialState(q, createStreams(KEY)), createSaleBuffer(q))).toBe(1);
  });

  it('new capacity is built for an older model on sale when the frontier costs too much for what it saves', () => {
    const built = (onSaleYears: number | undefined) => {
      const p = paramsFrom(dearFrontier(onSaleYears));
      const rng = createStreams(KEY);
      const s = initialState(p, rng);
      s.epoch = 1;
      invest(p, s, p.nominalEpochDays, rng.agents, createInvestScratch(p));
      return { jth: orderedJth(p, s), mw: s.regionInvestedMw[p.regionIndex.get('py')!], frontierJth: frontier(p, s).jPerTh };
    };
    const onSale = built(2);
    expect(onSale.mw).toBeGreaterThan(0);
    expect(onSale.jth).toBeCloseTo(15, 6); // the S21 Pro
    // Only the frontier on sale (the previous rule): built for the S21 XP at ten times its price, if at all.
    const frontierOnly = built(undefined);
    if (frontierOnly.mw > 0) expect(frontierOnly.jth).toBeCloseTo(frontierOnly.frontierJth, 6);
    expect(onSale.mw).toBeGreaterThan(frontierOnly.mw);
  });

  it('a buyer filling its site takes the model on sale that pays back soonest', () => {
    const bought = (onSaleYears: number | undefined) => {
      const p = paramsFrom(dearFrontier(onSaleYears));
      const rng = createStreams(KEY);
      const s = initialState(p, rng);
      s.epoch = 1;
      // Every mining operator's site gets 10% more room, and cash to fill it.
      for (let o = 0; o < s.opStatus.length; o++) {
        if (s.opStatus[o] !== MINING) continue;
        s.opSiteMw[o] *= 1.1;
        s.opCashUsd[o] += 1e9;
        s.opMarginUsdPerDay[o] = Math.max(s.opMarginUsdPerDay[o], 1);
      }
      renew(p, s, rng.agents, new Int32Array(s.opStatus.length), createRenewScratch(p, s.opStatus.length));
      return { jth: orderedJth(p, s), bought: s.boughtNewThs, frontierJth: frontier(p, s).jPerTh };
    };
    const onSale = bought(2);
    expect(onSale.bought).toBeGreaterThan(0);
    expect(onSale.jth).toBeCloseTo(15, 6);
    const frontierOnly = bought(undefined);
    if (frontierOnly.bought > 0) expect(frontierOnly.jth).toBeCloseTo(frontierOnly.frontierJth, 6);
  });
});
