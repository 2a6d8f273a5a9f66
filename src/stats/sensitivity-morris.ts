// Elementary effects (Morris 1991) with the absolute mean μ* of Campolongo, Cariboni & Saltelli (2007).
//
// Morris, M. D. (1991). "Factorial sampling plans for preliminary computational experiments."
// Technometrics 33(2), 161-174. Campolongo, F., Cariboni, J., Saltelli, A. (2007). "An effective
// screening design for sensitivity analysis of large models." Environmental Modelling & Software
// 22(10), 1509-1518.
//
// On the unit cube with p levels {0, 1/(p−1), …, 1} and step Δ = p / (2(p − 1)), a trajectory starts
// at a random level point and moves one coordinate at a time, in random order, by +Δ or −Δ: k + 1
// points, one elementary effect per parameter, EE_i = (y(x + s Δ e_i) − y(x)) / (s Δ), in units of the
// output per whole range of the parameter. Over r trajectories: μ = mean EE, μ* = mean |EE| (the
// importance measure), σ = sd of EE (interactions and non-linearity).
import { fsum, quantileSorted } from 'd3-array';
import type { Uniform } from './sensitivity-sobol.ts';

export interface MorrisDesign {
  /** r (k + 1) points on the unit cube, trajectory by trajectory */
  points: number[][];
  /** for trajectory t and step m (1 … k): the parameter moved and the signed step s Δ */
  steps: { parameter: number; delta: number }[][];
}

/** r trajectories of k + 1 points on a p-level grid (p even and ≥ 2 is usual; Δ = p / (2(p − 1))). */
export function morrisSample(k: number, r: number, levels: number, uniform: Uniform): MorrisDesign {
  if (!(Number.isInteger(levels) && levels >= 2)) throw new Error(`morrisSample: levels ${levels}; expected an integer >= 2`);
  const delta = levels / (2 * (levels - 1));
  // start levels x* with x* + Δ ≤ 1: 0, 1/(p−1), … up to 1 − Δ
  const lowLevels = Array.from({ length: levels }, (_, i) => i / (levels - 1)).filter((v) => v <= 1 - delta + 1e-12);
  const points: number[][] = [];
  const steps: MorrisDesign['steps'] = [];
  for (let t = 0; t < r; t++) {
    const signs = Array.from({ length: k }, () => (uniform() < 0.5 ? -1 : 1));
    const x = Array.from({ length: k }, (_, i) => {
      const base = lowLevels[Math.floor(uniform() * lowLevels.length)];
      return signs[i] > 0 ? base : base + delta;
    });
    const order = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor((i + 1) * uniform());
      [order[i], order[j]] = [order[j], order[i]];
    }
    points.push(x.slice());
    const trajectory: { parameter: number; delta: number }[] = [];
    for (const i of order) {
      x[i] += signs[i] * delta;
      points.push(x.slice());
      trajectory.push({ parameter: i, delta: signs[i] * delta });
    }
    steps.push(trajectory);
  }
  return { points, steps };
}

export interface MorrisIndex {
  parameter: number;
  mu: number;
  muStar: number;
  /** percentile bootstrap 95% interval of μ* over trajectories */
  muStarLow: number;
  muStarHigh: number;
  sigma: number;
}

/** The elementary effects of each parameter, one per trajectory: effects[i][t]. */
export function elementaryEffects(design: MorrisDesign, y: ArrayLike<number>, k: number): Float64Array[] {
  const r = design.steps.length;
  if (y.length !== r * (k + 1)) throw new Error(`elementaryEffects: ${y.length} outputs; expected r(k + 1) = ${r * (k + 1)}`);
  const effects = Array.from({ length: k }, () => new Float64Array(r));
  design.steps.forEach((trajectory, t) => {
    trajectory.forEach(({ parameter, delta }, m) => {
      const before = y[t * (k + 1) + m];
      const after = y[t * (k + 1) + m + 1];
      if (!Number.isFinite(before) || !Number.isFinite(after)) throw new Error(`elementaryEffects: trajectory ${t}: a non-finite output`);
      effects[parameter][t] = (after - before) / delta;
    });
  });
  return effects;
}

/** μ, μ*, σ per parameter, with a bootstrap interval of μ* from `resamples` resamples of the trajectories. */
export function morrisIndices(design: MorrisDesign, y: ArrayLike<number>, k: number, resamples: number, uniform: Uniform): MorrisIndex[] {
  const effects = elementaryEffects(design, y, k);
  const r = design.steps.length;
  return effects.map((ee, parameter) => {
    const mu = fsum(ee) / r;
    const abs = ee.map(Math.abs);
    const muStar = fsum(abs) / r;
    const sigma = r > 1 ? Math.sqrt(fsum(ee.map((v) => (v - mu) ** 2)) / (r - 1)) : 0;
    const boot = new Float64Array(resamples);
    for (let b = 0; b < resamples; b++) {
      let s = 0;
      for (let t = 0; t < r; t++) s += abs[Math.floor(uniform() * r)];
      boot[b] = s / r;
    }
    boot.sort();
    const q = (p: number) => (resamples === 0 ? NaN : (quantileSorted(boot as unknown as number[], p) as number));
    return { parameter, mu, muStar, muStarLow: q(0.025), muStarHigh: q(0.975), sigma };
  });
}
