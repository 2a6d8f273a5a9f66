// Shared helpers for the model tests: the baseline experiment, reduced configs derived from it in
// code, replicate ensembles with fixed seeds, and access to one series of a replicate's output.
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../../src/config/load.ts';
import type { ModelConfig } from '../../src/config/schema.ts';
import { resolveParams, type Params } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import type { ReplicateOutput } from '../../src/model/output.ts';

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
