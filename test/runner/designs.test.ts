import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { applyParameter, expandPath, unitToValue } from '../../src/runner/designs.ts';
import { applyPoint, sweepPoints } from '../../src/runner/sweep.ts';

const tiny = () => loadExperiment('test/fixtures/tiny.json').experiment;

describe('sweep parameter options', () => {
  it('unitToValue maps [0, 1] uniformly, or log-uniformly with scale "log"', () => {
    expect(unitToValue({ path: 'x', min: 2, max: 6 }, 0.25)).toBe(3);
    const log = { path: 'x', min: 0.1, max: 10, scale: 'log' as const };
    expect(unitToValue(log, 0)).toBeCloseTo(0.1, 14);
    expect(unitToValue(log, 0.5)).toBeCloseTo(1, 14);
    expect(unitToValue(log, 1)).toBeCloseTo(10, 13);
  });

  it('expandPath turns "*" into every element of a list, and names a bad segment', () => {
    const e = tiny();
    const { paths } = expandPath(e, 'model.regions.*.powerPrice.meanUsdPerKwh');
    expect(paths).toHaveLength(e.model.regions.length);
    expect(paths![0]).toEqual(['model', 'regions', 0, 'powerPrice', 'meanUsdPerKwh']);
    expect(expandPath(e, 'model.market.*').problem).toMatch(/"\*" after "model\.market" needs a list/);
  });

  it('multiply scales every matched number and both ends of a range; round makes whole numbers', () => {
    const e = tiny();
    const before = e.model.regions.map((r) => r.powerPrice.meanUsdPerKwh);
    const copy = structuredClone(e);
    applyParameter(copy, { path: 'model.regions.*.powerPrice.meanUsdPerKwh', min: 0.5, max: 2, multiply: true }, 1.5);
    expect(copy.model.regions.map((r) => r.powerPrice.meanUsdPerKwh)).toEqual(before.map((v) => v * 1.5));
    applyParameter(copy, { path: 'model.renewal.deliveryEpochs', min: 0.5, max: 3, multiply: true, round: true }, 2.4);
    expect(copy.model.renewal.deliveryEpochs).toEqual(e.model.renewal.deliveryEpochs.map((v) => Math.round(v * 2.4)));
    expect(e.model.regions.map((r) => r.powerPrice.meanUsdPerKwh)).toEqual(before); // the original is untouched
  });

  it('grid points without the new options are unchanged (plain values set at the path)', () => {
    const e = { ...tiny(), sweep: { design: 'grid' as const, points: 3, independentStreams: false, parameters: [{ path: 'model.market.price.volatilityPerYear', min: 0.3, max: 0.9 }] } };
    // the grid formula min + (max − min) i / (n − 1), as before the sensitivity options
    const grid = [0, 1, 2].map((i) => 0.3 + ((0.9 - 0.3) * i) / 2);
    expect(sweepPoints(e).map((p) => p.values[0].value)).toEqual(grid);
    expect(applyPoint(e, sweepPoints(e)[1]).model.market.price.volatilityPerYear).toBe(grid[1]);
  });

  it('a log-scale grid is evenly spaced in the logarithm', () => {
    const e = { ...tiny(), sweep: { design: 'grid' as const, points: 3, independentStreams: false, parameters: [{ path: 'model.decisions.temperature', min: 0.1, max: 10, scale: 'log' as const }] } };
    const values = sweepPoints(e).map((p) => p.values[0].value);
    expect(values[0]).toBeCloseTo(0.1, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(values[2]).toBeCloseTo(10, 13);
  });
});
