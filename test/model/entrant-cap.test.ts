// Greenfield entrants build only under the cap (MODEL.md 7.5b): the capacity carried for entrants
// (investment.entrantShare of what a region builds) was inside the cap when it was built for, but
// incumbents' expansions and arrivals may have taken the room since, and a new site must still fit.
import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/model/init.ts';
import { createInvestScratch, invest } from '../../src/model/investment.ts';
import { createStreams } from '../../src/model/rng.ts';
import { paramsFrom, region } from './support.ts';

describe('greenfield entry under a cap', () => {
  it('builds no entrant site that would take the region over its cap, however much capacity is carried for entrants', () => {
    const p = paramsFrom((m) => {
      m.operators.count = 200;
      region(m, 'py').powerPrice.meanUsdPerKwh = 0.015; // new capacity pays there
    });
    const rng = createStreams({ rootSeed: 20260401, replicate: 0, point: null });
    const s = initialState(p, rng);
    const py = p.regionIndex.get('py')!;
    const [minMw] = p.config.investment.entrantSiteMw;
    // Room under the cap for less than one entrant's smallest site; plenty carried for entrants.
    s.regionCapMw[py] = s.regionUsedMw[py] + minMw / 2;
    s.regionGrowthRoomMw[py] = 1e6;
    s.regionEntrantCarryMw[py] = 20 * minMw;
    s.epoch = 1;
    invest(p, s, p.nominalEpochDays, rng.agents, createInvestScratch(p));
    expect(s.regionInvestedMw[py]).toBeGreaterThan(0); // it did invest there (in incumbents' sites)
    expect(s.regionUsedMw[py]).toBeLessThanOrEqual(s.regionCapMw[py] + 1e-6);
  });
});
