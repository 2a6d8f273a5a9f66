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

  it('binds: halving the cap yields less hashrate growth there than the baseline on the same seeds', () => {
    const growth = (outs: typeof baseline) =>
      sumOver(outs.map((o) => {
        const h = series(o, 'region_hashrate_ehs', 'py');
        return h[o.epochCount - 1] - h[0];
      }));
    expect(growth(halved)).toBeLessThan(growth(baseline) - 50);
  });
});
