// Sweep designs: a full grid, a Latin hypercube, or a Morris or Sobol sensitivity design (designs.ts) over named parameters. Point 0..P-1, each a list
// of (path, value). The hypercube is drawn from its own seeded stream, so a design is reproducible.
import type { Experiment } from '../config/experiment.ts';
import { setPath } from '../config/paths.ts';
import { applyParameter, designStream, needsApply, sensitivityDesign, unitToValue } from './designs.ts';

export interface SweepPoint {
  index: number;
  values: { path: string; value: number }[];
}

function linspace(min: number, max: number, n: number): number[] {
  if (n === 1) return [(min + max) / 2];
  return Array.from({ length: n }, (_, i) => min + ((max - min) * i) / (n - 1));
}

/** The points of an experiment's sweep; one point with no values when it has none. */
export function sweepPoints(e: Experiment): SweepPoint[] {
  const sweep = e.sweep;
  if (!sweep) return [{ index: 0, values: [] }];
  const params = sweep.parameters;
  if (sweep.design === 'grid') {
    let points: { path: string; value: number }[][] = [[]];
    for (const p of params) {
      const next: { path: string; value: number }[][] = [];
      const values = p.scale === 'log' ? linspace(0, 1, sweep.points).map((u) => unitToValue(p, u)) : linspace(p.min, p.max, sweep.points);
      for (const prefix of points) for (const v of values) next.push([...prefix, { path: p.path, value: v }]);
      points = next;
    }
    return points.map((values, index) => ({ index, values }));
  }
  if (sweep.design === 'morris' || sweep.design === 'sobol') {
    return sensitivityDesign(e).unit.map((u, index) => ({ index, values: params.map((p, j) => ({ path: p.path, value: unitToValue(p, u[j]) })) }));
  }
  // Latin hypercube: each parameter's range cut into `points` strata, one draw per stratum, strata
  // permuted independently per parameter.
  const rng = designStream(e.seed);
  const n = sweep.points;
  const columns = params.map((p) => {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    rng.shuffle(order, n);
    return Array.from(order, (stratum) => (p.scale === 'log' ? unitToValue(p, (stratum + rng.uniform()) / n) : p.min + ((p.max - p.min) * (stratum + rng.uniform())) / n));
  });
  return Array.from({ length: n }, (_, index) => ({ index, values: params.map((p, j) => ({ path: p.path, value: columns[j][index] })) }));
}

/** The experiment with one sweep point's values applied. */
export function applyPoint(e: Experiment, point: SweepPoint): Experiment {
  if (point.values.length === 0) return e;
  const copy = structuredClone(e);
  point.values.forEach(({ path, value }, j) => {
    const parameter = e.sweep?.parameters[j];
    if (parameter && needsApply(parameter)) applyParameter(copy, parameter, value);
    else setPath(copy, path, value);
  });
  return copy;
}
