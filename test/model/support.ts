// Shared helpers for the model tests: the baseline experiment, reduced configs derived from it in
// code, replicate ensembles with fixed seeds, and access to one series of a replicate's output.
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../../src/config/load.ts';
import type { ModelConfig } from '../../src/config/schema.ts';
import { resolveParams, type Params } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import type { ReplicateOutput } from '../../src/model/output.ts';
import { createStreams, type Streams } from '../../src/model/rng.ts';
import { initialState } from '../../src/model/init.ts';
import { fleetMw } from '../../src/model/fleet.ts';
import { EXITED, MINING, type State } from '../../src/model/state.ts';

export const BASELINE_FILE = fileURLToPath(new URL('../../configs/baseline.json', import.meta.url));

/** The validated baseline experiment (configs/baseline.json). */
export function baselineExperiment() {
  return loadExperiment(BASELINE_FILE).experiment;
}

/** Params from a copy of the baseline model, edited in place by `edit`. */
export function paramsFrom(edit: (model: ModelConfig) => void = () => {}): Params {
  const model = structuredClone(baselineExperiment().model);
  edit(model);
  return resolveParams(model, null);
}

/** The region entry with id `id` of a model config (throws if there is none). */
export function region(model: ModelConfig, id: string): ModelConfig['regions'][number] {
  const r = model.regions.find((x) => x.id === id);
  if (!r) throw new Error(`no region "${id}" in the config`);
  return r;
}

/** Replicates 0..count-1 of one config under one root seed (common random numbers across configs). */
export function ensemble(p: Params, count: number, rootSeed: number): ReplicateOutput[] {
  const out: ReplicateOutput[] = [];
  for (let r = 0; r < count; r++) out.push(simulateReplicate(p, { rootSeed, replicate: r, point: null }));
  return out;
}

/** The values of one series over all epochs of a replicate (a view, epoch 0 first). */
export function series(out: ReplicateOutput, metric: string, regionId = ''): Float64Array {
  const s = out.series.findIndex((k) => k.metric === metric && k.region === regionId);
  if (s < 0) throw new Error(`no series ${metric}${regionId ? `[${regionId}]` : ''}`);
  return out.values.subarray(s * out.epochCount, (s + 1) * out.epochCount);
}

/** Sum of a series over epochs [from, to). */
export function sumOver(values: ArrayLike<number>, from = 0, to = values.length): number {
  let total = 0;
  for (let e = from; e < to; e++) total += values[e];
  return total;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Two operators of banned Russia that must move, with room in Paraguay for the larger of their fleets
 * and not for both, at epoch 1 of a 60-operator baseline: Paraguay and the UAE the only destinations
 * (Paraguay's power the cheapest, the UAE uncapped), the best option chosen deterministically, selling
 * out worth little, fleets hosted, the other Russians exited and nobody else reviewing.
 */
export function twoBannedRussians(rootSeed: number): { p: Params; s: State; rng: Streams; a: number; b: number; py: number; ae: number } {
  const p = paramsFrom((m) => {
    m.operators.count = 60;
    m.decisions.destinations = ['py', 'ae'];
    m.decisions.temperature = 1e-6; // the best option, deterministically
    m.secondary.resaleFraction = 0.05; // selling out fetches little
    m.relocation.hostingMaxSiteMw = 1e6; // hosted, so moving is quick
    region(m, 'py').powerPrice.meanUsdPerKwh = 0.015; // everyone's first choice
    region(m, 'ae').capacityMw = null;
    region(m, 'py').buildOutMwPerYear = 1e6; // only the cap binds
    region(m, 'ae').buildOutMwPerYear = 1e6;
  });
  const rng = createStreams({ rootSeed, replicate: 0, point: null });
  const s = initialState(p, rng);
  const ru = p.regionIndex.get('ru')!;
  const py = p.regionIndex.get('py')!;
  const ae = p.regionIndex.get('ae')!;
  const russians = Array.from(s.opRegion.keys()).filter((o) => s.opStatus[o] === MINING && s.opRegion[o] === ru);
  const [a, b] = russians;
  for (const o of russians.slice(2)) s.opStatus[o] = EXITED;
  // Nobody else reviews in this epoch (so nobody else takes Paraguay's room).
  for (let o = 0; o < s.opStatus.length; o++) if (s.opRegion[o] !== ru) s.opNextReview[o] = 1_000_000;
  // Room in Paraguay for the larger of the two fleets, not for both.
  const room = Math.max(fleetMw(p, s, a, 1.08), fleetMw(p, s, b, 1.08)) * 1.01;
  s.regionCapMw[py] = s.regionUsedMw[py] + room;
  s.regionBanned[ru] = 1;
  s.epoch = 1;
  return { p, s, rng, a, b, py, ae };
}
