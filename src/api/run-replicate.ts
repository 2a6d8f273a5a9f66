// One replicate in this thread: the library's counterpart of `hashmigrate simulate`.
import type { LoadedExperiment } from '../config/load.ts';
import { UserError } from '../config/errors.ts';
import { resolveParams } from '../model/params.ts';
import { simulateReplicate } from '../model/simulate.ts';
import type { ReplicateOutput } from '../model/output.ts';
import { makePlan } from '../runner/plan.ts';
import { applyPoint } from '../runner/sweep.ts';
import { unitStreamKey } from '../runner/unit-key.ts';
import { agentRows } from '../model/agents.ts';
import type { State } from '../model/state.ts';
import type { AgentSnapshot } from '../io/agents-csv.ts';

export interface ReplicateOptions {
  /** replicate index (default 0) */
  replicate?: number;
  /** root seed (default: the config's `seed`) */
  seed?: number;
  /** sweep point index (default 0; must be 0 without a sweep) */
  point?: number;
  /** epochs at which to take a snapshot of every operator (returned as `agents`) */
  agentEpochs?: readonly number[];
}

/** A replicate's output, with the operator snapshots asked for. */
export type ReplicateResult = ReplicateOutput & { agents: AgentSnapshot[] };

/**
 * Runs one replicate of a loaded config, synchronously; the result equals that replicate's in a
 * batch with the same seed (same streams, same sweep point).
 */
export function runReplicate(config: LoadedExperiment, options: ReplicateOptions = {}): ReplicateResult {
  const replicate = options.replicate ?? 0;
  const point = options.point ?? 0;
  if (!Number.isSafeInteger(replicate) || replicate < 0) throw new UserError(`replicate: ${replicate} is not an integer >= 0`);
  const experiment = options.seed === undefined ? config.experiment : { ...config.experiment, seed: options.seed };
  const plan = makePlan(config.file, experiment);
  const sweepPoint = plan.points[point];
  if (!Number.isSafeInteger(point) || !sweepPoint) {
    throw new UserError(`${config.file}: point: ${point} is not a sweep point (expected ${plan.points.length === 1 ? '0: the config has no sweep' : `0..${plan.points.length - 1}`})`);
  }
  const params = resolveParams(applyPoint(experiment, sweepPoint).model, plan.pricePath, plan.feePath);
  const wanted = new Set(options.agentEpochs ?? []);
  const last = params.epochCount;
  for (const e of wanted) {
    if (!Number.isSafeInteger(e) || e < 0 || e > last) throw new UserError(`${config.file}: agents: epoch ${e} is not valid (expected an epoch in 0..${last})`);
  }
  const agents: AgentSnapshot[] = [];
  const onEpoch = wanted.size === 0 ? undefined : (epoch: number, state: Readonly<State>) => {
    if (wanted.has(epoch)) agents.push({ epoch, day: state.day, rows: agentRows(params, state) });
  };
  return { ...simulateReplicate(params, unitStreamKey(experiment, point, replicate), onEpoch), agents };
}
