import { describe, expect, it } from 'vitest';
import { monteCarloError, quantileRanks } from '../../src/stats/mc-error.ts';
import { Stream } from '../../src/model/rng.ts';

describe('Monte Carlo error of summaries', () => {
  it('quantileRanks gives the binomial order-statistic ranks (checked against scipy.stats.binom)', () => {
    // l = largest k with binom.cdf(k − 1, n, p) <= 0.025, u = smallest k with binom.cdf(k − 1, n, p) >= 0.975,
    // computed with scipy: coverage binom.cdf(u − 1) − binom.cdf(l − 1) = 0.9785, 0.9648, 0.9672, 0.9672, 0.9569
    expect(quantileRanks(10, 0.5)).toEqual([2, 9]);
    expect(quantileRanks(100, 0.5)).toEqual([40, 61]);
    expect(quantileRanks(200, 0.05)).toEqual([4, 17]);
    expect(quantileRanks(200, 0.95)).toEqual([184, 197]);
    expect(quantileRanks(300, 0.5)).toEqual([133, 168]);
  });

  it('cuts the interval at the extremes when there are too few values', () => {
    expect(quantileRanks(12, 0.05)).toEqual([1, 3]);
    expect(quantileRanks(1, 0.5)).toEqual([1, 1]);
  });

  it('the median interval covers the true median of a uniform about 95% of the time (400 samples of 50)', () => {
    const rng = new Stream('mc-error/coverage');
    let hits = 0;
    for (let m = 0; m < 400; m++) {
      const values = Float64Array.from({ length: 50 }, () => rng.uniform());
      const e = monteCarloError(values, 0);
      if (e.p50Low <= 0.5 && 0.5 < e.p50High) hits++;
    }
    // guaranteed coverage for n = 50 is binom.cdf(u − 1) − binom.cdf(l − 1) = 0.967 (ranks 18 and 33); observed with this seed: 0.97
    expect(quantileRanks(50, 0.5)).toEqual([18, 33]);
    expect(hits / 400).toBeGreaterThan(0.93);
  });

  it('se_mean is sd / √n and each interval brackets its quantile', () => {
    const values = [5, 1, 4, 2, 3, 9, 7, 8, 6, 10];
    const e = monteCarloError(values, 2);
    expect(e.seMean).toBe(2 / Math.sqrt(10));
    expect([e.p50Low, e.p50High]).toEqual([2, 9]);
    expect([e.p05Low, e.p95High]).toEqual([1, 10]);
  });
});
