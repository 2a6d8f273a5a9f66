// MODEL.md section 8: the calibration checks P1-P4 at epoch 0 of the baseline.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveParams, type Params } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import { initialState } from '../../src/model/init.ts';
import { createStreams, type StreamKey } from '../../src/model/rng.ts';
import { operatorPower } from '../../src/model/operations.ts';
import { costPerBtcUsd, marginPerThDay } from '../../src/model/economics.ts';
import { hashprice } from '../../src/model/market.ts';
import type { State } from '../../src/model/state.ts';
import type { ReplicateOutput } from '../../src/model/output.ts';
import { baselineExperiment, series } from './support.ts';

let p: Params;
let out: ReplicateOutput;
let key: StreamKey;
/** the baseline's initial state: the fleet that mines epoch 0 of replicate 0 */
let s: State;

/** epoch-0 value of an observed series */
const at0 = (metric: string, regionId = '') => series(out, metric, regionId)[0];

/** Hashrate-weighted J/TH of the running cohorts in one region. */
function runningEfficiency(state: State, regionIndex: number): number {
  const K = p.cohortSlots;
  let ths = 0;
  let watts = 0;
  for (let o = 0; o < state.opStatus.length; o++) {
    if (state.opRegion[o] !== regionIndex) continue;
    for (let k = 0; k < K; k++) {
      const slot = o * K + k;
      if (!state.coRunning[slot]) continue;
      ths += state.coThs[slot];
      watts += state.coThs[slot] * state.coJth[slot];
    }
  }
  return watts / ths;
}

beforeAll(() => {
  const experiment = baselineExperiment();
  p = resolveParams(experiment.model, null);
  key = { rootSeed: experiment.seed, replicate: 0, point: null };
  out = simulateReplicate(p, key);
  s = initialState(p, createStreams(key));
});

describe('P1: starting shares and concentration (epoch 0 of the baseline)', () => {
  it('US share is 0.35-0.39', () => {
    expect(at0('share', 'us')).toBeGreaterThanOrEqual(0.35);
    expect(at0('share', 'us')).toBeLessThanOrEqual(0.39);
  });

  it('Russia share is 0.15-0.19', () => {
    expect(at0('share', 'ru')).toBeGreaterThanOrEqual(0.15);
    expect(at0('share', 'ru')).toBeLessThanOrEqual(0.19);
  });

  it('China share is 0.10-0.14', () => {
    expect(at0('share', 'cn')).toBeGreaterThanOrEqual(0.1);
    expect(at0('share', 'cn')).toBeLessThanOrEqual(0.14);
  });

  it('top-3 region share is 0.62-0.68', () => {
    expect(at0('top3_share_region')).toBeGreaterThanOrEqual(0.62);
    expect(at0('top3_share_region')).toBeLessThanOrEqual(0.68);
  });

  it('HHI over regions (row split into 1% parts) is 1,700-2,000', () => {
    expect(at0('hhi_region')).toBeGreaterThanOrEqual(1700);
    expect(at0('hhi_region')).toBeLessThanOrEqual(2000);
  });

  it('Nakamoto coefficient over regions is 2 (US + Russia > 50%)', () => {
    expect(at0('nakamoto_region')).toBe(2);
  });
});

describe('P2: hashprice and network hashrate (epoch 0 of the baseline)', () => {
  it('hashprice is $28-38/PH/day', () => {
    expect(at0('hashprice_usd_ph_day')).toBeGreaterThanOrEqual(28);
    expect(at0('hashprice_usd_ph_day')).toBeLessThanOrEqual(38);
  });

  it('network hashrate is 950-1,000 EH/s', () => {
    expect(at0('hashrate_ehs')).toBeGreaterThanOrEqual(950);
    expect(at0('hashrate_ehs')).toBeLessThanOrEqual(1000);
  });

  it('BTC price is the configured $70,000', () => {
    expect(at0('btc_price_usd')).toBe(70_000);
  });
});

describe('P3: the fleet at a loss', () => {
  it('the initial state reproduces epoch 0 of the replicate (same key, same fleet)', () => {
    expect(s.runningThs / 1e6).toBe(at0('hashrate_ehs'));
    expect(s.hashpriceUsdPerPhDay).toBe(at0('hashprice_usd_ph_day'));
  });

  it('share of the epoch-0 running fleet at a loss on power (revenue < electricity) at $30/PH/day is 0.10-0.25', () => {
    // P3's own example (21.5 J/TH at $0.06/kWh underwater at $30) is a loss on power: the test
    // values the epoch-0 running fleet at $30/PH/day against each operator's electricity cost.
    const K = p.cohortSlots;
    let running = 0;
    let atLoss = 0;
    for (let o = 0; o < s.opStatus.length; o++) {
      const { usdPerKwh, pue } = operatorPower(p, s, o);
      for (let k = 0; k < K; k++) {
        const slot = o * K + k;
        if (!s.coRunning[slot]) continue;
        running += s.coThs[slot];
        if (marginPerThDay(30, s.coJth[slot], pue, usdPerKwh) < 0) atLoss += s.coThs[slot];
      }
    }
    const share = atLoss / running;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.25);
  });

  it('an old rig (21.5 J/TH) paying $0.06/kWh is underwater at $30/PH/day (PUE 1)', () => {
    // 21.5 J/TH * 24 h = 0.516 kWh per TH-day, * $0.06 = $0.03096 > $0.030 of revenue
    expect(marginPerThDay(30, 21.5, 1, 0.06)).toBeCloseTo(0.03 - 0.03096, 12);
    expect(marginPerThDay(30, 21.5, 1, 0.06)).toBeLessThan(0);
  });

  it('mean efficiency of the running fleet at epoch 0 is 22-25 J/TH (MODEL.md section 5)', () => {
    expect(at0('mean_efficiency_j_th')).toBeGreaterThanOrEqual(22);
    expect(at0('mean_efficiency_j_th')).toBeLessThanOrEqual(25);
  });
});

describe('P4: electricity cost per BTC at $0.09/kWh', () => {
  it('a 22 J/TH fleet at $0.09/kWh (PUE 1) spends more than $100,000 of electricity per BTC at $70,000', () => {
    const hp = hashprice(70_000, 3.125, 0.01, 133.79e12, 600);
    // 0.528 kWh/TH-day * $0.09 = $0.04752 per TH-day, over hp / 1000 / 70,000 BTC per TH-day
    expect(costPerBtcUsd(22, 1, 0.09, hp, 70_000)).toBeCloseTo((0.04752 * 70_000 * 1000) / hp, 6);
    expect(costPerBtcUsd(22, 1, 0.09, hp, 70_000)).toBeGreaterThan(100_000);
  });

  it('the US running fleet at epoch 0 spends more than $100,000 of electricity per BTC at $0.09/kWh', () => {
    const us = p.regionIndex.get('us')!;
    const jPerTh = runningEfficiency(s, us);
    const cost = costPerBtcUsd(jPerTh, p.config.regions[us].pue, 0.09, s.hashpriceUsdPerPhDay, s.priceUsd);
    expect(cost).toBeGreaterThan(100_000);
  });
});
