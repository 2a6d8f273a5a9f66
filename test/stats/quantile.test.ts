import { describe, expect, it } from 'vitest';
import { quantile } from '../../src/stats/quantile.ts';
import { describe as summarize } from '../../src/stats/summary.ts';
import { sortedFinite } from '../../src/stats/sorted.ts';
import { normalSample } from './synthetic.ts';

describe('quantile', () => {
  it('quantile([1, 2, 3, 4], p) interpolates at rank (n - 1)p: 1.75 at 0.25, 2.5 at 0.5, 4 at 1', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    expect(quantile(x, 0.25)).toBe(1.75);
    expect(quantile(x, 0.5)).toBe(2.5);
    expect(quantile(x, 1)).toBe(4);
    expect(quantile(x, 0)).toBe(1);
  });

  it('gives the same quantiles as epochs.csv (describe) on the same sample', () => {
    const values = normalSample(501, 3, 2, 'quantile');
    const s = summarize(values, 'x');
    const sorted = sortedFinite(values, 'x');
    expect([0.05, 0.25, 0.5, 0.75, 0.95].map((p) => quantile(sorted, p))).toEqual([s.p05, s.p25, s.p50, s.p75, s.p95]);
  });

  it('refuses p outside [0, 1] and an empty sample', () => {
    expect(() => quantile(Float64Array.of(1), 1.5)).toThrow(/p 1.5 is not in \[0, 1\]/);
    expect(() => quantile(new Float64Array(0), 0.5)).toThrow(/no values/);
  });
});

describe('sortedFinite', () => {
  it('sorts ascending and refuses NaN, naming the label and index', () => {
    expect([...sortedFinite([3, 1, 2], 'x')]).toEqual([1, 2, 3]);
    expect(() => sortedFinite([1, NaN], 'hashrate')).toThrow('hashrate: NaN at index 1');
  });
});
