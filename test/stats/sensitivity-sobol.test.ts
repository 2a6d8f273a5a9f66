import { describe, expect, it } from 'vitest';
import { saltelliSample, sobolIndices } from '../../src/stats/sensitivity-sobol.ts';
import { Stream } from '../../src/model/rng.ts';

/** Ishigami & Homma (1990) with a = 7, b = 0.1, on x ∈ [−π, π]³. */
function ishigami(u: number[]): number {
  const [x1, x2, x3] = u.map((v) => -Math.PI + 2 * Math.PI * v);
  return Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);
}

/** Sobol's G function on [0, 1]^k. */
const gFunction = (a: number[]) => (u: number[]) => u.reduce((p, x, i) => p * ((Math.abs(4 * x - 2) + a[i]) / (1 + a[i])), 1);

/** Analytic indices of the G function: V_i = 1 / (3 (1 + a_i)²), V = Π (1 + V_i) − 1. */
function gIndices(a: number[]): { s1: number[]; st: number[] } {
  const vi = a.map((ai) => 1 / (3 * (1 + ai) ** 2));
  const V = vi.reduce((p, v) => p * (1 + v), 1) - 1;
  return {
    s1: vi.map((v) => v / V),
    st: vi.map((v, i) => (v * vi.reduce((p, w, j) => (j === i ? p : p * (1 + w)), 1)) / V),
  };
}

function estimateIndices(f: (u: number[]) => number, k: number, n: number, seed: string) {
  const sample = new Stream(`${seed}/sample`);
  const points = saltelliSample(k, n, () => sample.uniform());
  const boot = new Stream(`${seed}/bootstrap`);
  return sobolIndices(points.map(f), k, n, 500, () => boot.uniform());
}

describe('Sobol indices (Saltelli 2010 first order, Jansen total)', () => {
  it('saltelliSample lays out A, B and AB_i: AB_i is A with column i from B', () => {
    const s = new Stream('layout');
    const p = saltelliSample(3, 4, () => s.uniform());
    expect(p).toHaveLength(4 * 5);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        const ab = p[(2 + i) * 4 + j];
        for (let c = 0; c < 3; c++) expect(ab[c]).toBe(c === i ? p[4 + j][c] : p[j][c]);
      }
    }
  });

  // Ishigami's analytic indices (Ishigami & Homma 1990; Saltelli et al. 2010) for a = 7, b = 0.1.
  const ISHIGAMI = { s1: [0.3139, 0.4424, 0], st: [0.5576, 0.4424, 0.2437] };
  const G_A = [0, 1, 4.5, 9, 99, 99];

  it('Ishigami (a = 7, b = 0.1), N = 8192: every estimate within 0.05 of the analytic value, intervals under 0.1 wide', () => {
    // Observed with these seeds: S = 0.296, 0.428, 0.024; ST = 0.559, 0.440, 0.255.
    const est = estimateIndices(ishigami, 3, 8192, 'ishigami');
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(est[i].s1 - ISHIGAMI.s1[i]), `S${i + 1}`).toBeLessThan(0.05);
      expect(Math.abs(est[i].st - ISHIGAMI.st[i]), `ST${i + 1}`).toBeLessThan(0.05);
      expect(est[i].s1High - est[i].s1Low).toBeLessThan(0.1);
    }
  });

  it('bootstrap 95% intervals cover the analytic indices of Ishigami and the G function about 95% of the time (40 designs of N = 256)', () => {
    // Each interval covers with probability about 0.95, so one fixed design can miss (at N = 8192 with
    // the seeds above, Ishigami's S3 = 0 lies just below [0.0018, 0.0477]). What is tested is the
    // coverage over 40 independent designs: observed 0.9125 (Ishigami, 240 intervals) and 0.929 (G
    // function, 480 intervals); 0.85 is about 5 binomial standard deviations below 0.95.
    const g = gIndices(G_A);
    let ishigamiHits = 0;
    let gHits = 0;
    for (let m = 0; m < 40; m++) {
      const sample = new Stream(`coverage/${m}/sample`);
      const boot = new Stream(`coverage/${m}/bootstrap`);
      const a = sobolIndices(saltelliSample(3, 256, () => sample.uniform()).map(ishigami), 3, 256, 200, () => boot.uniform());
      a.forEach((x, i) => {
        ishigamiHits += Number(x.s1Low <= ISHIGAMI.s1[i] && ISHIGAMI.s1[i] <= x.s1High) + Number(x.stLow <= ISHIGAMI.st[i] && ISHIGAMI.st[i] <= x.stHigh);
      });
      const b = sobolIndices(saltelliSample(6, 256, () => sample.uniform()).map(gFunction(G_A)), 6, 256, 200, () => boot.uniform());
      b.forEach((x, i) => {
        gHits += Number(x.s1Low <= g.s1[i] && g.s1[i] <= x.s1High) + Number(x.stLow <= g.st[i] && g.st[i] <= x.stHigh);
      });
    }
    expect(ishigamiHits / 240).toBeGreaterThan(0.85);
    expect(gHits / 480).toBeGreaterThan(0.85);
  });

  it("Sobol's G function (a = 0, 1, 4.5, 9, 99, 99), N = 4096: estimates within 0.05 of the analytic values, ranked by a", () => {
    const truth = gIndices(G_A);
    const est = estimateIndices(gFunction(G_A), G_A.length, 4096, 'g-function');
    for (let i = 0; i < G_A.length; i++) {
      expect(Math.abs(est[i].s1 - truth.s1[i]), `S${i + 1}`).toBeLessThan(0.05);
      expect(Math.abs(est[i].st - truth.st[i]), `ST${i + 1}`).toBeLessThan(0.05);
    }
    expect(est[0].st).toBeGreaterThan(est[1].st);
    expect(est[1].st).toBeGreaterThan(est[2].st);
    expect(est[2].st).toBeGreaterThan(est[3].st);
  });

  it('refuses a wrong number of outputs or a non-finite one', () => {
    expect(() => sobolIndices([1, 2, 3], 2, 2, 0, () => 0.5)).toThrow(/expected N\(k \+ 2\) = 8/);
    expect(() => sobolIndices([1, 2, 3, NaN, 1, 1, 1, 1], 2, 2, 0, () => 0.5)).toThrow(/output 3 is NaN/);
  });
});
