import { describe, expect, it } from 'vitest';
import { crps } from '../../src/stats/crps.ts';
import { sortedFinite } from '../../src/stats/sorted.ts';
import { normalCdf, normalPdf, normalSample } from './synthetic.ts';

/** E|X - y| - 0.5 E|X - X'| by the double sum, O(n^2). */
function bruteForce(x: ArrayLike<number>, y: number): number {
  const n = x.length;
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a += Math.abs(x[i] - y);
    for (let j = 0; j < n; j++) b += Math.abs(x[i] - x[j]);
  }
  return a / n - b / (2 * n * n);
}

describe('crps', () => {
  it('of a point mass at x is |x - y|', () => {
    expect(crps(Float64Array.of(3), 10)).toBe(7);
    expect(crps(Float64Array.of(4, 4, 4, 4), 1.5)).toBe(2.5);
    expect(crps(Float64Array.of(2, 2), 2)).toBe(0);
  });

  it('of {0, 1} at 0.5 is 0.5 - 0.25 = 0.25', () => {
    expect(crps(Float64Array.of(0, 1), 0.5)).toBe(0.25);
  });

  it('equals the double-sum formula on an irregular sample', () => {
    const x = normalSample(301, 5, 2, 'brute');
    for (const y of [-3, 4.2, 5, 11]) expect(crps(sortedFinite(x, 'x'), y)).toBeCloseTo(bruteForce(x, y), 10);
  });

  it('of a fine uniform grid on [0, 1] at y is about y^3/3 + (1 - y)^3/3', () => {
    // CRPS(U(0, 1), y) = ∫ F² below y + ∫ (1 − F)² above = y³/3 + (1 − y)³/3 for y in [0, 1]
    const n = 2000;
    const grid = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    for (const y of [0.1, 0.3, 0.5, 0.9]) expect(crps(grid, y)).toBeCloseTo(y ** 3 / 3 + (1 - y) ** 3 / 3, 6);
    // outside the support it grows by the distance: CRPS(U(0, 1), 2) = 2 - 0.5 - 1/6
    expect(crps(grid, 2)).toBeCloseTo(2 - 0.5 - 1 / 6, 6);
  });

  it('of a large N(mu, sigma) sample is the closed form sigma [z(2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)]', () => {
    // Gneiting & Raftery (2007), eq. 21; 40,000 draws give it to well under 1%.
    const mu = 100;
    const sigma = 15;
    const sorted = sortedFinite(normalSample(40_000, mu, sigma, 'normal-crps'), 'x');
    for (const y of [100, 112, 70]) {
      const z = (y - mu) / sigma;
      const exact = sigma * (z * (2 * normalCdf(z) - 1) + 2 * normalPdf(z) - 1 / Math.sqrt(Math.PI));
      expect(Math.abs(crps(sorted, y) / exact - 1)).toBeLessThan(0.01);
    }
  });

  it('does not depend on the order of equal-valued replicates and is never negative', () => {
    expect(crps(Float64Array.of(0.1, 0.1, 0.1), 0.1)).toBe(0);
  });
});
