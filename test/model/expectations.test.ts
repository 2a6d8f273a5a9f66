// Expectations of network growth (MODEL.md 7.0): operators count the machines on their way in the
// network they expect, so the trend they extrapolate is measured on that network (a machine counts
// once, when it is ordered), and it is extrapolated from when those machines have arrived. The
// previous model measured the trend on the running hashrate alone: a delivery it already counted in
// the pipeline read as new growth (in the growth episode, the orders of early 2022 that waited for
// the manufacturers' backlog arrived in early 2023 and lifted the expected growth from 0.29 to 0.89
// a year in two months, replicate 0).
import { describe, expect, it } from 'vitest';
import { paramsFrom } from './support.ts';
import { createStreams } from '../../src/model/rng.ts';
import { initialState } from '../../src/model/init.ts';
import { observeHashrate, refreshPipeline, subsidyPv } from '../../src/model/expectations.ts';
import { MINING } from '../../src/model/state.ts';

function stateWithOrders() {
  const p = paramsFrom((m) => {
    m.operators.count = 200;
  });
  const s = initialState(p, createStreams({ rootSeed: 20260401, replicate: 0, point: null }));
  const K = p.cohortSlots;
  // A fifth of the operators' largest cohorts are on their way, due in 3 epochs.
  const pending: number[] = [];
  for (let o = 0; o < s.opStatus.length; o += 5) {
    if (s.opStatus[o] !== MINING) continue;
    let best = o * K;
    for (let k = 0; k < K; k++) if (s.coThs[o * K + k] > s.coThs[best]) best = o * K + k;
    s.coReadyEpoch[best] = s.epoch + 3;
    pending.push(best);
  }
  let running = 0;
  for (let i = 0; i < s.coThs.length; i++) if (s.coThs[i] > 0 && s.coReadyEpoch[i] <= s.epoch && s.opStatus[Math.floor(i / K)] === MINING) running += s.coThs[i];
  return { p, s, pending, running };
}

describe('expected network growth', () => {
  it('does not take a delivery it already expected for new growth', () => {
    const { p, s, pending, running } = stateWithOrders();
    refreshPipeline(p, s);
    const onTheWay = s.pipelineThs;
    expect(onTheWay).toBeGreaterThan(0.05 * running);
    // Steady: the network expected is what runs plus what is on its way.
    s.expHashrateThs = running;
    s.expNetworkThs = running + onTheWay;
    // The growth observed is 0, so the smoothed rate moves towards 0 by its smoothing weight.
    const keep = 1 - p.config.expectations.hashrateGrowthSmoothing;
    const g = s.expGrowthPerYear;
    observeHashrate(p, s, running, 14);
    expect(s.expGrowthPerYear).toBeCloseTo(g * keep, 12);
    // The machines arrive and run: the running hashrate jumps, the network expected does not.
    s.epoch += 3;
    for (const slot of pending) s.coReadyEpoch[slot] = s.epoch;
    observeHashrate(p, s, running + onTheWay, 14);
    expect(s.pipelineThs).toBe(0);
    expect(s.expGrowthPerYear).toBeCloseTo(g * keep * keep, 12);
    expect(s.pipelineLeadYears).toBe(0);
  });

  it('extrapolates the trend from when the machines on their way have arrived', () => {
    const { p, s, running } = stateWithOrders();
    observeHashrate(p, s, running, 14);
    // Due in 3 epochs: the lead is 3 nominal epochs.
    expect(s.pipelineLeadYears).toBeCloseTo((3 * p.nominalEpochDays) / 365.25, 12);
    const lead = s.pipelineLeadYears;
    const mu = p.config.expectations.priceDriftPerYear;
    const g = s.expGrowthPerYear;
    expect(g).toBeGreaterThan(0.05);
    const r = 0.1;
    // Before the lead the revenue grows with the price only: e^{(mu - r) t}.
    const pvLead = subsidyPv(p, s, 0, lead, r, NaN);
    const subsidy = p.config.protocol.initialSubsidyBtc / 2 ** Math.floor(s.height / p.config.protocol.halvingIntervalBlocks);
    expect(pvLead).toBeCloseTo((subsidy * (1 - Math.exp(-(r - mu) * lead))) / (r - mu), 12);
    // After it, the trend: a quarter-year from the lead is worth e^{-g t} of the no-growth value (same subsidy).
    const t = 0.25;
    const grown = subsidyPv(p, s, lead, lead + t, r, NaN);
    const flat = (subsidy * Math.exp(-(r - mu) * lead) * (1 - Math.exp(-(r - mu) * t))) / (r - mu);
    const expected = (subsidy * Math.exp(-(r - mu) * lead) * (1 - Math.exp(-(r - mu + g) * t))) / (r - mu + g);
    expect(grown).toBeCloseTo(expected, 10);
    expect(grown).toBeLessThan(flat);
  });
});
