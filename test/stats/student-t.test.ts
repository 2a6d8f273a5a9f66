import { describe, expect, it } from 'vitest';
import { lnGamma, tQuantile, tTwoSidedTail } from '../../src/stats/student-t.ts';

describe('tQuantile', () => {
  it('tQuantile(0.975, 1) is the Cauchy quantile tan(0.475π)', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 12);
  });

  it('tQuantile(0.975, 2) is the closed form (2p − 1) / sqrt(2p(1 − p))', () => {
    expect(tQuantile(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 12);
  });

  it('matches scipy.stats.t.ppf(0.975, df) for whole and fractional df', () => {
    // reference values printed by scipy 1.x: scipy.stats.t.ppf(0.975, df)
    const reference: [number, number][] = [
      [3, 3.1824463052837078],
      [5, 2.5705818356363146],
      [10, 2.228138851986274],
      [29, 2.045229642132703],
      [299, 1.9679296690656698],
      [2.5, 3.5746548420036817],
      [5.950819672131148, 2.4518221864698444],
    ];
    for (const [df, q] of reference) expect(tQuantile(0.975, df)).toBeCloseTo(q, 11);
  });

  it('is antisymmetric and inverts the tail', () => {
    expect(tQuantile(0.025, 7)).toBe(-tQuantile(0.975, 7));
    expect(tTwoSidedTail(tQuantile(0.9, 4), 4)).toBeCloseTo(0.2, 13);
  });

  it('rejects p outside (0, 1) and df that is not finite and positive', () => {
    expect(() => tQuantile(1, 3)).toThrow(/expected 0 < p < 1/);
    expect(() => tQuantile(0.9, 0)).toThrow(/finite df > 0/);
    expect(() => tQuantile(0.9, Infinity)).toThrow(/finite df > 0/);
  });

  it('lnGamma(n) is ln((n − 1)!) and lnGamma(1/2) is ln √π', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
});
