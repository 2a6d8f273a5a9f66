// lifeValueBound (value-bound.ts) against the valuation it bounds: investment passes over a lot on
// the bound alone, which is only sound if no valuation ever comes out above it.
import { describe, expect, it } from 'vitest';
import { paramsFrom } from './support.ts';
import { createStreams } from '../../src/model/rng.ts';
import { initialState } from '../../src/model/init.ts';
import { costPerThYear, greenfieldNpvPerTh } from '../../src/model/investment.ts';
import { lifeValueBound } from '../../src/model/value-bound.ts';
import { Xor4096 } from '../../src/model/xor4096.ts';

const p = paramsFrom();
const s = initialState(p, createStreams({ rootSeed: 7, replicate: 0, point: null }));
const rateOf = (r: number) => p.config.investment.hurdleRatePerYear + p.config.regions[r].policy.banPerYear;
/** greenfieldNpvPerTh's value of the machine's life before its capex, USD per TH/s. */
const lifeValue = (r: number, jPerTh: number, delayYears: number, life: number) => greenfieldNpvPerTh(p, s, r, jPerTh, 0, 0, delayYears, life);
const bound = (r: number, jPerTh: number, delayYears: number, life: number) => lifeValueBound(p, s, costPerThYear(p, s, r, jPerTh, life), delayYears, life, rateOf(r));

describe('lifeValueBound(p, s, costPerYear, delayYears, life, rate)', () => {
  it('is never below the valuation, over efficiencies, lead times, lives, growth expectations and regions', () => {
    const u = new Xor4096('value-bound');
    let checked = 0;
    for (let i = 0; i < 4000; i++) {
      s.expGrowthPerYear = -0.5 + u.double() * 1.5;
      s.height = Math.floor(u.double() * 1_200_000);
      const r = Math.floor(u.double() * p.config.regions.length);
      const jPerTh = 5 + u.double() * 60;
      const delay = u.double() * 1.5;
      const life = u.double() * 6;
      const b = bound(r, jPerTh, delay, life);
      if (b === Infinity) continue;
      expect(lifeValue(r, jPerTh, delay, life)).toBeLessThanOrEqual(b);
      checked++;
    }
    expect(checked).toBeGreaterThan(3500);
  });

  it('is close to the valuation of a machine that pays in every month', () => {
    s.expGrowthPerYear = 0.3;
    s.height = 840_000;
    const v = lifeValue(0, 1, 0.25, 4);
    expect(v).toBeGreaterThan(0);
    expect(bound(0, 1, 0.25, 4) / v - 1).toBeLessThan(1e-6);
  });

  it('is 0, up to its slack, for a machine that never pays', () => {
    s.expGrowthPerYear = 0.3;
    s.height = 840_000;
    expect(lifeValue(0, 1e4, 0.25, 4)).toBe(0);
    expect(bound(0, 1e4, 0.25, 4)).toBeLessThan(1e-6 * costPerThYear(p, s, 0, 1e4, 4));
  });

  it('gives no bound (Infinity) at a discount rate near zero', () => {
    expect(lifeValueBound(p, s, 1, 0, 4, 0)).toBe(Infinity);
  });
});
