import { describe as suite, expect, it } from 'vitest';
import { describe } from '../../src/stats/summary.ts';

/** Deterministic permutation of 0..n-1: Fisher–Yates driven by a 32-bit LCG (Numerical Recipes). */
function fixedPermutation(count: number, seed: number): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = count - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** 10,000 values spanning 16 orders of magnitude and both signs, where summation order matters. */
function wideRangeValues(): Float64Array {
  return Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i + 1) * 10 ** ((i % 17) - 8));
}

function naiveSum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

suite('describe', () => {
  it('describe([1, 2, 3, 4]) has mean 2.5', () => {
    expect(describe([1, 2, 3, 4], 'x').mean).toBe(2.5);
  });

  it('describe([1, 2, 3, 4]) has sample sd sqrt(5/3)', () => {
    // squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, over n - 1 = 3
    expect(describe([1, 2, 3, 4], 'x').sd).toBe(Math.sqrt(5 / 3));
  });

  it('describe([1, 2, 3, 4]) has min 1 and max 4', () => {
    const summary = describe([4, 2, 1, 3], 'x');
    expect([summary.min, summary.max]).toEqual([1, 4]);
  });

  it('describe([1, 2, 3, 4]) percentiles match numpy.percentile linear', () => {
    // numpy.percentile([1,2,3,4], [5,25,50,75,95]) = [1.15, 1.75, 2.5, 3.25, 3.85]
    const summary = describe([1, 2, 3, 4], 'x');
    expect(summary.p05).toBeCloseTo(1.15, 14);
    expect(summary.p25).toBe(1.75);
    expect(summary.p50).toBe(2.5);
    expect(summary.p75).toBe(3.25);
    expect(summary.p95).toBeCloseTo(3.85, 14);
  });

  it('describe(digits of pi) matches hand-computed values with ties', () => {
    // sorted 1 1 2 3 3 4 5 5 6 9; ranks (n-1)p = 0.45, 2.25, 4.5, 6.75, 8.55
    const summary = describe([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], 'pi');
    expect(summary.mean).toBe(3.9);
    expect(summary.p05).toBe(1);
    expect(summary.p25).toBe(2.25);
    expect(summary.p50).toBe(3.5);
    expect(summary.p75).toBe(5);
    expect(summary.p95).toBeCloseTo(7.65, 13);
  });

  it('describe(digits of pi) sd is sqrt(54.9 / 9)', () => {
    // Σ(x - 3.9)² = 2·2.9² + 1.9² + 2·0.9² + 0.1² + 2·1.1² + 2.1² + 5.1² = 54.9
    expect(describe([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], 'pi').sd).toBeCloseTo(Math.sqrt(6.1), 14);
  });

  it('describe of a single value has sd 0 and every statistic equal to it', () => {
    expect(describe([7.5], 'x')).toEqual({
      mean: 7.5,
      sd: 0,
      min: 7.5,
      p05: 7.5,
      p25: 7.5,
      p50: 7.5,
      p75: 7.5,
      p95: 7.5,
      max: 7.5,
    });
  });

  it('describe of equal values has mean exactly that value and sd exactly 0', () => {
    // fsum(0.1, 0.1, 0.1) / 3 is 0.10000000000000002 before clamping into [min, max]
    const summary = describe([0.1, 0.1, 0.1], 'x');
    expect([summary.mean, summary.sd]).toEqual([0.1, 0]);
  });

  it('describe accepts a Float64Array', () => {
    expect(describe(new Float64Array([2, 4]), 'x').mean).toBe(3);
  });

  it('describe does not modify its input', () => {
    const values = new Float64Array([3, 1, 2]);
    describe(values, 'x');
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });

  it('describe is exact where naive summation loses the small terms', () => {
    // naive: ((1e16 + 1) + 1) - 1e16 = 0 in floats; the true sum is 2, the mean 2 / 4
    const summary = describe([1e16, 1, 1, -1e16], 'x');
    expect(summary.mean).toBe(0.5);
  });

  it('the wide-range fixture is order-sensitive under naive summation', () => {
    // guards the next test: a shuffle must actually be able to change a naive result
    const values = wideRangeValues();
    const shuffled = Array.from(fixedPermutation(values.length, 12345), (i) => values[i]);
    expect(naiveSum(shuffled)).not.toBe(naiveSum(values));
  });

  it('describe of a fixed shuffle of 10,000 values is bit-identical to the original order', () => {
    const values = wideRangeValues();
    const shuffled = Array.from(fixedPermutation(values.length, 12345), (i) => values[i]);
    const original = describe(values, 'x');
    const permuted = describe(shuffled, 'x');
    for (const key of Object.keys(original) as (keyof typeof original)[]) {
      expect(permuted[key], key).toBe(original[key]);
    }
  });

  it('describe throws naming the label and index of a NaN', () => {
    expect(() => describe([1, 2, NaN, 4], 'hashrate')).toThrow(
      new Error('hashrate: NaN at index 2'),
    );
  });

  it('describe throws naming the label and index of an Infinity', () => {
    expect(() => describe(new Float64Array([Infinity]), 'hashrate')).toThrow(
      new Error('hashrate: Infinity at index 0'),
    );
  });

  it('describe throws on a -Infinity', () => {
    expect(() => describe([0, -Infinity], 'h')).toThrow(new Error('h: -Infinity at index 1'));
  });

  it('describe throws on a null smuggled into a number[]', () => {
    const values = [1, null] as unknown as number[];
    expect(() => describe(values, 'h')).toThrow(new Error('h: null at index 1'));
  });

  it('describe throws on empty input naming the label', () => {
    expect(() => describe([], 'hashrate')).toThrow(new Error('hashrate: no values'));
  });
});
