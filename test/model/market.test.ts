import { describe, expect, it } from 'vitest';
import { epochLengthDays, hashprice, meanSubsidy, replayedPrice, retarget, subsidyAt } from '../../src/model/market.ts';
import { impliedHashrateThs } from '../../src/model/params.ts';

// Bitcoin's schedule (Bitcoin Core chainparams.cpp): 50 BTC, halved every 210,000 blocks.
const INITIAL_BTC = 50;
const INTERVAL = 210_000;

describe('subsidyAt', () => {
  it('subsidyAt(0) is the initial 50 BTC', () => {
    expect(subsidyAt(0, INITIAL_BTC, INTERVAL)).toBe(50);
  });

  it('subsidyAt(941,472), the 2026-03-21 start height, is 3.125 BTC (four halvings)', () => {
    expect(subsidyAt(941_472, INITIAL_BTC, INTERVAL)).toBe(3.125);
  });

  it('subsidyAt(1,049,999), the last block before the fifth halving, is still 3.125 BTC', () => {
    expect(subsidyAt(1_049_999, INITIAL_BTC, INTERVAL)).toBe(3.125);
  });

  it('subsidyAt(1,050,000), the fifth halving, is 1.5625 BTC', () => {
    expect(subsidyAt(1_050_000, INITIAL_BTC, INTERVAL)).toBe(1.5625);
  });

  it('subsidyAt is 0 from the 64th halving on (Bitcoin Core: halvings >= 64)', () => {
    expect(subsidyAt(64 * INTERVAL, INITIAL_BTC, INTERVAL)).toBe(0);
    expect(subsidyAt(63 * INTERVAL, INITIAL_BTC, INTERVAL)).toBe(50 / 2 ** 63);
  });
});

describe('meanSubsidy', () => {
  it('meanSubsidy over an epoch with no halving is the subsidy of its blocks', () => {
    expect(meanSubsidy(941_472, 2016, INITIAL_BTC, INTERVAL)).toBe(3.125);
  });

  it('meanSubsidy over an epoch straddling a halving weights each subsidy by its blocks', () => {
    // 1,000 blocks at 3.125 BTC and 1,016 blocks at 1.5625 BTC: (3,125 + 1,587.5) / 2,016
    expect(meanSubsidy(1_050_000 - 1000, 2016, INITIAL_BTC, INTERVAL)).toBeCloseTo(4712.5 / 2016, 12);
  });

  it('meanSubsidy over an epoch that ends on the last block before a halving is the old subsidy', () => {
    expect(meanSubsidy(1_050_000 - 2016, 2016, INITIAL_BTC, INTERVAL)).toBe(3.125);
  });

  it('meanSubsidy over an epoch that starts at a halving is the new subsidy', () => {
    expect(meanSubsidy(1_050_000, 2016, INITIAL_BTC, INTERVAL)).toBe(1.5625);
  });

  it('meanSubsidy with one block after the halving moves the mean by 1/2016 of the drop', () => {
    expect(meanSubsidy(1_050_000 - 2015, 2016, INITIAL_BTC, INTERVAL)).toBeCloseTo((2015 * 3.125 + 1.5625) / 2016, 12);
  });
});

describe('hashprice', () => {
  it('impliedHashrateThs(133.79e12, 600) is D * 2^32 / 600 H/s, about 957.7 EH/s', () => {
    expect(impliedHashrateThs(133.79e12, 600)).toBeCloseTo((133.79e12 * 4294967296) / 600 / 1e12, 3);
    expect(impliedHashrateThs(133.79e12, 600) / 1e6).toBeCloseTo(957.706, 3);
  });

  it('hashprice at $70,000, difficulty 133.79e12 and 1% fees is about $33/PH/day (MODEL.md 7.2)', () => {
    const hp = hashprice(70_000, 3.125, 0.01, 133.79e12, 600);
    expect(hp).toBeGreaterThan(32);
    expect(hp).toBeLessThan(34);
  });

  it('hashprice is 144 blocks * (subsidy + fees) * price over the implied PH/s', () => {
    // 144 * 3.125 * 1.01 * 70,000 = 31,815,000 USD/day over 957,706.124 PH/s
    expect(hashprice(70_000, 3.125, 0.01, 133.79e12, 600)).toBeCloseTo(31_815_000 / 957_706.1242197334, 9);
  });

  it('hashprice halves when the subsidy halves (no fees)', () => {
    expect(hashprice(70_000, 1.5625, 0, 133.79e12, 600)).toBeCloseTo(hashprice(70_000, 3.125, 0, 133.79e12, 600) / 2, 12);
  });
});

describe('retarget', () => {
  it('retarget clamps a tenfold hashrate rise to x4', () => {
    expect(retarget(100, 10, 1, 4)).toBe(400);
  });

  it('retarget clamps a fall to a tenth to x0.25', () => {
    expect(retarget(100, 0.1, 1, 4)).toBe(25);
  });

  it('retarget follows the hashrate ratio inside the clamp (1.5 -> x1.5)', () => {
    expect(retarget(100, 1.5, 1, 4)).toBe(150);
  });
});

describe('epochLengthDays', () => {
  it('epochLengthDays is 28 days when half the implied hashrate mines the 2,016 blocks', () => {
    expect(epochLengthDays(14, 0.5, 1, 4)).toBe(28);
  });

  it('epochLengthDays is 7 days at twice the implied hashrate', () => {
    expect(epochLengthDays(14, 2, 1, 4)).toBe(7);
  });

  it('epochLengthDays is bounded by maxFactor times the nominal length', () => {
    expect(epochLengthDays(14, 0.01, 1, 4)).toBe(56);
    expect(epochLengthDays(14, 0, 1, 4)).toBe(56);
  });
});

describe('replayedPrice', () => {
  const path = { day: Float64Array.of(0, 10, 20), priceUsd: Float64Array.of(100, 200, 300) };

  it('replayedPrice before the first observation is the first price', () => {
    expect(replayedPrice(path, -5)).toBe(100);
  });

  it('replayedPrice holds the last observation until the next one (a step function)', () => {
    expect([0, 5, 9.999].map((d) => replayedPrice(path, d))).toEqual([100, 100, 100]);
    expect([10, 15, 19.999].map((d) => replayedPrice(path, d))).toEqual([200, 200, 200]);
  });

  it('replayedPrice on or after the last observation is the last price', () => {
    expect([20, 21, 1e6].map((d) => replayedPrice(path, d))).toEqual([300, 300, 300]);
  });

  it('replayedPrice of a one-point path is that price on every day', () => {
    const one = { day: Float64Array.of(3), priceUsd: Float64Array.of(42) };
    expect([0, 3, 100].map((d) => replayedPrice(one, d))).toEqual([42, 42, 42]);
  });
});
