import { describe, expect, it } from 'vitest';
import { observationQuantile } from '../../src/stats/observation-quantile.ts';
import { normalCdf, normalSample } from './synthetic.ts';
import { sortedFinite } from '../../src/stats/sorted.ts';

describe('observationQuantile', () => {
  const x = Float64Array.of(1, 2, 3, 4);

  it('is the share of the sample below the observation: 2.5 in [1, 2, 3, 4] is 0.5', () => {
    expect(observationQuantile(x, 2.5)).toBe(0.5);
  });

  it('counts ties half (mid-rank): 2 in [1, 2, 3, 4] is (1 + 0.5) / 4', () => {
    expect(observationQuantile(x, 2)).toBe(0.375);
    expect(observationQuantile(Float64Array.of(7, 7, 7), 7)).toBe(0.5);
    expect(observationQuantile(Float64Array.of(1, 2, 2, 2, 3), 2)).toBe(0.5);
  });

  it('is 0 below the whole sample and 1 above it', () => {
    expect(observationQuantile(x, 0)).toBe(0);
    expect(observationQuantile(x, 5)).toBe(1);
  });

  it('approaches the CDF of a known distribution: 1.2816 in N(0, 1) is about 0.9', () => {
    const sorted = sortedFinite(normalSample(20_000, 0, 1, 'pit'), 'x');
    expect(Math.abs(observationQuantile(sorted, 1.2816) - normalCdf(1.2816))).toBeLessThan(0.01);
  });
});
