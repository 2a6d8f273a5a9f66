// Operators apply the known subsidy schedule over their decision horizon (MODEL.md 7.4): with a
// halving inside the horizon, the value of staying is the sum over the pieces before and after it,
// each at its own expected hashprice, so machines that pay until the halving and not after it are
// valued as running until it and shutting in after it (not at the horizon's mean hashprice, which
// undervalued them and sold the dearest fleets out before a halving).
import { describe, expect, it } from 'vitest';
import { createDecisionScratch, tariffDrift, valueOptions } from '../../src/model/decisions.ts';
import { annuity, expectedRunMarginPerThDay } from '../../src/model/economics.ts';
import { discountedYears, meanExpectedHashprice } from '../../src/model/expectations.ts';
import { initialState } from '../../src/model/init.ts';
import { operatorPue, operatorUsdPerKwh } from '../../src/model/operations.ts';
import type { Params } from '../../src/model/params.ts';
import { createStreams } from '../../src/model/rng.ts';
import { fleetResaleNowAndAheadUsd } from '../../src/model/secondary.ts';
import { MINING, type State } from '../../src/model/state.ts';
import { DAYS_PER_YEAR } from '../../src/model/time.ts';
import { paramsFrom } from './support.ts';

/** Operator o's expected margin over [t0, t1) at one expected hashprice, as present value at rate r, USD. */
function piece(p: Params, s: State, o: number, t0: number, t1: number, r: number): number {
  const c = p.config;
  const T = c.decisions.horizonYears;
  const policy = c.regions[s.opRegion[o]].policy;
  const usdPerKwh = operatorUsdPerKwh(s, o) * tariffDrift(policy, T);
  const pue = operatorPue(p, s, o);
  const sdLog = c.market.price.volatilityPerYear * Math.sqrt(T / 2);
  const hp = meanExpectedHashprice(p, s, t0, t1, r);
  let perDay = 0;
  for (let k = 0; k < p.cohortSlots; k++) {
    const slot = o * p.cohortSlots + k;
    if (s.coThs[slot] > 0) perDay += expectedRunMarginPerThDay(hp, s.coJth[slot], pue, usdPerKwh, sdLog) * s.coThs[slot];
  }
  return discountedYears(r, t0, t1) * perDay * DAYS_PER_YEAR;
}

describe('the value of staying with a halving inside the decision horizon', () => {
  it('is the sum of the pieces before and after the halving, each at its own expected hashprice', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 60;
    });
    const c = p.config;
    const T = c.decisions.horizonYears;
    const rng = createStreams({ rootSeed: 20260401, replicate: 0, point: null });
    const s = initialState(p, rng);
    // Move the clock so that the next halving is half a year ahead.
    const blocksPerYear = (86400 / c.protocol.targetBlockSeconds) * DAYS_PER_YEAR;
    const halving = (Math.floor(s.height / c.protocol.halvingIntervalBlocks) + 1) * c.protocol.halvingIntervalBlocks;
    s.height = halving - Math.round(0.5 * blocksPerYear);
    const tHalving = (halving - s.height) / blocksPerYear;
    expect(tHalving).toBeLessThan(T);
    const o = Array.from(s.opStatus.keys()).find((i) => s.opStatus[i] === MINING && s.opHostedUsdPerKwh[i] === 0)!;
    // Its machines pay before the halving and not after it (power cost per TH-day between the two
    // pieces' expected hashprices): the fleet's efficiency is set so.
    const r = s.opHurdle[o] + c.regions[s.opRegion[o]].policy.banPerYear;
    const before = meanExpectedHashprice(p, s, 0, tHalving, r) / 1000;
    const after = meanExpectedHashprice(p, s, tHalving, T, r) / 1000;
    expect(before).toBeGreaterThan(1.5 * after);
    const costPerKwhDay = operatorUsdPerKwh(s, o) * tariffDrift(c.regions[s.opRegion[o]].policy, T) * operatorPue(p, s, o);
    const jPerTh = (((before + after) / 2 / costPerKwhDay) * 1000) / 24;
    for (let k = 0; k < p.cohortSlots; k++) if (s.coThs[o * p.cohortSlots + k] > 0) s.coJth[o * p.cohortSlots + k] = jPerTh;

    const x = createDecisionScratch(p, s.opStatus.length);
    valueOptions(p, s, o, false, rng.agents, x);
    expect(x.option[0]).toBe(-1); // STAY comes first when the operator may stay

    const resale = new Float64Array(2);
    fleetResaleNowAndAheadUsd(p, s, o, T * DAYS_PER_YEAR, resale);
    const siteSale = s.opSiteMw[o] * c.relocation.siteSaleUsdPerMw;
    const terminal = Math.exp(-s.opHurdle[o] * T) * (resale[1] + siteSale);
    const overhead = annuity(r, T) * s.opSiteMw[o] * c.operators.overheadUsdPerMwYear;
    const pieces = piece(p, s, o, 0, tHalving, r) + piece(p, s, o, tHalving, T, r);
    const oneMean = piece(p, s, o, 0, T, r);
    expect(x.value[0]).toBeCloseTo(pieces - overhead + terminal, 0);
    // The pieces value the fleet's two years differently from one mean hashprice over both.
    expect(Math.abs(pieces - oneMean) / pieces).toBeGreaterThan(0.05);
  });
});
