import { describe, expect, it } from 'vitest';
import { pairedDifference } from '../../src/stats/paired.ts';

describe('pairedDifference', () => {
  it('matches a hand computation on four pairs (and scipy ttest_rel / Welch ttest_ind intervals)', () => {
    // differences 1, 2, 2, 1: mean 1.5, sd √(1/3); paired 95% interval 1.5 ± t(0.975, 3) · sd / 2.
    // Reference intervals: scipy.stats.ttest_rel(a, b).confidence_interval() = [0.58131, 2.41869] and
    // ttest_ind(a, b, equal_var=False).confidence_interval() = [-0.84744, 3.84744] (Welch df 5.9508).
    const d = pairedDifference([1, 2, 3, 4], [2, 4, 5, 5], 'x');
    expect(d.n).toBe(4);
    expect(d.baseMean).toBe(2.5);
    expect(d.armMean).toBe(4);
    expect(d.mean).toBe(1.5);
    expect(d.sd).toBeCloseTo(Math.sqrt(1 / 3), 14);
    expect(d.low).toBeCloseTo(0.5813068844814607, 12);
    expect(d.high).toBeCloseTo(2.4186931155185394, 12);
    expect(d.unpairedLow).toBeCloseTo(-0.847441024724644, 12);
    expect(d.unpairedHigh).toBeCloseTo(3.847441024724644, 12);
    expect(d.correlation).toBeCloseTo(0.9128709291752768, 14);
    expect([d.p05, d.p50, d.p95]).toEqual([1, 1.5, 2]);
  });

  it('pairing narrows the interval when the arms share their noise (positive correlation)', () => {
    // base: a noisy quantity; arm: the same draws shifted by 3, plus a little noise of its own.
    const base = [10, 14, 7, 21, 12, 9, 17, 11];
    const own = [0.2, -0.1, 0.3, 0, -0.2, 0.1, -0.3, 0.1];
    const d = pairedDifference(base, base.map((b, i) => b + 3 + own[i]), 'x');
    const paired = d.high! - d.low!;
    const unpaired = d.unpairedHigh! - d.unpairedLow!;
    expect(d.correlation!).toBeGreaterThan(0.99);
    expect(paired).toBeLessThan(unpaired / 20);
    expect(d.low!).toBeGreaterThan(0); // the paired interval excludes 0 ...
    expect(d.unpairedLow!).toBeLessThan(0); // ... the unpaired one does not
  });

  it('a pure shift gives a paired interval of width 0, while the unpaired one stays wide', () => {
    const d = pairedDifference([1, 5, 2, 8], [3, 7, 4, 10], 'x');
    expect([d.mean, d.sd, d.low, d.high]).toEqual([2, 0, 2, 2]);
    expect(d.unpairedHigh! - d.unpairedLow!).toBeGreaterThan(5);
  });

  it('pairing widens the interval when the arms move against each other (negative correlation)', () => {
    const base = [1, 2, 3, 4, 5];
    const d = pairedDifference(base, [5, 4, 3, 2, 1], 'x');
    expect(d.correlation).toBeCloseTo(-1, 14);
    expect(d.high! - d.low!).toBeGreaterThan(d.unpairedHigh! - d.unpairedLow!);
  });

  it('one pair has no interval; unequal lengths and NaN are errors', () => {
    const d = pairedDifference([1], [2], 'x');
    expect([d.mean, d.low, d.unpairedLow, d.correlation]).toEqual([1, null, null, null]);
    expect(() => pairedDifference([1, 2], [1], 'x')).toThrow(/1 arm values against 2 base values/);
    expect(() => pairedDifference([1, NaN], [1, 2], 'q')).toThrow(/q \(difference\): NaN at index 1/);
  });
});
