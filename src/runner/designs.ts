// Sensitivity designs for sweeps (`design: "morris"` or `"sobol"`) and the parameter options they
// share with grids and hypercubes: a log-uniform `scale`, and `multiply`, which scales every number
// at a path (a value, a [min, max] range, or with `*` every element of a list) by the drawn factor
// instead of replacing one value. A design's points come from a stream seeded by the root seed, so
// the design is reproducible; sensitivity.ts turns the outputs at those points into indices.
import { createHash } from 'node:crypto';
import type { Experiment, Sweep } from '../config/experiment.ts';
import { findPath } from '../config/resolve.ts';
import { getPath } from '../config/paths.ts';
import { Stream } from '../model/rng.ts';
import { morrisSample, type MorrisDesign } from '../stats/sensitivity-morris.ts';
import { saltelliSample } from '../stats/sensitivity-sobol.ts';

export type SweepParameter = Sweep['parameters'][number];
type Key = string | number;

/** Morris grid levels when `levels` is not given. */
export const DEFAULT_MORRIS_LEVELS = 4;
/** Bootstrap resamples of the sensitivity intervals when `bootstrap` is not given. */
export const DEFAULT_BOOTSTRAP = 1000;

/** The stream a sweep design draws from (shared with the Latin hypercube). */
export function designStream(seed: number, purpose = 'sweep'): Stream {
  return new Stream(createHash('sha256').update(`hashmigrate/v1\u0000${seed}\u0000${purpose}`).digest('hex'));
}

/** A point u in [0, 1] of a parameter's range: uniform, or log-uniform with `scale: "log"`. */
export function unitToValue(p: SweepParameter, u: number): number {
  if (p.scale === 'log') return Math.exp(Math.log(p.min) + (Math.log(p.max) - Math.log(p.min)) * u);
  return p.min + (p.max - p.min) * u;
}

/** The unit-cube points of a Morris or Sobol design, and the Morris trajectories' steps. */
export function sensitivityDesign(e: Experiment): { unit: number[][]; morris?: MorrisDesign } {
  const sweep = e.sweep!;
  const k = sweep.parameters.length;
  const rng = designStream(e.seed);
  const uniform = () => rng.uniform();
  if (sweep.design === 'morris') {
    const morris = morrisSample(k, sweep.points, sweep.levels ?? DEFAULT_MORRIS_LEVELS, uniform);
    return { unit: morris.points, morris };
  }
  return { unit: saltelliSample(k, sweep.points, uniform) };
}

/** Every concrete path a parameter path stands for (`*` expands over a list), or the first problem. */
export function expandPath(root: unknown, path: string): { paths?: Key[][]; problem?: string } {
  let partial: { node: unknown; keys: Key[] }[] = [{ node: root, keys: [] }];
  for (const segment of path.split('.')) {
    const next: typeof partial = [];
    for (const { node, keys } of partial) {
      if (segment === '*') {
        if (!Array.isArray(node)) return { problem: `"*" after "${keys.join('.')}" needs a list` };
        node.forEach((el, i) => next.push({ node: el, keys: [...keys, i] }));
      } else {
        const found = findPath(node, segment, '');
        if (found.problem) return { problem: `${found.problem.replace(`"${segment}"`, `"${[...keys, segment].join('.')}"`)}` };
        next.push({ node: getPath(node, found.path!), keys: [...keys, ...found.path!] });
      }
    }
    partial = next;
  }
  return { paths: partial.map((p) => p.keys) };
}

/** Problems with a parameter's options (`scale`, `multiply`, `*`), or [] when it can be applied to `e`. */
export function parameterProblems(e: Experiment, p: SweepParameter, i: number): string[] {
  const where = `sweep.parameters[${i}]`;
  const problems: string[] = [];
  if (p.scale === 'log' && !(p.min > 0)) problems.push(`${where}.min: ${p.min} is not valid (expected > 0 with "scale": "log")`);
  if (p.min > p.max) problems.push(`${where}: min ${p.min} is greater than max ${p.max}`);
  const { paths, problem } = expandPath(e, p.path);
  if (problem) return [...problems, `${where}.path: "${p.path}" is not valid (${problem})`];
  for (const keys of paths!) {
    const v = getPath(e, keys);
    const numbers = Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');
    if (typeof v !== 'number' && !(p.multiply && numbers)) {
      problems.push(`${where}.path: "${p.path}" is not valid (${keys.join('.')} is ${JSON.stringify(v)}; expected a number${p.multiply ? ' or a list of numbers' : ''})`);
      break;
    }
  }
  return problems;
}

/** Applies one parameter's drawn value to `root` (a copy of the experiment) in place. */
export function applyParameter(root: Experiment, p: SweepParameter, value: number): void {
  const round = (x: number) => (p.round ? Math.round(x) : x);
  for (const keys of expandPath(root, p.path).paths!) {
    const parent = getPath(root, keys.slice(0, -1)) as Record<Key, unknown>;
    const key = keys[keys.length - 1];
    const current = parent[key];
    if (!p.multiply) parent[key] = round(value);
    else if (Array.isArray(current)) parent[key] = current.map((x: number) => round(x * value));
    else parent[key] = round((current as number) * value);
  }
}

/** True for a parameter that needs applyParameter (otherwise a plain setPath does the same). */
export function needsApply(p: SweepParameter): boolean {
  return Boolean(p.multiply || p.round || p.path.includes('*'));
}
