// lifeValueBound (value-bound.ts) against the valuation it bounds: investment passes over a lot on
// the bound alone, which is only sound if no valuation ever comes out above it.
import { describe, expect, it } from 'vitest';
import { paramsFrom } from './support.ts';
import { createStreams } from '../../src/model/rng.ts';
import { initialState } from '../../src/model/init.ts';
import { costPerThYear, greenfieldNpvPerTh } from '../../src/model/investment.ts';
import { MAX_PIECES, PIECE_FIELDS, boundFromPieces, boundOverCosts, lifePieces, lifePiecesFrom, lifeValueBound } from '../../src/model/value-bound.ts';
import { Xor4096 } from '../../src/model/xor4096.ts';

const p = paramsFrom();
const s = initialState(p, createStreams({ rootSeed: 7, replicate: 0, point: null }));
const rateOf = (r: number) => p.config.investment.hurdleRatePerYear + p.config.regions[r].policy.banPerYear;
/** greenfieldNpvPerTh's value of the machine's life before its capex, USD per TH/s. */
const lifeValue = (r: number, jPerTh: number, delayYears: number, life: number) => greenfieldNpvPerTh(p, s, r, jPerTh, 0, 0, delayYears, life);
const bound = (r: number, jPerTh: number, delayYears: number, life: number) => lifeValueBound(p, s, costPerThYear(p, s, r, jPerTh, life), delayYears, life, rateOf(r));

describe('lifeValueBound(p, s, costPerYear, delayYears, life, rate)', () => {
  /**
   * Checks the bound against the valuation over `draws` random machines (efficiency, lead time,
   * life, region, growth expectation and height; and the pipeline's lead when `withLead`); returns
   * how many had a bound.
   */
  function boundNeverBelow(seed: string, draws: number, withLead: boolean): number {
    const u = new Xor4096(seed);
    let checked = 0;
    for (let i = 0; i < draws; i++) {
      s.expGrowthPerYear = -0.5 + u.double() * 1.5;
      if (withLead) s.pipelineLeadYears = u.double() * 1.5;
      s.height = Math.floor(u.double() * 1_200_000);
      const r = Math.floor(u.double() * p.config.regions.length);
      const jPerTh = 5 + u.double() * 60;
      const delay = u.double() * 1.5;
      // Lives past the lead and the growth horizon cover all three regimes.
      const life = u.double() * 6;
      const b = bound(r, jPerTh, delay, life);
      if (b === Infinity) continue;
      expect(lifeValue(r, jPerTh, delay, life)).toBeLessThanOrEqual(b);
      checked++;
    }
    s.pipelineLeadYears = 0;
    return checked;
  }

  it('is never below the valuation, over efficiencies, lead times, lives, growth expectations and regions', () => {
    expect(boundNeverBelow('value-bound', 4000, false)).toBeGreaterThan(3500);
  });

  it('is never below the valuation with machines on their way (the trend extrapolated from the pipeline\'s lead)', () => {
    expect(boundNeverBelow('value-bound-lead', 3000, true)).toBeGreaterThan(2500);
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

describe('boundOverCosts(pieces, at, count, rate, costLow, costHigh)', () => {
  it('is never below the bound at a higher rate and a cost between, of the same life', () => {
    const u = new Xor4096('bound-over-costs');
    const low = new Float64Array(MAX_PIECES * PIECE_FIELDS);
    const high = new Float64Array(MAX_PIECES * PIECE_FIELDS);
    let checked = 0;
    for (let i = 0; i < 4000; i++) {
      s.expGrowthPerYear = -0.5 + u.double() * 1.5;
      s.height = Math.floor(u.double() * 1_200_000);
      const delay = u.double() * 1.5;
      const life = u.double() * 6;
      const rate = 0.05 + u.double() * 0.2;
      const higherRate = rate + (u.double() < 0.2 ? 0 : u.double() * 0.1);
      const costLow = u.double() * 40;
      const costHigh = costLow * (1 + (u.double() < 0.2 ? 0 : u.double()));
      const cost = costLow + u.double() * (costHigh - costLow);
      const count = lifePieces(p, s, delay, life, rate, low, 0);
      const countHigher = lifePieces(p, s, delay, life, higherRate, high, 0);
      if (count < 0 || countHigher < 0) continue;
      expect(countHigher).toBe(count);
      const b = boundFromPieces(high, 0, countHigher, higherRate, cost);
      expect(boundOverCosts(low, 0, count, rate, costLow, costHigh)).toBeGreaterThanOrEqual(b);
      checked++;
    }
    expect(checked).toBeGreaterThan(3000);
  });
});

describe('lifePiecesFrom(template, at, count, delayYears, life, rate, out, at)', () => {
  it('gives lifePieces of the shorter life bit for bit', () => {
    const u = new Xor4096('life-pieces-from');
    const template = new Float64Array(MAX_PIECES * PIECE_FIELDS);
    const direct = new Float64Array(MAX_PIECES * PIECE_FIELDS);
    const cut = new Float64Array(MAX_PIECES * PIECE_FIELDS);
    let checked = 0;
    for (let i = 0; i < 4000; i++) {
      s.expGrowthPerYear = -0.5 + u.double() * 1.5;
      s.height = Math.floor(u.double() * 1_200_000);
      s.pipelineLeadYears = u.double() < 0.3 ? 0 : u.double() * 1.5;
      const delay = u.double() * 1.5;
      const longest = u.double() * 6;
      // Some lives end exactly where a piece of the longest does, some have run out.
      const life = u.double() < 0.1 ? -u.double() : u.double() < 0.1 ? s.pipelineLeadYears - delay : longest * u.double();
      const rate = 0.05 + u.double() * 0.2;
      const count = lifePieces(p, s, delay, longest, rate, template, 0);
      if (count < 0 || !(life <= longest)) continue;
      const n = lifePieces(p, s, delay, life, rate, direct, 0);
      expect(lifePiecesFrom(template, 0, count, delay, life, rate, cut, 0)).toBe(n);
      expect(Array.from(cut.subarray(0, n * PIECE_FIELDS))).toEqual(Array.from(direct.subarray(0, n * PIECE_FIELDS)));
      checked++;
    }
    expect(checked).toBeGreaterThan(3000);
  });
});
