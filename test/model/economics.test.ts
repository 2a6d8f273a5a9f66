// Destination choice and its capacity (MODEL.md 7.4): a destination's own power price matters to
// relocating fleets, and a request refused for lack of capacity falls back to the next option.
// Reduced baseline configs with a ban of mining in Russia early on, so that every Russian operator
// must choose a destination; the same root seed in both arms (common random numbers).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/config/schema.ts';
import type { ReplicateOutput } from '../../src/model/output.ts';
import { ensemble, paramsFrom, region, series, sumOver, twoBannedRussians } from './support.ts';
import { createDecisionScratch, decide } from '../../src/model/decisions.ts';
import { TRANSIT } from '../../src/model/state.ts';

const ROOT_SEED = 20260401;
const REPLICATES = 12;

/** 350 operators to mid-2027, Russia banned on 2026-06-01, Paraguay and the UAE the only open destinations. */
function banRussia(m: ModelConfig): void {
  m.operators.count = 350;
  m.horizon.endDate = '2027-06-30';
  m.events = [{ date: '2026-06-01', kind: 'ban', region: 'ru' }];
  m.decisions.destinations = ['py', 'ae'];
}

const total = (runs: ReplicateOutput[], metric: string, regionId = '') => runs.reduce((t, o) => t + sumOver(series(o, metric, regionId)), 0);

describe("a destination's own power price", () => {
  let cheap: ReplicateOutput[];
  let dear: ReplicateOutput[];

  beforeAll(() => {
    const arm = (pyUsdPerKwh: number) =>
      paramsFrom((m) => {
        banRussia(m);
        region(m, 'py').capacityMw = null;
        region(m, 'ae').capacityMw = null;
        region(m, 'py').powerPrice.meanUsdPerKwh = pyUsdPerKwh;
      });
    cheap = ensemble(arm(0.025), REPLICATES, ROOT_SEED);
    dear = ensemble(arm(0.05), REPLICATES, ROOT_SEED);
  });

  it('draws more relocations to Paraguay when its power is cheaper (hosted fleets pay the host power too)', () => {
    // In the landed model of 2026-11 every hosted fleet paid one global hosting-rate range, so a
    // destination's own power price did not matter to them.
    expect(total(cheap, 'relocations', 'py')).toBeGreaterThan(total(dear, 'relocations', 'py'));
  });

  it('and fewer to the UAE, the other destination', () => {
    expect(total(cheap, 'relocations', 'ae')).toBeLessThan(total(dear, 'relocations', 'ae'));
  });
});

describe('a request refused for lack of capacity', () => {
  it('falls back to the next option: of two banned operators and room in Paraguay for one, the other goes to the UAE', () => {
    // The landed model capitulated a banned operator whose chosen destination was full.
    const { p, s, rng, a, b, py, ae } = twoBannedRussians(ROOT_SEED);
    decide(p, s, rng.agents, createDecisionScratch(p, p.operatorSlots));
    expect([s.opStatus[a], s.opStatus[b]]).toEqual([TRANSIT, TRANSIT]);
    expect([s.opDest[a], s.opDest[b]].sort()).toEqual([py, ae].sort());
  });
});
