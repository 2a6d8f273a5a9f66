// Pieces of the report's figures that need no run: log-axis ticks and their labels, the unit of a
// swept config path, and the interval of a share of replicates.
import { describe, expect, it } from 'vitest';
import { fieldUnit, logTicks, parameterLabel, usdTick, wilsonInterval } from '../../src/report/figures.ts';

describe('log axis ticks', () => {
  it('gives 1, 2 and 5 × 10^k inside the range, or only powers of ten when those are too many', () => {
    expect(logTicks(9_000, 240_000)).toEqual([10_000, 20_000, 50_000, 100_000, 200_000]);
    expect(logTicks(3, 3e7)).toEqual([10, 100, 1000, 1e4, 1e5, 1e6, 1e7]);
    expect(logTicks(0.015, 0.09)).toEqual([0.02, 0.05]);
  });

  it('labels USD amounts briefly', () => {
    expect([500, 2000, 50_000, 1_500_000, 2e9].map(usdTick)).toEqual(['$500', '$2k', '$50k', '$1.5M', '$2B']);
  });
});

describe('swept parameter labels', () => {
  it('finds the unit of a path with list elements by id, index or *', () => {
    expect(fieldUnit('model.regions.us.powerPrice.meanUsdPerKwh')).toBe('USD/kWh');
    expect(fieldUnit('model.regions.*.powerPrice.meanUsdPerKwh')).toBe('USD/kWh');
    expect(fieldUnit('model.market.price.volatilityPerYear')).toBe('per √year');
    expect(fieldUnit('model.no.such.field')).toBeNull();
    expect(parameterLabel('model.market.price.startUsd')).toBe('model.market.price.startUsd (USD)');
    expect(parameterLabel('model.regions.*.powerPrice.meanUsdPerKwh', true)).toBe("model.regions.*.powerPrice.meanUsdPerKwh (factor on the config's value)");
  });
});

describe('Wilson interval of a share of replicates', () => {
  it('stays open at 0 and 1 and matches values worked by hand', () => {
    const [lo0, hi0] = wilsonInterval(0, 12);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.2425, 4);
    const [lo1, hi1] = wilsonInterval(1, 12);
    expect(lo1).toBeCloseTo(1 - 0.2425, 4);
    expect(hi1).toBe(1);
    // 5 of 20: Wilson's 95% interval worked by hand, [0.1119, 0.4687]
    const [lo, hi] = wilsonInterval(0.25, 20);
    expect(lo).toBeCloseTo(0.1119, 4);
    expect(hi).toBeCloseTo(0.4687, 4);
  });
});
