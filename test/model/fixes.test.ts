// Regression tests for defects fixed in the model: each would have failed before its fix.
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import { initialState } from '../../src/model/init.ts';
import { createStreams } from '../../src/model/rng.ts';
import { advanceMarket } from '../../src/model/market.ts';
import { aiDebtServicePv, aiLeaseEnds, createDecisionScratch, valueOptions } from '../../src/model/decisions.ts';
import { fleetKg } from '../../src/model/fleet.ts';
import { fleetResaleUsd } from '../../src/model/secondary.ts';
import { frontier } from '../../src/model/renewal.ts';
import { AI, EXITED } from '../../src/model/state.ts';
import { baselineExperiment, paramsFrom, region, series } from './support.ts';

const KEY = { rootSeed: 20260401, replicate: 0, point: null };

describe('relocation costs (breakage charged once)', () => {
  it('the cash cost of a relocation is freight + import duty + build-out; breakage only removes machines', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 50;
      m.relocation.breakage = [0.03, 0.03];
      m.relocation.buildOutUsdPerMw = [0, 0];
      region(m, 'py').capacityMw = null;
      region(m, 'py').buildOutMwPerYear = 1e6;
    });
    const rng = createStreams(KEY);
    const s = initialState(p, rng);
    const x = createDecisionScratch(p, 50);
    const py = p.regionIndex.get('py')!;
    const o = 0; // a US operator (regions are filled in config order)
    expect(p.regionIds[s.opRegion[o]]).toBe('us');
    const n = valueOptions(p, s, o, false, rng.agents, x);
    const k = Array.from(x.option.subarray(0, n)).indexOf(py);
    expect(k).toBeGreaterThanOrEqual(0);
    const expected = fleetKg(p, s, o) * p.config.relocation.freightUsdPerKg + p.config.regions[py].importDuty * fleetResaleUsd(p, s, o, 0);
    expect(x.breakage[k]).toBe(0.03);
    expect(x.costUsd[k]).toBeCloseTo(expected, 6);
  });
});

describe('a replayed price path', () => {
  it('epoch 0 takes the price on the start date (last observation on or before it), not the first row', () => {
    const model = structuredClone(baselineExperiment().model);
    model.operators.count = 100;
    model.horizon.endDate = '2026-06-30';
    const path = [
      { date: '2026-01-01', priceUsd: 50_000 },
      { date: '2026-03-01', priceUsd: 65_000 },
      { date: '2026-05-01', priceUsd: 80_000 },
    ];
    const out = simulateReplicate(resolveParams(model, path), KEY);
    const price = series(out, 'btc_price_usd');
    expect(price[0]).toBe(65_000);
    // Epoch 1 starts on the start date too; later epochs follow the path by their start day.
    expect(price[1]).toBe(65_000);
    expect(price[price.length - 1]).toBe(80_000);
  });
});

describe('AI hosting', () => {
  it('the pivot value counts the debt service on the financed capex (interest and amortisation)', () => {
    const p = paramsFrom();
    const { debtInterestPerYear: i, debtAmortizationPerYear: a } = p.config.operators;
    const rho = p.config.ai.leaseDiscountRatePerYear;
    // Over a long lease, servicing 1 USD of debt costs (i + a) / (a + rho) in present value.
    expect(aiDebtServicePv(p, 1, 200)).toBeCloseTo((i + a) / (a + rho), 9);
    // Over no time it is the principal repaid at once.
    expect(aiDebtServicePv(p, 1e6, 0)).toBeCloseTo(1e6, 6);
    expect(aiDebtServicePv(p, 1e6, 12)).toBeGreaterThan(1e6);
  });

  it('a site whose lease has ended leaves AI: its IT load returns to the AI market and it exits', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 20;
    });
    const s = initialState(p, createStreams(KEY));
    s.opStatus[3] = AI;
    s.opAiMw[3] = 120;
    s.opAiEndDay[3] = 400;
    s.opStatus[4] = AI;
    s.opAiMw[4] = 80;
    s.opAiEndDay[4] = 900;
    s.aiUsedMw = 200;
    s.day = 400;
    aiLeaseEnds(p, s);
    expect([s.opStatus[3], s.opStatus[4]]).toEqual([EXITED, AI]);
    expect(s.aiUsedMw).toBe(80);
    expect(s.opExitSiteMw[3]).toBe(0);
  });
});

describe('ASIC list prices', () => {
  it('new machines are priced from the list price of the best model released by today', () => {
    const at = (listUsdPerTh: number) => {
      const p = paramsFrom((m) => {
        m.operators.count = 20;
        m.asics.find((a) => a.name === 'S21 XP')!.listUsdPerTh = listUsdPerTh;
      });
      return frontier(p, initialState(p, createStreams(KEY))).usdPerTh;
    };
    // At the start (2026-03-21) the best released model is the S21 XP; the Hydro comes in June.
    expect(at(20)).toBeCloseTo(20, 9);
    expect(at(15)).toBeCloseTo(15, 9);
  });
});

describe('the market on a daily calendar grid (common random numbers)', () => {
  it('the price and fee on a given day do not depend on the epoch lengths that led there', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 20;
    });
    const walk = (steps: number[]) => {
      const rng = createStreams(KEY);
      const s = initialState(p, rng);
      let day = 0;
      for (const d of steps) {
        day += d;
        advanceMarket(p, s, day, rng.market);
      }
      return [s.priceUsd, s.feeRatio];
    };
    const a = walk([14, 14, 14, 14, 14, 14, 14, 14]);
    const b = walk([3.5, 40.25, 0.5, 56, 11.75]);
    const c = walk([112]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a[0]).not.toBe(p.config.market.price.startUsd);
  });
});

describe('the option value of staying (expected margin with shut-in)', () => {
  it('is max(0, margin) without uncertainty, at least that with it, and close to the margin deep in the money', async () => {
    const { expectedRunMarginPerThDay, marginPerThDay, normalCdf } = await import('../../src/model/economics.ts');
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    for (const [hp, jth, price] of [
      [33, 21.5, 0.045],
      [33, 34, 0.07],
      [60, 13.5, 0.03],
      [10, 17.5, 0.05],
    ]) {
      const m = marginPerThDay(hp, jth, 1.08, price);
      expect(expectedRunMarginPerThDay(hp, jth, 1.08, price, 0)).toBe(Math.max(0, m));
      const v = expectedRunMarginPerThDay(hp, jth, 1.08, price, 0.6);
      expect(v).toBeGreaterThanOrEqual(Math.max(0, m) - 1e-12);
      expect(v).toBeLessThan(hp / 1000);
    }
    // A machine whose power costs 1.6x its revenue today keeps a real option value (with 60%/yr
    // volatility); one at about 10x with little volatility almost none.
    expect(expectedRunMarginPerThDay(33, 34, 1.08, 0.06, 0.6)).toBeGreaterThan(0.002);
    expect(expectedRunMarginPerThDay(5, 34, 1.08, 0.06, 0.1)).toBeLessThan(1e-9);
  });
});
