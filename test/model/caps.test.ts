// Caps below a region's load at the start are grandfathered (MODEL.md 7.5b): the load stays and is
// reported (over_cap_mw), no new MW enters until the load is under the cap, and a lower cap binds.
import { describe, expect, it } from 'vitest';
import type { Params } from '../../src/model/params.ts';
import { ensemble, paramsFrom, region, series, sumOver } from './support.ts';

/** The baseline with 600 operators to the end of 2029, Paraguay's cap set to `capMw`. */
function withParaguayCap(capMw: number): Params {
  return paramsFrom((m) => {
    m.operators.count = 600;
    m.horizon.endDate = '2029-12-31';
    region(m, 'py').capacityMw = capMw;
  });
}

describe('a cap below the load at the start', () => {
  const R = 8;
  const baseline = ensemble(withParaguayCap(1000), R, 4);
  const halved = ensemble(withParaguayCap(500), R, 4);

  it('keeps the load and reports the grandfathered MW at epoch 0', () => {
    for (let r = 0; r < R; r++) {
      expect(series(halved[r], 'region_hashrate_ehs', 'py')[0]).toBe(series(baseline[r], 'region_hashrate_ehs', 'py')[0]);
      // The same load against a cap 500 MW lower: the excess is 500 MW more where the baseline's
      // 1,000 MW cap is exceeded too, and the whole load above 500 MW where it is not.
      const over = series(halved[r], 'over_cap_mw', 'py')[0];
      const overBaseline = series(baseline[r], 'over_cap_mw', 'py')[0];
      if (overBaseline > 0) expect(over).toBeCloseTo(overBaseline + 500, 6);
      else expect(over).toBeGreaterThan(0);
      expect(over).toBeLessThanOrEqual(overBaseline + 500 + 1e-6);
      expect(series(halved[r], 'over_cap_mw', 'us')[0]).toBe(0);
    }
  });

  it('lets no new MW in while the load is above the cap: the excess never grows and nobody relocates there', () => {
    for (const out of halved) {
      const over = series(out, 'over_cap_mw', 'py');
      const moves = series(out, 'relocations', 'py');
      for (let e = 1; e < out.epochCount; e++) {
        if (over[e - 1] > 0) {
          expect(over[e], `epoch ${e}`).toBeLessThanOrEqual(over[e - 1] + 1e-6);
          expect(moves[e], `epoch ${e}`).toBe(0);
        }
      }
    }
  });

  // A cap limits MW, so that is what it must bind on. The region's hashrate does not show it: summed
  // over these 8 replicates the time-mean Paraguay hashrate was 397 EH/s with the halved cap against
  // 385 with the baseline's, measured with reorganisations before the change of expectations
  // (MODEL.md 7.0, 7.4), and 399 against 386 in the version before reorganisations, because the MW a
  // lower cap keeps out are mostly sites left behind by capitulations, which lapse instead of waiting
  // for an entrant, while the sites that stay upgrade to denser machines. (The end-of-run hashrate
  // this test compared before, 176.6 against 195.0 EH/s summed growth with reorganisations, moves by
  // tens of EH/s from one replicate to another.)
  it('binds: halving the cap yields a lower load in the region on the same seeds', () => {
    const meanLoad = (o: (typeof baseline)[number]) => {
      const load = series(o, 'load_mw', 'py');
      let sum = 0;
      for (let e = 0; e < o.epochCount; e++) sum += load[e];
      return sum / o.epochCount;
    };
    // Time-mean loads when written, baseline cap: 858, 1,000, 1,107, 1,029, 1,024, 1,013, 1,013, 1,105 MW;
    // halved: 914, 953, 824, 941, 879, 889, 631, 1,105. The start's load is above both caps, and while
    // it is, neither run lets MW in, so their paths differ by chance (replicate 0).
    expect(sumOver(halved.map(meanLoad))).toBeLessThan(sumOver(baseline.map(meanLoad)) - 500);
    // Once under the halved cap, the load stays under it.
    for (const out of halved) {
      const load = series(out, 'load_mw', 'py');
      let under = false;
      for (let e = 0; e < out.epochCount; e++) {
        if (under) expect(load[e], `epoch ${e}`).toBeLessThanOrEqual(500 + 1e-6);
        if (load[e] <= 500) under = true;
      }
    }
  });
});
