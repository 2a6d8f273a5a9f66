import { describe, expect, it } from 'vitest';
import { centralInterval, inInterval } from '../../src/stats/central-interval.ts';
import { sortedFinite } from '../../src/stats/sorted.ts';
import { normalSample } from './synthetic.ts';
import { describe as summarize } from '../../src/stats/summary.ts';

/** Share of `observations` inside the central `percent`% interval of `forecast`. */
function coverage(forecast: Float64Array, observations: Float64Array, percent: number): number {
  const interval = centralInterval(sortedFinite(forecast, 'forecast'), percent);
  return observations.filter((y) => inInterval(y, interval)).length / observations.length;
}

describe('centralInterval', () => {
  it('is [p25, p75] at 50% and [p05, p95] at 90%: 0..100 gives [25, 75] and [5, 95]', () => {
    const x = Float64Array.from({ length: 101 }, (_, i) => i);
    expect(centralInterval(x, 50)).toEqual({ lo: 25, hi: 75 });
    expect(centralInterval(x, 90)).toEqual({ lo: 5, hi: 95 });
  });

  it('covers about 50% and 90% of observations from the forecast distribution itself', () => {
    // 2,000 replicates of N(10, 3) and 4,000 observations from the same N(10, 3): the sampling sd of
    // the coverage is about sqrt(p(1 - p) / 4000), under 0.01, so 0.03 is a wide margin.
    const forecast = normalSample(2000, 10, 3, 'forecast');
    const observations = normalSample(4000, 10, 3, 'observations');
    expect(Math.abs(coverage(forecast, observations, 50) - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(coverage(forecast, observations, 90) - 0.9)).toBeLessThan(0.03);
  });

  it('covers far less than 90% when the forecast is too narrow (sd 1.5 against 3: P(|Z| < 0.82) = 0.59)', () => {
    const forecast = normalSample(2000, 10, 1.5, 'forecast');
    const observations = normalSample(4000, 10, 3, 'observations');
    expect(Math.abs(coverage(forecast, observations, 90) - 0.59)).toBeLessThan(0.03);
  });

  it('has bounds equal to the p05 and p95 of epochs.csv (describe)', () => {
    const x = Float64Array.from({ length: 101 }, (_, i) => i);
    const s = summarize(x, 'x');
    expect(centralInterval(x, 90)).toEqual({ lo: s.p05, hi: s.p95 });
    expect(centralInterval(x, 50)).toEqual({ lo: s.p25, hi: s.p75 });
  });

  it('refuses a level that is not a whole percent in (0, 100)', () => {
    expect(() => centralInterval(Float64Array.of(1), 0.9)).toThrow(/0.9% is not a whole percent/);
  });

  it('counts an observation on a bound as inside', () => {
    expect(inInterval(5, { lo: 5, hi: 95 })).toBe(true);
    expect(inInterval(95, { lo: 5, hi: 95 })).toBe(true);
    expect(inInterval(95.0001, { lo: 5, hi: 95 })).toBe(false);
  });
});
