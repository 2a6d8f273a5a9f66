// Checks before any replicate runs that the start can be built: the model calibrates each region's
// fleet to its share of the network hashrate, which fails when no machine in the region is
// profitable at the start (a power price above what the hashprice pays, a difficulty or a subsidy
// that leaves nothing to earn). That is a config error, reported as one line with exit 2 and no
// output, not a model error after the workers have started. The start state of replicate 0 is built
// for each sweep point checked; a larger config is left to the run (it would cost the run's memory
// here as well).
import type { Experiment } from '../config/experiment.ts';
import { UserError } from '../config/errors.ts';
import { initialState } from '../model/init.ts';
import type { Params } from '../model/params.ts';
import { createStreams } from '../model/rng.ts';
import { unitStreamKey } from './unit-key.ts';

/** Most operator slots (operators and entrant slots) whose start state is built to check it: about 160 MB. */
export const START_CHECK_MAX_SLOTS = 200_000;
/** Most sweep points whose start is checked; the others are left to the run. */
export const START_CHECK_MAX_POINTS = 64;

/** The model's message when a region has no profitable machine at the start (src/model/init.ts). */
const NOT_PROFITABLE = /^regions\[(\d+)\] \(([^)]*)\): no machine is profitable at the start/;

/** Throws a UserError when the start of replicate 0 of `point` cannot be built (`label`: the file, and the point of a sweep). */
export function checkStart(label: string, experiment: Experiment, point: number, params: Params): void {
  if (params.operatorSlots > START_CHECK_MAX_SLOTS) return;
  try {
    initialState(params, createStreams(unitStreamKey(experiment, point, 0)));
  } catch (err) {
    const m = NOT_PROFITABLE.exec((err as Error)?.message ?? '');
    if (!m) throw err;
    const r = Number(m[1]);
    const region = params.config.regions[r];
    throw new UserError(
      `${label}: model.regions[${r}]: no machine is profitable at the start in region "${m[2]}" (power price ${region.powerPrice.meanUsdPerKwh} USD/kWh, PUE ${region.pue}; expected at least one machine of model.fleet.mix whose revenue at the start covers its power: check the region's price, model.start.difficulty and height, model.market.price.startUsd, model.protocol and the ASICs' jPerTh)`,
    );
  }
}
