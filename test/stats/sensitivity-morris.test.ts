import { describe, expect, it } from 'vitest';
import { elementaryEffects, morrisIndices, morrisSample } from '../../src/stats/sensitivity-morris.ts';
import { Stream } from '../../src/model/rng.ts';

const stream = (seed: string) => {
  const s = new Stream(seed);
  return () => s.uniform();
};

describe('Morris elementary effects', () => {
  it('each trajectory has k + 1 points on the p-level grid, moving one coordinate by ±Δ per step', () => {
    const d = morrisSample(3, 5, 4, stream('grid'));
    expect(d.points).toHaveLength(5 * 4);
    const delta = 4 / 6;
    for (let t = 0; t < 5; t++) {
      const moved = d.steps[t].map((s) => s.parameter).sort();
      expect(moved).toEqual([0, 1, 2]);
      for (let m = 1; m <= 3; m++) {
        const a = d.points[t * 4 + m - 1];
        const b = d.points[t * 4 + m];
        const changed = [0, 1, 2].filter((i) => a[i] !== b[i]);
        expect(changed).toEqual([d.steps[t][m - 1].parameter]);
        expect(Math.abs(b[changed[0]] - a[changed[0]])).toBeCloseTo(delta, 12);
        for (const v of b) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
          expect((v * 3) % 1 < 1e-9 || (v * 3) % 1 > 1 - 1e-9).toBe(true); // a level i/3
        }
      }
    }
  });

  it('a linear function has elementary effects equal to its coefficients: μ* = |c|, σ = 0', () => {
    const c = [2, -3, 0.5, 0];
    const d = morrisSample(4, 10, 4, stream('linear'));
    const y = d.points.map((x) => x.reduce((s, v, i) => s + c[i] * v, 0));
    const idx = morrisIndices(d, y, 4, 100, stream('linear/boot'));
    idx.forEach((r, i) => {
      expect(r.mu).toBeCloseTo(c[i], 12);
      expect(r.muStar).toBeCloseTo(Math.abs(c[i]), 12);
      expect(r.sigma).toBeCloseTo(0, 12);
    });
  });

  it('an interaction shows in σ, an unused parameter has μ* = 0', () => {
    // y = x1 + 4 x2 x3: EE_1 = 1 always; EE_2 = 4 x3 and EE_3 = 4 x2 vary with the other factor; x4 unused
    const d = morrisSample(4, 40, 4, stream('interaction'));
    const y = d.points.map(([a, b, c]) => a + 4 * b * c);
    const idx = morrisIndices(d, y, 4, 200, stream('interaction/boot'));
    expect(idx[0].sigma).toBeCloseTo(0, 12);
    expect(idx[1].sigma).toBeGreaterThan(0.5);
    expect(idx[2].sigma).toBeGreaterThan(0.5);
    expect([idx[3].muStar, idx[3].muStarLow, idx[3].muStarHigh]).toEqual([0, 0, 0]);
    expect(idx[1].muStarLow).toBeLessThanOrEqual(idx[1].muStar);
    expect(idx[1].muStarHigh).toBeGreaterThanOrEqual(idx[1].muStar);
  });

  it('ranks the G function parameters by importance (a = 0, 1, 4.5, 9, 99)', () => {
    const a = [0, 1, 4.5, 9, 99];
    const d = morrisSample(5, 50, 4, stream('g'));
    const y = d.points.map((u) => u.reduce((p, x, i) => p * ((Math.abs(4 * x - 2) + a[i]) / (1 + a[i])), 1));
    const idx = morrisIndices(d, y, 5, 0, stream('g/boot'));
    for (let i = 0; i < 4; i++) expect(idx[i].muStar).toBeGreaterThan(idx[i + 1].muStar);
  });

  it('refuses outputs of the wrong length', () => {
    const d = morrisSample(2, 3, 4, stream('len'));
    expect(() => elementaryEffects(d, [1, 2], 2)).toThrow(/expected r\(k \+ 1\) = 9/);
  });
});
